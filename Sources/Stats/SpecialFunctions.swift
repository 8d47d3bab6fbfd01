import Foundation

/// The special functions behind the p-values: the normal distribution and the regularised
/// incomplete gamma function (the chi-square survival function).
public enum SpecialFunctions {
    /// The standard normal CDF Φ(x), via `erfc` so the lower tail keeps its relative accuracy.
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a).
    ///
    /// The series for P(a, x) is used below `x < a + 1` and a continued fraction (modified
    /// Lentz) above it, each iterated to machine precision, so the upper tail (small p-values)
    /// keeps its relative accuracy.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x.isNaN || a.isNaN || a <= 0 || x < 0 { return .nan }
        if x == 0 { return 1 }
        if x.isInfinite { return 0 }
        if x < a + 1 { return 1 - lowerGammaSeries(a, x) }
        return upperGammaContinuedFraction(a, x)
    }

    /// The chi-square survival function: P(X > statistic) with `degreesOfFreedom`.
    public static func chiSquareSurvival(_ statistic: Double, degreesOfFreedom: Double) -> Double {
        if statistic.isNaN { return .nan }
        if statistic == .infinity { return 0 }
        return regularizedGammaQ(degreesOfFreedom / 2, max(statistic, 0) / 2)
    }

    /// log C(n, k) from log-gamma.
    public static func logBinomial(_ n: Double, _ k: Double) -> Double {
        lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)
    }

    private static func lowerGammaSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<100_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    private static func upperGammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
