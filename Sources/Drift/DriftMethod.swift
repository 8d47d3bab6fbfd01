/// A way of deciding whether one feature drifted, by the name users pass on the command line.
public enum DriftMethod: String, CaseIterable, Codable, Sendable {
    /// Two-sample Kolmogorov-Smirnov test (numeric); drift when p <= threshold.
    case ks
    /// Wasserstein distance divided by the reference's standard deviation (numeric).
    case wasserstein
    /// Population stability index on reference deciles (numeric) or categories.
    case psi
    /// Jensen-Shannon distance, natural log (scipy's `jensenshannon`).
    case jensenshannon
    /// Jensen-Shannon divergence in bits (TFDV).
    case jsDivergence = "js_divergence"
    /// Largest difference of category shares (TFDV's categorical comparator).
    case lInfinity = "l_infinity"
    /// Pearson's chi-square test of current counts against reference shares (categorical).
    case chisquare
    /// Two-proportion z-test of the first category against the rest (categorical).
    case z
    /// Hellinger distance.
    case hellinger
    /// Kullback-Leibler divergence KL(reference ‖ current), natural log.
    case klDiv = "kl_div"

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
