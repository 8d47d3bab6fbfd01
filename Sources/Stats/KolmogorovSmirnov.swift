import Foundation

/// The two-sample Kolmogorov-Smirnov test, two-sided, as scipy's `ks_2samp(method="auto")`:
/// the exact p-value when both samples have at most 10 000 values, else the asymptotic one
/// (the Kolmogorov distribution at n = round(n1·n2 / (n1 + n2))). Ties are handled as scipy
/// does: the ECDFs are compared at every observed value, right-continuous.
public enum KolmogorovSmirnov {
    /// The outcome of a test.
    public struct Result: Equatable, Sendable {
        /// sup |F1 − F2|.
        public var statistic: Double
        /// Two-sided p-value.
        public var pValue: Double
        /// Whether the p-value is exact (small samples) or asymptotic.
        public var exact: Bool
    }

    /// scipy's `MAX_AUTO_N`: the largest sample for which `auto` chooses the exact p-value.
    public static let maxExactSampleSize = 10_000

    /// Tests two samples given as weighted ECDFs; raw samples have unit weights.
    /// The p-value uses the samples' true sizes `n1`, `n2` (they differ from the number of
    /// stored points when a side is a compacted sketch).
    public static func test(_ a: WeightedSample, _ b: WeightedSample) -> Result? {
        guard a.totalWeight > 0, b.totalWeight > 0 else { return nil }
        let d = statistic(a, b)
        return pValue(statistic: d, n1: a.count, n2: b.count)
    }

    /// sup over observed values of |F_a(x) − F_b(x)|.
    public static func statistic(_ a: WeightedSample, _ b: WeightedSample) -> Double {
        var i = 0, j = 0
        var best = 0.0
        let va = a.values, vb = b.values
        while i < va.count || j < vb.count {
            let x: Double
            if j >= vb.count || (i < va.count && va[i] <= vb[j]) { x = va[i] } else { x = vb[j] }
            while i < va.count && va[i] <= x { i += 1 }
            while j < vb.count && vb[j] <= x { j += 1 }
            let difference = abs(a.cdfAtIndex(i) - b.cdfAtIndex(j))
            if difference > best { best = difference }
        }
        return min(best, 1)
    }

    /// The two-sided p-value of statistic `d` for sample sizes `n1` and `n2`.
    public static func pValue(statistic d: Double, n1: Int, n2: Int) -> Result {
        if max(n1, n2) <= maxExactSampleSize, let exact = exactPValue(d: d, n1: n1, n2: n2) {
            return Result(statistic: exact.d, pValue: exact.p, exact: true)
        }
        let m = Double(max(n1, n2)), n = Double(min(n1, n2))
        let en = (m * n / (m + n)).rounded(.toNearestOrEven)
        let p = Kolmogorov.survival(n: Int(en), x: d)
        return Result(statistic: d, pValue: min(max(p, 0), 1), exact: false)
    }

    /// scipy's `_attempt_exact_2kssamp`: d is snapped to the lattice h / lcm(n1, n2).
    private static func exactPValue(d: Double, n1: Int, n2: Int) -> (d: Double, p: Double)? {
        let g = gcd(n1, n2)
        let lcm = Double((n1 / g) * n2)
        let h = Int((d * lcm).rounded(.toNearestOrEven))
        let snapped = Double(h) / lcm
        if h == 0 { return (snapped, 1) }
        let p = n1 == n2 ? probabilityOutsideSquare(n: n1, h: h) : outerProbabilityInside(m: n1, n: n2, g: g, h: h)
        guard p >= 0, p <= 1 else { return nil }
        return (snapped, p)
    }

    /// Proportion of lattice paths leaving the band |x − y| < h when n1 == n2.
    private static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        var total = 0.0
        var k = Int((Double(n) / Double(h)).rounded(.down))
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            total = p1 * (1 - total)
            k -= 1
        }
        return 2 * total
    }

    /// 1 − proportion of lattice paths staying strictly inside the band (Hodges' inside
    /// method with Viehmann's recursion for 1 − p, as scipy computes it).
    private static func outerProbabilityInside(m mIn: Int, n nIn: Int, g: Int, h: Int) -> Double {
        let m = max(mIn, nIn), n = min(mIn, nIn)
        let mg = m / g, ng = n / g
        var minJ = 0
        var maxJ = min(Int((Double(h) / Double(mg)).rounded(.up)), n + 1)
        var currentLength = maxJ - minJ
        let length = min(2 * maxJ + 2, n + 1)
        var a = [Double](repeating: 1, count: max(length, 1))
        for index in minJ..<maxJ where index < a.count { a[index] = 0 }
        for i in 1...m {
            let lastMinJ = minJ, lastLength = currentLength
            minJ = max(Int(((Double(ng * i) - Double(h)) / Double(mg)).rounded(.down)) + 1, 0)
            minJ = min(minJ, n)
            maxJ = min(Int(((Double(ng * i) + Double(h)) / Double(mg)).rounded(.up)), n + 1)
            if maxJ <= minJ { return 1 }
            var value = minJ == 0 ? 0.0 : 1.0
            for jj in 0..<(maxJ - minJ) {
                let j = jj + minJ
                value = (a[jj + minJ - lastMinJ] * Double(i) + value * Double(j)) / Double(i + j)
                a[jj] = value
            }
            currentLength = maxJ - minJ
            if lastLength > currentLength {
                for index in (maxJ - minJ)..<(maxJ - minJ + lastLength - currentLength) where index < a.count { a[index] = 1 }
            }
        }
        return a[maxJ - minJ - 1]
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
