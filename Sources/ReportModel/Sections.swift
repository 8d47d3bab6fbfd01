/// What validation found, in summary.
public struct ValidationSummary: Codable, Equatable, Sendable {
    public var file: String
    public var valid: Bool
    /// Data rows read (the header is not counted; blank rows are).
    public var rowCount: Int
    public var errorCount: Int
    /// Complete counts by error type (frictionless names, e.g. `type-error`).
    public var errorsByType: [String: Int]
    /// Complete counts by field name.
    public var errorsByField: [String: Int]
    /// The first errors in detail.
    public var firstErrors: [ValidationIssue]
    /// The schema file the data was checked against.
    public var schema: String?
    /// Every schema field, in order, so a report can list the fields without errors too.
    public var fields: [String]?
    /// True when more errors were found than `firstErrors` holds (`--max-errors`).
    public var errorLimitReached: Bool?
    /// Missing cells by field name (every schema field present in the data, zero included).
    public var missingByField: [String: Int]?
    /// Errors about the table as a whole rather than one row (header problems, a read that
    /// stopped early, row-count and missing-fraction checks); counted completely.
    public var tableErrorCount: Int?
    /// Invalid rows set aside (`on_invalid: drop`) instead of failing the run; nil when rows
    /// were not set aside.
    public var setAside: SetAsideRows?
    /// For one share of a validation in parallel jobs (`--part`): what the merge needs.
    public var share: ValidationShare?

    public init(file: String, valid: Bool, rowCount: Int, errorCount: Int, errorsByType: [String: Int], errorsByField: [String: Int], firstErrors: [ValidationIssue], schema: String? = nil, fields: [String]? = nil, errorLimitReached: Bool? = nil, missingByField: [String: Int]? = nil, tableErrorCount: Int? = nil, setAside: SetAsideRows? = nil) {
        self.file = file
        self.valid = valid
        self.rowCount = rowCount
        self.errorCount = errorCount
        self.errorsByType = errorsByType
        self.errorsByField = errorsByField
        self.firstErrors = firstErrors
        self.schema = schema
        self.fields = fields
        self.errorLimitReached = errorLimitReached
        self.missingByField = missingByField
        self.tableErrorCount = tableErrorCount
        self.setAside = setAside
    }

    /// Whether the data let the run go on: every row valid, or the invalid rows set aside
    /// within the allowed fraction and the table itself sound. The one rule every rendering
    /// (comment, HTML, JUnit, log) and the run's verdict follow.
    public var accepted: Bool {
        valid || ((tableErrorCount ?? 0) == 0 && setAside?.withinAllowance == true)
    }
}

/// Rows that failed validation and were written aside rather than used.
public struct SetAsideRows: Codable, Equatable, Sendable {
    /// Rows set aside.
    public var rows: Int
    /// Rows with data that were split (set aside plus kept).
    public var totalRows: Int
    /// The largest share of rows that may be set aside (`max_invalid_fraction`).
    public var allowedFraction: Double
    /// Where the set-aside rows are, as a reader finds them (e.g. `rejected.csv`).
    public var file: String?

    public init(rows: Int, totalRows: Int, allowedFraction: Double, file: String? = nil) {
        self.rows = rows
        self.totalRows = totalRows
        self.allowedFraction = allowedFraction
        self.file = file
    }

    /// The share of rows set aside (0 when there were no rows).
    public var fraction: Double { totalRows > 0 ? Double(rows) / Double(totalRows) : 0 }
    /// Whether the share stays within `allowedFraction`.
    public var withinAllowance: Bool { fraction <= allowedFraction }
}

/// One validation error.
public struct ValidationIssue: Codable, Equatable, Sendable {
    /// The frictionless error name: `type-error`, `constraint-error`, `missing-cell`, ...
    public var type: String
    /// The row number as frictionless counts it: the header is row 1, the first data row 2.
    public var row: Int?
    public var field: String?
    /// The offending cell, shortened to 80 characters.
    public var value: String?
    /// What is wrong and what was expected.
    public var message: String
    /// The physical line the row starts on (differs from `row` after multi-line cells); in a
    /// dataset of many files, the line in `file`.
    public var line: Int?
    /// The file of a dataset (directory or glob) the row is in; nil for a single file.
    public var file: String?

    public init(type: String, row: Int?, field: String?, value: String?, message: String, line: Int? = nil, file: String? = nil) {
        self.type = type
        self.row = row
        self.field = field
        self.value = value
        self.message = message
        self.line = line
        self.file = file
    }
}

/// The drift table between reference and current data.
public struct DriftSummary: Codable, Equatable, Sendable {
    public var reference: String
    public var current: String
    public var datasetDrift: Bool
    /// The share of drifted features at which the dataset counts as drifted.
    public var driftShareThreshold: Double
    public var driftedFeatures: Int
    public var totalFeatures: Int
    /// True when a side was a profile, so raw-value methods worked from sketches.
    public var fromSketches: Bool
    public var features: [FeatureDrift]

    public init(reference: String, current: String, datasetDrift: Bool, driftShareThreshold: Double, driftedFeatures: Int, totalFeatures: Int, fromSketches: Bool, features: [FeatureDrift]) {
        self.reference = reference
        self.current = current
        self.datasetDrift = datasetDrift
        self.driftShareThreshold = driftShareThreshold
        self.driftedFeatures = driftedFeatures
        self.totalFeatures = totalFeatures
        self.fromSketches = fromSketches
        self.features = features
    }
}

/// Drift of one feature.
public struct FeatureDrift: Codable, Equatable, Sendable {
    public var name: String
    /// `numeric` or `categorical`.
    public var kind: String
    /// The method that decided, or why none did.
    public var method: Method
    public var statistic: Double?
    /// p-value for tests; nil for distances.
    public var pValue: Double?
    public var threshold: Double
    public var drifted: Bool
    public var missingRateReference: Double
    public var missingRateCurrent: Double
    /// Why a feature could not be tested, or a caveat (e.g. "from sketches").
    public var note: String?
    /// Distributions for charts: shared bin labels and the share of each side per bin.
    public var distribution: Distribution?

    public init(name: String, kind: String, method: Method, statistic: Double?, pValue: Double?, threshold: Double, drifted: Bool, missingRateReference: Double, missingRateCurrent: Double, note: String? = nil, distribution: Distribution? = nil) {
        self.name = name
        self.kind = kind
        self.method = method
        self.statistic = statistic
        self.pValue = pValue
        self.threshold = threshold
        self.drifted = drifted
        self.missingRateReference = missingRateReference
        self.missingRateCurrent = missingRateCurrent
        self.note = note
        self.distribution = distribution
    }
}

extension FeatureDrift {
    /// How a feature's drift was decided: by a method, or not tested and why. Its raw value
    /// is what run.json and the tables show (`ks`, `none`, `type_change`, `missing_column`).
    public enum Method: RawRepresentable, Codable, Equatable, Sendable {
        case measured(DriftMethod)
        /// Not tested (an empty column, a method that does not fit, a failed measurement).
        case none
        /// The column's type differs between reference and current: drift, untested.
        case typeChange
        /// The column is missing from current: drift, untested.
        case missingColumn

        public init?(rawValue: String) {
            switch rawValue {
            case "none": self = .none
            case "type_change": self = .typeChange
            case "missing_column": self = .missingColumn
            default:
                guard let method = DriftMethod(rawValue: rawValue) else { return nil }
                self = .measured(method)
            }
        }

        public var rawValue: String {
            switch self {
            case .measured(let method): return method.rawValue
            case .none: return "none"
            case .typeChange: return "type_change"
            case .missingColumn: return "missing_column"
            }
        }
    }
}

/// Reference and current shares over shared bins, for charts.
public struct Distribution: Codable, Equatable, Sendable {
    /// How numeric bins were chosen.
    public enum Binning: String, Codable, Sendable {
        /// Edges at the reference's deciles: each bin holds about a tenth of the reference
        /// rows, so a long tail gets bins where the data is rather than mostly empty ones.
        case referenceDeciles = "reference_deciles"
    }
    public var bins: [String]
    public var reference: [Double]
    public var current: [Double]
    /// For numeric features, the bin edges (one more than `bins`), so a chart can label
    /// them for people; nil for categories.
    public var edges: [Double]?
    /// For numeric features, how the edges were chosen.
    public var binning: Binning?

    public init(bins: [String], reference: [Double], current: [Double], edges: [Double]? = nil, binning: Binning? = nil) {
        self.bins = bins
        self.reference = reference
        self.current = current
        self.edges = edges
        self.binning = binning
    }
}

/// Whether a retraining trigger fired, with its evidence.
public struct TriggerResult: Codable, Equatable, Sendable {
    /// `drift`, `accuracy_decay`, `schedule`, `changed_paths`, `force`.
    public var name: String
    public var fired: Bool
    public var evidence: String

    public init(name: String, fired: Bool, evidence: String) {
        self.name = name
        self.fired = fired
        self.evidence = evidence
    }
}

/// Candidate and champion metrics on the same holdout.
public struct EvaluationSummary: Codable, Equatable, Sendable {
    /// `binary`, `multiclass` or `regression`.
    public var task: String
    public var holdout: String
    /// The rows every metric is computed on: the holdout's rows that have a label.
    public var rowCount: Int
    /// Holdout rows with no value in the label column, left out of every metric (nil: none).
    public var unlabelledRows: Int?
    public var championAvailable: Bool
    public var metrics: [MetricComparison]
    public var slices: [SliceMetrics]
    /// ROC curve points for binary tasks, for the HTML report.
    public var rocCurves: [String: [CurvePoint]]?
    /// Confusion matrix of the candidate: labels and counts[actual][predicted].
    public var confusionMatrix: ConfusionMatrix?

    public init(task: String, holdout: String, rowCount: Int, championAvailable: Bool, metrics: [MetricComparison], slices: [SliceMetrics] = [], rocCurves: [String: [CurvePoint]]? = nil, confusionMatrix: ConfusionMatrix? = nil) {
        self.task = task
        self.holdout = holdout
        self.rowCount = rowCount
        self.championAvailable = championAvailable
        self.metrics = metrics
        self.slices = slices
        self.rocCurves = rocCurves
        self.confusionMatrix = confusionMatrix
    }
}

/// One metric for candidate and champion, with the delta and its confidence interval.
public struct MetricComparison: Codable, Equatable, Sendable {
    /// `better`, `worse`, `no_significant_difference`, or `not_applicable` without a champion.
    public enum Verdict: String, Codable, Sendable {
        case better, worse
        case noSignificantDifference = "no_significant_difference"
        case notApplicable = "not_applicable"
    }
    public var name: String
    public var higherIsBetter: Bool
    public var candidate: Double
    public var champion: Double?
    /// candidate − champion.
    public var delta: Double?
    /// Paired bootstrap confidence interval of the delta.
    public var ciLow: Double?
    public var ciHigh: Double?
    public var verdict: Verdict

    public init(name: String, higherIsBetter: Bool, candidate: Double, champion: Double? = nil, delta: Double? = nil, ciLow: Double? = nil, ciHigh: Double? = nil, verdict: Verdict) {
        self.name = name
        self.higherIsBetter = higherIsBetter
        self.candidate = candidate
        self.champion = champion
        self.delta = delta
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.verdict = verdict
    }
}

/// Metrics on the rows where one column has one value.
public struct SliceMetrics: Codable, Equatable, Sendable {
    public var column: String
    public var value: String
    public var rowCount: Int
    public var metrics: [String: Double]

    public init(column: String, value: String, rowCount: Int, metrics: [String: Double]) {
        self.column = column
        self.value = value
        self.rowCount = rowCount
        self.metrics = metrics
    }
}

/// A point on a curve (ROC: x = false positive rate, y = true positive rate).
public struct CurvePoint: Codable, Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A confusion matrix: `counts[actual][predicted]` over `labels`.
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    public var labels: [String]
    public var counts: [[Int]]

    public init(labels: [String], counts: [[Int]]) {
        self.labels = labels
        self.counts = counts
    }
}

/// One quality gate's verdict, with the values that decided it.
public struct GateResult: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        case passed, failed
        case notApplicable = "not_applicable"
    }
    /// What a gate judges.
    public enum Kind: String, Codable, Sendable {
        /// A metric against a bound.
        case absolute
        /// A metric's drop from the champion.
        case relative
        /// The bootstrap interval of the difference from the champion.
        case significance
        /// A metric on every value of a slice column.
        case slice
        /// The model tests of a suite.
        case test
        /// No feature leaks the label.
        case leakage
        /// Few holdout rows also in the training data.
        case holdoutOverlap = "holdout_overlap"
    }
    public var name: String
    public var kind: Kind
    public var status: Status
    /// What was compared, e.g. "f1 = 0.83 >= 0.80".
    public var detail: String
    public var observed: Double?
    public var threshold: Double?
    /// The metric a metric gate judged; nil for test gates.
    public var metric: String?
    /// The slice column a slice gate judged every value of.
    public var sliceColumn: String?

    public init(name: String, kind: Kind, status: Status, detail: String, observed: Double? = nil, threshold: Double? = nil, metric: String? = nil, sliceColumn: String? = nil) {
        self.name = name
        self.kind = kind
        self.status = status
        self.detail = detail
        self.observed = observed
        self.threshold = threshold
        self.metric = metric
        self.sliceColumn = sliceColumn
    }
}

/// One model test case (from a JUnit file, a command, or a built-in behavioural check).
public struct TestCaseResult: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case passed, failed, skipped, error }
    public var suite: String
    public var name: String
    public var status: Status
    public var durationSeconds: Double?
    public var message: String?

    public init(suite: String, name: String, status: Status, durationSeconds: Double? = nil, message: String? = nil) {
        self.suite = suite
        self.name = name
        self.status = status
        self.durationSeconds = durationSeconds
        self.message = message
    }
}

/// The packaged model image.
public struct ImageSummary: Codable, Equatable, Sendable {
    /// Where it was pushed (`registry/repo:tag`) or the layout directory.
    public var reference: String
    public var digest: String
    public var pushed: Bool
    /// The tag moved to this image by promotion, when it was.
    public var promotedTag: String?
    public var layers: [LayerSummary]
    /// Kubernetes manifests written for the pushed digest (KServe, Deployment + Service).
    public var manifests: [String]?
    /// The smoke test: the image started by a real OCI runtime and asked for predictions.
    public var smoke: SmokeSummary?

    public init(reference: String, digest: String, pushed: Bool, promotedTag: String? = nil, layers: [LayerSummary], manifests: [String]? = nil, smoke: SmokeSummary? = nil) {
        self.reference = reference
        self.digest = digest
        self.pushed = pushed
        self.promotedTag = promotedTag
        self.layers = layers
        self.manifests = manifests
        self.smoke = smoke
    }
}

/// What the smoke stage found when it started the packaged image.
public struct SmokeSummary: Codable, Equatable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        /// It started, was ready and answered as the evaluation did.
        case passed
        /// It did not start, was not ready in time, or answered differently.
        case failed
        /// Not run (turned off, or no runtime here); `detail` says why.
        case skipped
    }

    public var outcome: Outcome
    /// Why it failed or was skipped, or what it checked.
    public var detail: String
    /// The runtime used (`runc 1.1.5`).
    public var runtime: String?
    /// Seconds from starting the container to a ready answer.
    public var startupSeconds: Double?
    /// Seconds one inference request of `rows` rows took.
    public var latencySeconds: Double?
    public var rows: Int?

    public init(outcome: Outcome, detail: String, runtime: String? = nil, startupSeconds: Double? = nil, latencySeconds: Double? = nil, rows: Int? = nil) {
        self.outcome = outcome
        self.detail = detail
        self.runtime = runtime
        self.startupSeconds = startupSeconds
        self.latencySeconds = latencySeconds
        self.rows = rows
    }
}

/// One layer of the packaged image.
public struct LayerSummary: Codable, Equatable, Sendable {
    /// `base`, `dependencies`, `code`, `model`, or the configured name.
    public var name: String
    public var digest: String
    public var size: Int
    /// False when the registry already had it.
    public var uploaded: Bool

    public init(name: String, digest: String, size: Int, uploaded: Bool) {
        self.name = name
        self.digest = digest
        self.size = size
        self.uploaded = uploaded
    }
}

/// Where a run was logged in MLflow (or GitLab's model registry) and what it registered.
public struct MLflowSummary: Codable, Equatable, Sendable {
    /// The tracking server.
    public var trackingURI: String
    public var experimentID: String?
    public var runID: String?
    /// The run's page, linked from the comment.
    public var runURL: String?
    /// The registered model and the version this run registered, if it did.
    public var model: String?
    public var version: String?
    /// The alias that now points at `version`, when this run moved it.
    public var aliasMoved: String?
    /// What the run decided about the alias and why, and any fallback the server needed.
    public var notes: [String]

    public init(trackingURI: String, experimentID: String? = nil, runID: String? = nil, runURL: String? = nil, model: String? = nil,
                version: String? = nil, aliasMoved: String? = nil, notes: [String] = []) {
        self.trackingURI = trackingURI
        self.experimentID = experimentID
        self.runID = runID
        self.runURL = runURL
        self.model = model
        self.version = version
        self.aliasMoved = aliasMoved
        self.notes = notes
    }
}
