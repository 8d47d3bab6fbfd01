import Foundation

/// The distribution of the two-sided one-sample Kolmogorov-Smirnov statistic D_n, as
/// scipy's `kstwo` computes it (Simard & L'Ecuyer 2011: the Durbin matrix, Pomeranz and
/// Pelz-Good algorithms and the exact Smirnov sum, each in the region where it is accurate).
/// `ks_2samp` uses its survival function for its asymptotic p-value.
public enum Kolmogorov {
    private static let scaleUp = 0x1p128
    private static let scaleDown = 0x1p-128

    /// P(D_n > x): the survival function of the two-sided statistic for a sample of size `n`.
    public static func survival(n: Int, x: Double) -> Double {
        guard n > 0, !x.isNaN else { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let t = nd * x
        if t <= 1 {
            // Ruben-Gambino: 1/2n <= x <= 1/n.
            if t <= 0.5 { return 1 }
            let probability: Double
            if n <= 140 {
                var product = 1.0
                for i in 1...n { product *= Double(i) * (1.0 / nd) * (2 * t - 1) }
                probability = product
            } else {
                probability = exp(logFactorialOverPower(n) + nd * log(2 * t - 1))
            }
            return clip(1 - probability)
        }
        if t >= nd - 1 { return clip(2 * pow(1 - x, nd)) }
        if x >= 0.5 { return clip(2 * smirnov(n: n, x: x)) }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 0.754693 { return clip(1 - durbinMatrix(n: n, d: x)) }
            if nxSquared <= 4 { return clip(1 - pomeranz(n: n, x: x)) }
            return clip(2 * smirnov(n: n, x: x))
        }
        if nxSquared >= 370 { return 0 }
        if nxSquared >= 2.2 { return clip(2 * smirnov(n: n, x: x)) }
        let cdf: Double
        if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 {
            cdf = durbinMatrix(n: n, d: x)
        } else {
            cdf = pelzGood(n: n, x: x)
        }
        return clip(1 - cdf)
    }

    /// P(D_n^+ >= x), the one-sided Smirnov survival function, by the exact Birnbaum-Tingey
    /// sum with every (positive) term evaluated in log space.
    public static func smirnov(n: Int, x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        let nd = Double(n)
        let last = Int((nd * (1 - x)).rounded(.down))
        let logNFactorial: Double = lgamma(nd + 1)
        var sum = 0.0
        for j in 0...max(last, 0) {
            let jd = Double(j)
            let a = 1 - x - jd / nd
            let b = x + jd / nd
            if a <= 0 && nd - jd > 0 { continue }
            let logTerm = logNFactorial - lgamma(jd + 1) - lgamma(nd - jd + 1)
                + (nd - jd) * log(a) + (jd - 1) * log(b)
            sum += exp(logTerm)
        }
        return clip(x * sum)
    }

    private static func clip(_ p: Double) -> Double { min(max(p, 0), 1) }

    private static let stirlingCoefficients = [
        -2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ]

    /// log(n! / n^n) by Stirling's series.
    private static func logFactorialOverPower(_ n: Int) -> Double {
        let rn = 1.0 / Double(n)
        var polynomial = 0.0
        for c in stirlingCoefficients { polynomial = polynomial * (rn / Double(n)) + c }
        return log(Double(n)) / 2 - Double(n) + log(2 * Double.pi) / 2 + rn * polynomial
    }

    /// P(D_n <= d) by Durbin's matrix method as Marsaglia, Tsang and Wang compute it.
    static func durbinMatrix(n: Int, d: Double) -> Double {
        if d >= 1 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var v = (1...m).map { 1 - pow(h, Double($0)) }
        var w = [Double](repeating: 0, count: m)
        var factor = 1.0
        for j in 1...m {
            w[j - 1] = factor
            factor /= Double(j)
            v[j - 1] *= factor
        }
        let tt = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1 + tt) * factor
        var matrix = Matrix(size: m)
        for i in 1..<max(m, 1) {
            for row in (i - 1)..<m { matrix[row, i] = w[row - (i - 1)] }
        }
        for row in 0..<m { matrix[row, 0] = v[row] }
        for column in 0..<m { matrix[m - 1, column] = v[m - 1 - column] }

        var power = Matrix.identity(size: m)
        var remaining = n
        var exponent = 0
        var matrixExponent = 0
        while remaining > 0 {
            if remaining % 2 == 1 {
                power = power.multiplied(by: matrix)
                exponent += matrixExponent
            }
            matrix = matrix.multiplied(by: matrix)
            matrixExponent *= 2
            if abs(matrix[k - 1, k - 1]) > scaleUp {
                matrix.scale(by: scaleDown)
                matrixExponent += 128
            }
            remaining /= 2
        }
        var p = power[k - 1, k - 1]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < scaleDown {
                p *= scaleUp
                exponent -= 128
            }
        }
        if exponent != 0 { p = scalbn(p, exponent) }
        return clip(p)
    }

    /// P(D_n <= x) by the Pomeranz recursion (used for small n).
    static func pomeranz(n: Int, x: Double) -> Double {
        let t = Double(n) * x
        let ll = Int(t.rounded(.down))
        let f = t - Double(ll)
        let g = min(f, 1 - f)
        let ceilF = f > 0 ? 1 : 0
        let roundF = f > 0.5 ? 1 : 0
        let powers = 2 * (ll + 1)
        var gPower = [Double](repeating: 1, count: powers)
        var twoGPower = [Double](repeating: 1, count: powers)
        var oneMinusTwoGPower = [Double](repeating: 1, count: powers)
        let nd = Double(n)
        for m in 1..<powers {
            gPower[m] = gPower[m - 1] * (g / nd) / Double(m)
            twoGPower[m] = twoGPower[m - 1] * (2 * g / nd) / Double(m)
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * ((1 - 2 * g) / nd) / Double(m)
        }
        var v0 = [Double](repeating: 0, count: powers)
        var v1 = [Double](repeating: 0, count: powers)
        v1[0] = 1
        var v0Start = 0, v1Start = 0
        var exponent = 0
        var (j1, j2) = pomeranzBounds(0, n, ll, ceilF, roundF)
        for i in 1..<(2 * n + 2) {
            let k1 = j1
            swap(&v0, &v1)
            swap(&v0Start, &v1Start)
            for index in v1.indices { v1[index] = 0 }
            (j1, j2) = pomeranzBounds(i, n, ll, ceilF, roundF)
            let weights = (i == 1 || i == 2 * n + 1) ? gPower : (i % 2 == 1 ? twoGPower : oneMinusTwoGPower)
            let length = j2 - k1 + 1
            if length > 0 {
                // numpy slices clip at the array's end; so does this.
                let from = k1 - v0Start
                let slice = Array(v0[max(from, 0)..<min(from + length, powers)])
                let kernel = Array(weights[0..<min(length, powers)])
                let convolution = convolve(slice, kernel)
                let convolutionStart = j1 - k1
                let convolutionLength = j2 - j1 + 1
                for index in 0..<convolutionLength where convolutionStart + index < convolution.count {
                    v1[index] = convolution[convolutionStart + index]
                }
                let largest = v1.max() ?? 0
                if largest > 0 && largest < scaleDown {
                    for index in v1.indices { v1[index] *= scaleUp }
                    exponent -= 128
                }
                v1Start = v0Start + j1 - k1
            }
        }
        var answer = v1[n - v1Start]
        for m in 1...n {
            if abs(answer) > scaleUp {
                answer *= scaleDown
                exponent += 128
            }
            answer *= Double(m)
        }
        if exponent != 0 { answer = scalbn(answer, exponent) }
        return clip(answer)
    }

    private static func pomeranzBounds(_ i: Int, _ n: Int, _ ll: Int, _ ceilF: Int, _ roundF: Int) -> (Int, Int) {
        var j1: Int, j2: Int
        if i == 0 {
            (j1, j2) = (-ll - ceilF - 1, ll + ceilF - 1)
        } else {
            let half = (i + 1) / 2, odd = (i + 1) % 2
            if odd == 0 {
                if half == n + 1 {
                    (j1, j2) = (n - ll - ceilF - 1, n + ll + ceilF - 1)
                } else {
                    (j1, j2) = (half - 1 - ll - roundF - 1, half + ll - 1 + ceilF - 1)
                }
            } else {
                (j1, j2) = (half - 1 - ll - 1, half + ll + roundF - 1)
            }
        }
        return (max(j1 + 2, 0), min(j2, n))
    }

    private static func convolve(_ a: [Double], _ b: [Double]) -> [Double] {
        guard !a.isEmpty, !b.isEmpty else { return [] }
        var out = [Double](repeating: 0, count: a.count + b.count - 1)
        for i in a.indices {
            for j in b.indices { out[i + j] += a[i] * b[j] }
        }
        return out
    }

    /// P(D_n <= x) by the Pelz-Good asymptotic series (large n).
    static func pelzGood(n: Int, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let piSquared = Double.pi * Double.pi
        let piFour = piSquared * piSquared
        let piSix = piFour * piSquared
        let sqrt2Pi = (2 * Double.pi).squareRoot()
        let z = Double(n).squareRoot() * x
        let z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2
        let qLog = -piSquared / 8 / z2
        if qLog < -708 { return 0 }
        var q = exp(qLog)
        let k1a = -z2
        let k1b = piSquared / 4
        let k2a = 6 * z6 + 2 * z4
        let k2b = (2 * z4 - 5 * z2) * piSquared / 4
        let k2c = piFour * (1 - 2 * z2) / 16
        let k3d = piSix * (5 - 30 * z2) / 64
        let k3c = piFour * (-60 * z2 + 212 * z4) / 16
        let k3b = piSquared * (135 * z4 - 96 * z6) / 4
        let k3a = -30 * z6 - 90 * pow(z, 8)
        var terms = [0.0, 0.0, 0.0, 0.0]
        let maxK = Int((16 * z / Double.pi).rounded(.up))
        for k in stride(from: maxK, to: 0, by: -1) {
            let m = Double(2 * k - 1)
            let m2 = m * m, m4 = m2 * m2, m6 = m4 * m2
            let qPower = pow(q, Double(8 * k))
            let coefficients = [
                1.0,
                k1a + k1b * m2,
                k2a + k2b * m2 + k2c * m4,
                k3a + k3b * m2 + k3c * m4 + k3d * m6,
            ]
            for index in 0..<4 { terms[index] = terms[index] * qPower + coefficients[index] }
        }
        let divisors = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
        for index in 0..<4 { terms[index] = terms[index] * q * sqrt2Pi / divisors[index] }
        q = exp(-piSquared / 2 / z2)
        let sqrt3z = 3.0.squareRoot() * z
        var k2Extra = 0.0, k3Extra = 0.0
        for k in stride(from: maxK, to: 0, by: -1) {
            let kd = Double(k)
            let qPower = pow(q, kd * kd)
            k2Extra += kd * kd * qPower
            let kPi = Double.pi * kd
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * kd * kd * qPower
        }
        terms[2] += k2Extra * piSquared * sqrt2Pi / (-36 * z3)
        terms[3] += k3Extra * piSquared * sqrt2Pi / (216 * z6)
        for index in 0..<4 { terms[index] /= pow(Double(n), Double(index) / 2) }
        return terms.reduce(0, +)
    }
}

/// A small dense square matrix for the Durbin method.
private struct Matrix {
    let size: Int
    var values: [Double]

    init(size: Int) {
        self.size = size
        values = [Double](repeating: 0, count: size * size)
    }

    static func identity(size: Int) -> Matrix {
        var m = Matrix(size: size)
        for i in 0..<size { m[i, i] = 1 }
        return m
    }

    subscript(row: Int, column: Int) -> Double {
        get { values[row * size + column] }
        set { values[row * size + column] = newValue }
    }

    func multiplied(by other: Matrix) -> Matrix {
        var out = Matrix(size: size)
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                out.values.withUnsafeMutableBufferPointer { c in
                    for i in 0..<size {
                        for k in 0..<size {
                            let aik = a[i * size + k]
                            if aik == 0 { continue }
                            for j in 0..<size { c[i * size + j] += aik * b[k * size + j] }
                        }
                    }
                }
            }
        }
        return out
    }

    mutating func scale(by factor: Double) {
        for i in values.indices { values[i] *= factor }
    }
}
