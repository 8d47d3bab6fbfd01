/// The metrics of the target branch's earlier runs, so a report can show how they moved and
/// the change against the branch's last run (like `dvc metrics diff main`).
public struct Trend: Codable, Equatable, Sendable {
    /// Where the history came from.
    public enum Source: String, Codable, Sendable {
        /// The branch's runs Sluice logged to the MLflow tracking server.
        case mlflowRuns = "mlflow_runs"
        /// The target branch's last `run.json` in the forge's job artifacts.
        case forgeArtifacts = "forge_artifacts"
        /// The history file kept in the CI cache.
        case ciCache = "ci_cache"
    }

    /// The branch the history is of (the merge request's target, else the branch run on).
    public var branch: String
    /// Where it came from; nil when none was found.
    public var source: Source?
    /// Where exactly, in the user's terms: e.g. "GitLab job artifacts of sluice-nightly".
    public var origin: String?
    /// Earlier runs with metrics, oldest first; the last is the branch's last run.
    public var points: [TrendPoint]
    /// Why there is no history, in plain words, when `points` is empty.
    public var missing: String?

    public init(branch: String, source: Source? = nil, origin: String? = nil, points: [TrendPoint] = [], missing: String? = nil) {
        self.branch = branch
        self.source = source
        self.origin = origin
        self.points = points
        self.missing = missing
    }
}

/// One earlier run: when, which commit, and the candidate's metrics it reported.
public struct TrendPoint: Codable, Equatable, Sendable {
    public var runId: String
    public var createdAt: String
    public var commit: String?
    /// Metric values by name.
    public var metrics: [String: Double]

    public init(runId: String, createdAt: String, commit: String? = nil, metrics: [String: Double]) {
        self.runId = runId
        self.createdAt = createdAt
        self.commit = commit
        self.metrics = metrics
    }
}
