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
    /// Label texts that mean "no label yet" (after trimming): the schema's `missingValues`,
    /// as training reads them; such rows are left out of every metric.
    public var missingLabels: Set<String> = [""]

    /// The most bootstrap resamples accepted: beyond, the interval no longer narrows and
    /// the work and memory grow without bound.
    public static let maxBootstrap = 100_000

    public init(task: EvaluationTask) {
        self.task = task
    }
}

/// The `evaluate:` section of `sluice.yml`; every key is optional and flags win over it.
public struct EvaluateSection: Decodable, Equatable {
    /// Where the champion's predictions come from.
    public struct Champion: Decodable, Equatable {
        /// A model file (built-in trainer) or any path the prediction command takes.
        public var model: String?
        /// Predictions already made by the champion on the holdout.
        public var predictions: String?
    }

    public var task: EvaluationTask?
    /// The labelled holdout file: labels, ids, slice columns and the features to predict from.
    public var holdout: String?
    public var labelColumn: String?
    public var idColumn: String?
    public var predictionColumn: String?
    public var scoreColumn: String?
    public var probabilityPrefix: String?
    public var positiveLabel: String?
    public var threshold: Double?
    public var sliceBy: [String]?
    public var bootstrap: Int?
    public var seed: UInt64?
    public var confidence: Double?
    public var champion: Champion?

    enum CodingKeys: String, CodingKey {
        case task, holdout, threshold, bootstrap, seed, confidence, champion
        case labelColumn = "label_column", idColumn = "id_column", predictionColumn = "prediction_column"
        case scoreColumn = "score_column", probabilityPrefix = "probability_prefix", positiveLabel = "positive_label"
        case sliceBy = "slice_by"
    }

    public init() {}

    /// Options from this section, for `task` when the section names none.
    public func options(task fallback: EvaluationTask) -> EvaluationOptions {
        var options = EvaluationOptions(task: task ?? fallback)
        if let labelColumn { options.labelColumn = labelColumn }
        options.idColumn = idColumn
        if let predictionColumn { options.predictionColumn = predictionColumn }
        if let scoreColumn { options.scoreColumn = scoreColumn }
        if let probabilityPrefix { options.probabilityPrefix = probabilityPrefix }
        options.positiveLabel = positiveLabel
        if let threshold { options.threshold = threshold }
        if let sliceBy { options.sliceBy = sliceBy }
        if let bootstrap { options.bootstrap = bootstrap }
        if let seed { options.seed = seed }
        if let confidence { options.confidence = confidence }
        return options
    }
}

extension EvaluateSection {
    /// Decodes the section, refusing out-of-range numbers where they are written.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decodeIfPresent(EvaluationTask.self, forKey: .task)
        holdout = try c.decodeIfPresent(String.self, forKey: .holdout)
        labelColumn = try c.decodeIfPresent(String.self, forKey: .labelColumn)
        idColumn = try c.decodeIfPresent(String.self, forKey: .idColumn)
        predictionColumn = try c.decodeIfPresent(String.self, forKey: .predictionColumn)
        scoreColumn = try c.decodeIfPresent(String.self, forKey: .scoreColumn)
        probabilityPrefix = try c.decodeIfPresent(String.self, forKey: .probabilityPrefix)
        positiveLabel = try c.decodeIfPresent(String.self, forKey: .positiveLabel)
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold)
        sliceBy = try c.decodeIfPresent([String].self, forKey: .sliceBy)
        bootstrap = try c.decodeIfPresent(Int.self, forKey: .bootstrap)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        confidence = try c.decodeIfPresent(Double.self, forKey: .confidence)
        champion = try c.decodeIfPresent(Champion.self, forKey: .champion)
        if let bootstrap, !(100...EvaluationOptions.maxBootstrap).contains(bootstrap) {
            throw DecodingError.dataCorruptedError(forKey: .bootstrap, in: c, debugDescription: "bootstrap must be between 100 and \(EvaluationOptions.maxBootstrap) resamples, got \(bootstrap)")
        }
        if let confidence, !(confidence > 0 && confidence < 1) {
            throw DecodingError.dataCorruptedError(forKey: .confidence, in: c, debugDescription: "confidence must be between 0 and 1 (exclusive), got \(confidence)")
        }
        if let threshold, !(0...1).contains(threshold) {
            throw DecodingError.dataCorruptedError(forKey: .threshold, in: c, debugDescription: "threshold must be between 0 and 1, got \(threshold)")
        }
    }
}
