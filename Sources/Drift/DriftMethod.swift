import ReportModel

/// How each method decides, beside its name (in ReportModel, which run.json records).
extension DriftMethod {
    /// The threshold used when none is given: a significance level for tests, a distance otherwise.
    public var defaultThreshold: Double {
        switch self {
        case .ks, .chisquare, .z: return 0.05
        case .wasserstein, .psi, .jensenshannon, .jsDivergence, .lInfinity, .hellinger, .klDiv: return 0.1
        }
    }

    /// Whether the method is a hypothesis test judged by its p-value.
    public var isTest: Bool { self == .ks || self == .chisquare || self == .z }

    /// Whether the method needs numbers (it compares values, not categories).
    public var numericOnly: Bool { self == .ks || self == .wasserstein }

    /// Whether a score at `threshold` means drift: p <= t for KS and p < t for the other tests,
    /// as Evidently decides; distance >= t for distances.
    public func drifted(score: Double, threshold: Double) -> Bool {
        switch self {
        case .ks: return score <= threshold
        case .chisquare, .z: return score < threshold
        default: return score >= threshold
        }
    }
}
