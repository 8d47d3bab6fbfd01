import Foundation

/// L2-regularised multinomial logistic regression (softmax over K classes): minimises
/// Σ −log p(yᵢ) + l2/2·Σₖ|wₖ|², intercepts unpenalised, by Newton's method.
///
/// The softmax is unchanged when the same number is added to every intercept, so the last
/// class's intercept is held at 0 while solving (the Hessian is then positive definite)
/// and the intercepts are centred to sum 0 afterwards, as scikit-learn reports them.
enum MultinomialSolver {
    struct Fit {
        /// One row per class: intercept, then coefficients in design-column order.
        var weights: [[Double]]
        var iterations: Int
        var gradientMax: Double
    }

    /// `y[i]` is row i's class index in `0..<classes`.
    static func fit(_ design: Design, _ y: [Int], classes: Int, l2: Double, maxIterations: Int) -> Fit? {
        let p = design.columns, fixed = (classes - 1) * p
        func full(_ reduced: [Double]) -> [Double] {
            var out = reduced
            out.insert(0, at: fixed)
            return out
        }
        func reduce(_ vector: [Double]) -> [Double] {
            var out = vector
            out.remove(at: fixed)
            return out
        }
        let problem = Problem(design: design, y: y, classes: classes, l2: l2)
        guard let solution = NewtonMinimiser.minimise(
            start: [Double](repeating: 0, count: classes * p - 1), rows: design.rows, maxIterations: maxIterations,
            loss: { problem.loss(full($0)) },
            gradient: { reduce(problem.gradient(full($0))) },
            hessian: { reduced in
                let hessian = problem.hessian(full(reduced))
                let n = classes * p
                var out: [Double] = []
                out.reserveCapacity((n - 1) * (n - 1))
                for row in 0..<n where row != fixed {
                    for column in 0..<n where column != fixed { out.append(hessian[row * n + column]) }
                }
                return out
            })
        else { return nil }
        var weights = (0..<classes).map { Array(full(solution.beta)[($0 * p)..<(($0 + 1) * p)]) }
        let meanIntercept = weights.reduce(0) { $0 + $1[0] } / Double(classes)
        for k in weights.indices { weights[k][0] -= meanIntercept }
        return Fit(weights: weights, iterations: solution.iterations, gradientMax: solution.gradientMax)
    }

    /// Softmax of each row of `linear` (row-major, `classes` per row), computed stably.
    static func softmax(_ linear: ArraySlice<Double>) -> [Double] {
        let top = linear.max()!
        let exps = linear.map { exp($0 - top) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    /// The loss and its derivatives over the full parameter vector (class-major).
    private struct Problem {
        let design: Design
        let y: [Int]
        let classes: Int
        let l2: Double

        /// Row-major rows × classes linear terms.
        func linear(_ w: [Double]) -> [Double] {
            design.times(classes: classes, w)
        }

        func probabilities(_ w: [Double]) -> [Double] {
            let z = linear(w)
            return (0..<design.rows).flatMap { r in MultinomialSolver.softmax(z[(r * classes)..<((r + 1) * classes)]) }
        }

        func penalty(_ w: [Double]) -> Double {
            let p = design.columns
            var total = 0.0
            for k in 0..<classes { for j in 1..<p { total += w[k * p + j] * w[k * p + j] } }
            return l2 / 2 * total
        }

        func loss(_ w: [Double]) -> Double {
            let z = linear(w)
            var total = 0.0
            for r in 0..<design.rows {
                let row = z[(r * classes)..<((r + 1) * classes)]
                let top = row.max()!
                total += top + log(row.reduce(0) { $0 + exp($1 - top) }) - row[r * classes + y[r]]
            }
            return total + penalty(w)
        }

        func gradient(_ w: [Double]) -> [Double] {
            let p = design.columns
            let probabilities = probabilities(w)
            var out = design.transposeTimes(classes: classes) { r, k in probabilities[r * classes + k] - (y[r] == k ? 1 : 0) }
            for k in 0..<classes { for j in 1..<p { out[k * p + j] += l2 * w[k * p + j] } }
            return out
        }

        /// Σᵢ pᵢₖ(δₖₗ − pᵢₗ)·xᵢⱼxᵢₘ, plus l2 on the coefficients' diagonal; row-major.
        func hessian(_ w: [Double]) -> [Double] {
            let p = design.columns, n = classes * p
            let probabilities = probabilities(w)
            var out = design.blockGram(classes: classes) { r, k, l in
                probabilities[r * classes + k] * ((k == l ? 1 : 0) - probabilities[r * classes + l])
            }
            for k in 0..<classes {
                for l in 0..<k {
                    for j in 0..<p { for m in 0..<p { out[(l * p + m) * n + k * p + j] = out[(k * p + j) * n + l * p + m] } }
                }
                for j in 1..<p { out[(k * p + j) * n + k * p + j] += l2 }
            }
            return out
        }
    }
}
