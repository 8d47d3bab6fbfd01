import Config

/// What kind of model is evaluated, which decides the metrics.
public enum EvaluationTask: String, ConfigChoice, Codable, Sendable {
    case binary, multiclass, regression
}

/// How predictions and labels are read, joined and compared.
///
/// Column names default to Sluice's prediction file convention (docs/commands/evaluate.md):
/// `prediction` (a label or a value), `score` (binary: probability of the positive class),
/// `proba_<class>` (multiclass probabilities).
public struct EvaluationOptions: Sendable {
    public var task: EvaluationTask
    /// The column of the labels file holding the true label or value.
    public var labelColumn = "label"
    /// The predictions file's predicted label (classification) or value (regression).
    public var predictionColumn = "prediction"
    /// Binary: the predicted probability of the positive class.
    public var scoreColumn = "score"
    /// Multiclass: probability columns are this prefix followed by the class label.
    public var probabilityPrefix = "proba_"
    /// Join predictions to labels by this column; nil joins by row order.
    public var idColumn: String?
    /// Binary: the positive class; nil infers `1` from {0, 1} and `true` from {false, true}.
    public var positiveLabel: String?
    /// Binary: a score at or above this is a positive prediction.
    public var threshold = 0.5
    /// Columns of the labels file whose values define slices.
    public var sliceBy: [String] = []
    /// Paired bootstrap resamples for the champion comparison; 0 turns the interval off.
    public var bootstrap = 1000
    /// Seed of the bootstrap's random numbers, so a run can be repeated exactly.
    public var seed: UInt64 = 0
    /// Confidence level of the interval of each delta.
    public var confidence = 0.95

    public init(task: EvaluationTask) {
        self.task = task
    }
}
