/// A way of deciding whether one feature drifted, by the name users pass on the command line
/// and run.json records. How each decides lives in the Drift target.
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
}
