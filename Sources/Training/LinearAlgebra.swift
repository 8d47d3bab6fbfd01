import Foundation

/// Solves symmetric positive definite systems, the one kind the built-in trainers need.
enum Cholesky {
    /// x with `matrix · x = vector`; nil when the matrix is not positive definite.
    /// `matrix` is row-major `n × n`.
    static func solve(_ matrix: [Double], _ vector: [Double]) -> [Double]? {
        let n = vector.count
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = vector
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}

/// A dense design matrix: row-major, with a leading column of ones for the intercept.
struct Design {
    let rows: Int
    let columns: Int
    var values: [Double]

    /// Xᵀ·diag(w)·X + l2 on the diagonal except the intercept's.
    func gram(weights: [Double]?, l2: Double) -> [Double] {
        var out = [Double](repeating: 0, count: columns * columns)
        for r in 0..<rows {
            let w = weights?[r] ?? 1
            let base = r * columns
            for i in 0..<columns {
                let xi = values[base + i] * w
                if xi == 0 { continue }
                for j in 0...i { out[i * columns + j] += xi * values[base + j] }
            }
        }
        for i in 0..<columns {
            for j in 0..<i { out[j * columns + i] = out[i * columns + j] }
            if i > 0 { out[i * columns + i] += l2 }
        }
        return out
    }

    /// Xᵀ·v.
    func transposeTimes(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: columns)
        for r in 0..<rows where v[r] != 0 {
            let base = r * columns
            for i in 0..<columns { out[i] += values[base + i] * v[r] }
        }
        return out
    }

    /// X·β.
    func times(_ beta: [Double]) -> [Double] {
        (0..<rows).map { r in
            var sum = 0.0
            for i in 0..<columns { sum += values[r * columns + i] * beta[i] }
            return sum
        }
    }
}

/// Ridge regression: minimises Σ(y − Xβ)² + l2·|w|² (intercept unpenalised), in closed form.
enum RidgeSolver {
    static func fit(_ design: Design, _ y: [Double], l2: Double) -> [Double]? {
        Cholesky.solve(design.gram(weights: nil, l2: l2), design.transposeTimes(y))
    }
}

/// L2-regularised logistic regression: minimises Σ log-loss + l2/2·|w|², intercept
/// unpenalised, by Newton's method (IRLS) to a gradient below `NewtonMinimiser.tolerance`.
enum LogisticSolver {
    static func fit(_ design: Design, _ y: [Double], l2: Double, maxIterations: Int) -> NewtonMinimiser.Solution? {
        NewtonMinimiser.minimise(start: [Double](repeating: 0, count: design.columns), rows: design.rows, maxIterations: maxIterations,
            loss: { loss(design, y, $0, l2) },
            gradient: { beta in
                var gradient = design.transposeTimes(zip(design.times(beta).map(sigmoid), y).map { $0 - $1 })
                for i in 1..<design.columns { gradient[i] += l2 * beta[i] }
                return gradient
            },
            hessian: { beta in design.gram(weights: design.times(beta).map(sigmoid).map { $0 * (1 - $0) }, l2: l2) })
    }

    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// Σ log(1 + e^z) − y·z, computed without overflow, plus the penalty.
    static func loss(_ design: Design, _ y: [Double], _ beta: [Double], _ l2: Double) -> Double {
        let z = design.times(beta)
        var total = 0.0
        for (zi, yi) in zip(z, y) { total += max(zi, 0) + log1p(exp(-abs(zi))) - yi * zi }
        for i in 1..<beta.count { total += l2 / 2 * beta[i] * beta[i] }
        return total
    }
}
