import Foundation

/// Newton's method with a backtracking line search for the built-in trainers' smooth,
/// strictly convex losses, run until the largest gradient component is below
/// `tolerance(rows:)` (1e-10·n, as docs/commands/train.md states).
enum NewtonMinimiser {
    struct Solution {
        var beta: [Double]
        var iterations: Int
        /// The largest absolute gradient component at `beta`.
        var gradientMax: Double
    }

    static func tolerance(rows: Int) -> Double { 1e-10 * Double(max(rows, 1)) }

    /// Minimises `loss` from `start`; nil when the Hessian is not positive definite.
    static func minimise(start: [Double], rows: Int, maxIterations: Int, loss: ([Double]) -> Double, gradient: ([Double]) -> [Double], hessian: ([Double]) -> [Double]) -> Solution? {
        var beta = start
        var current = loss(beta)
        var g = gradient(beta)
        var iterations = 0
        while iterations < maxIterations, largest(g) >= tolerance(rows: rows) {
            guard let step = Cholesky.solve(hessian(beta), g) else { return nil }
            iterations += 1
            let decrease = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
            var scale = 1.0
            var accepted: (beta: [Double], loss: Double, gradient: [Double])?
            while accepted == nil, scale > 1e-10 {
                let candidate = zip(beta, step).map { $0 - scale * $1 }
                let next = loss(candidate)
                if next <= current - 1e-4 * scale * decrease {
                    accepted = (candidate, next, gradient(candidate))
                } else if abs(next - current) <= 1e-12 * max(1, abs(current)) {
                    // Near the optimum the loss changes by less than its rounding error, so
                    // a loss comparison cannot tell progress; a smaller gradient can.
                    let candidateGradient = gradient(candidate)
                    if largest(candidateGradient) < largest(g) { accepted = (candidate, next, candidateGradient) }
                }
                scale /= 2
            }
            guard let accepted else { break }
            (beta, current, g) = accepted
        }
        return Solution(beta: beta, iterations: iterations, gradientMax: largest(g))
    }

    private static func largest(_ values: [Double]) -> Double {
        values.reduce(0) { max($0, abs($1)) }
    }
}
