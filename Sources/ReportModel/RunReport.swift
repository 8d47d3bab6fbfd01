import Foundation

/// The run report (`run.json`): everything one run found, in plain data.
///
/// Stages fill in their sections; reports, gates and later runs read it. It is versioned:
/// readers reject a `schemaVersion` they do not know. See docs/run-report.md.
public struct RunReport: Codable, Equatable, Sendable {
    /// The version of this document's shape.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// A unique id for the run, also the name of its directory under `.sluice/runs/`.
    public var runId: String
    /// When the run started (ISO 8601, UTC).
    public var createdAt: String
    /// The Sluice version that wrote the report.
    public var sluiceVersion: String
    /// The overall answer: can this be merged / promoted?
    public var outcome: Outcome
    /// Where the run came from: commit, branch, merge request, pipeline, data hashes.
    public var lineage: Lineage
    /// Each stage that ran or was skipped, in order.
    public var stages: [StageRecord]
    public var validation: ValidationSummary?
    public var drift: DriftSummary?
    public var triggers: [TriggerResult]
    public var evaluation: EvaluationSummary?
    /// Features leaking the label and holdout rows found in the training data.
    public var hygiene: HygieneSummary?
    public var gates: [GateResult]
    public var tests: [TestCaseResult]
    public var image: ImageSummary?
    /// The MLflow run this run was logged as, and the model version it registered.
    public var mlflow: MLflowSummary?
    /// How the metrics moved over the target branch's earlier runs.
    public var trend: Trend?

    public init(runId: String, createdAt: String, sluiceVersion: String, outcome: Outcome = Outcome(status: .passed, summary: ""), lineage: Lineage = Lineage(), stages: [StageRecord] = [], validation: ValidationSummary? = nil, drift: DriftSummary? = nil, triggers: [TriggerResult] = [], evaluation: EvaluationSummary? = nil, gates: [GateResult] = [], tests: [TestCaseResult] = [], image: ImageSummary? = nil) {
        self.schemaVersion = Self.currentSchemaVersion
        self.runId = runId
        self.createdAt = createdAt
        self.sluiceVersion = sluiceVersion
        self.outcome = outcome
        self.lineage = lineage
        self.stages = stages
        self.validation = validation
        self.drift = drift
        self.triggers = triggers
        self.evaluation = evaluation
        self.gates = gates
        self.tests = tests
        self.image = image
    }
}

/// The run's overall verdict, kept apart from infrastructure failure.
public struct Outcome: Codable, Equatable, Sendable {
    /// `passed`: every check held; `failed`: a verdict said no; `error`: something broke.
    public enum Status: String, Codable, Sendable { case passed, failed, error }
    public var status: Status
    /// One line for a person, for example "gate roc_auc_vs_champion failed: -0.012 < -0.005".
    public var summary: String
    /// The stage that failed or broke, when there is one.
    public var failedStage: Stage?

    public init(status: Status, summary: String, failedStage: Stage? = nil) {
        self.status = status
        self.summary = summary
        self.failedStage = failedStage
    }
}

/// Where a run came from.
public struct Lineage: Codable, Equatable, Sendable {
    /// The CI system: `gitlab`, `github`, `jenkins` or `local`.
    public var ciSystem: String?
    public var commit: String?
    public var branch: String?
    public var targetBranch: String?
    public var mergeRequest: MergeRequestRef?
    public var pipelineURL: String?
    public var jobName: String?
    /// SHA-256 of each input data file's bytes, by path.
    public var dataHashes: [String: String]
    /// Training parameters as flat strings, by name.
    public var parameters: [String: String]

    public init(ciSystem: String? = nil, commit: String? = nil, branch: String? = nil, targetBranch: String? = nil, mergeRequest: MergeRequestRef? = nil, pipelineURL: String? = nil, jobName: String? = nil, dataHashes: [String: String] = [:], parameters: [String: String] = [:]) {
        self.ciSystem = ciSystem
        self.commit = commit
        self.branch = branch
        self.targetBranch = targetBranch
        self.mergeRequest = mergeRequest
        self.pipelineURL = pipelineURL
        self.jobName = jobName
        self.dataHashes = dataHashes
        self.parameters = parameters
    }
}

/// A merge request (GitLab) or pull request (GitHub).
public struct MergeRequestRef: Codable, Equatable, Sendable {
    /// The project-scoped number (GitLab iid, GitHub PR number).
    public var number: Int
    public var url: String?
    public var title: String?

    public init(number: Int, url: String? = nil, title: String? = nil) {
        self.number = number
        self.url = url
        self.title = title
    }
}

/// The stages of `sluice run`, in the order they run. Each is also a command of its own
/// (or part of one); the run and the command call the same use case (docs/architecture.md).
public enum Stage: String, Codable, CaseIterable, Sendable {
    case validate, drift, champion, decay, triggers, train, hygiene, evaluate, tests, gates, package, smoke, push, promote, register

    /// The stages after this one, in run order.
    public var later: [Stage] {
        Array(Self.allCases.drop { $0 != self }.dropFirst())
    }
}

/// One stage of the run.
public struct StageRecord: Codable, Equatable, Sendable {
    /// How a stage ended: passed, said no (`failed`), did not run (`skipped`), or broke (`error`).
    public enum Status: String, Codable, Sendable { case passed, failed, skipped, error }
    public var name: Stage
    public var status: Status
    public var durationSeconds: Double
    /// Why it was skipped, what it found, or what broke.
    public var message: String?
    /// The last lines of a failed command's log.
    public var logTail: String?

    public init(name: Stage, status: Status, durationSeconds: Double, message: String? = nil, logTail: String? = nil) {
        self.name = name
        self.status = status
        self.durationSeconds = durationSeconds
        self.message = message
        self.logTail = logTail
    }
}
