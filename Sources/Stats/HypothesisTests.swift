import Foundation

/// Pearson's chi-square goodness-of-fit test (scipy's `chisquare(f_obs, f_exp)`).
public enum ChiSquare {
    /// The statistic Σ (obs − exp)² / exp and its p-value with k − 1 degrees of freedom.
    /// An expected count of zero with a non-zero observation makes the statistic infinite
    /// and the p-value 0, as in scipy.
    public static func test(observed: [Double], expected: [Double]) -> (statistic: Double, pValue: Double) {
        var statistic = 0.0
        for index in observed.indices {
            let difference = observed[index] - expected[index]
            statistic += difference * difference / expected[index]
        }
        let p = SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(observed.count - 1))
        return (statistic, p)
    }
}

/// The two-proportion z-test for independent samples, as Evidently computes it
/// (pooled proportion; two-sided p = 2·(1 − Φ(|z|))).
public enum TwoProportionZ {
    /// `successes1` of `n1` against `successes2` of `n2`. The statistic is NaN when the
    /// pooled proportion is 0 or 1 (the p-value is then NaN too, as in Evidently).
    public static func test(successes1: Double, n1: Double, successes2: Double, n2: Double) -> (statistic: Double, pValue: Double) {
        let p1 = successes1 / n1
        let p2 = successes2 / n2
        let pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        let z = (p1 - p2) / (pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2)).squareRoot()
        let p = 2 * (1 - SpecialFunctions.normalCDF(abs(z)))
        return (z, p)
    }
}
