import Core
import Evaluation
import Foundation
import ReportModel
import Training

/// The flags of `sluice evaluate`, or what `sluice run` passes in their place (the trained
/// candidate, the champion it found, its predictions directory).
public struct EvaluateFlags {
    public var predictions: String?
    public var model: String?
    public var labels: String?
    public var task: EvaluationTask?
    public var idColumn: String?
    public var labelColumn: String?
    public var positiveLabel: String?
    public var threshold: Double?
    public var sliceBy: [String] = []
    public var championPredictions: String?
    /// The champion model (`sluice run`: the one it pulled or found).
    public var championModel: String?
    public var bootstrap: Int?
    public var seed: UInt64?
    public var confidence: Double?
    /// Where predictions made from models are written (default: `.sluice/work/predictions`).
    public var predictionsDirectory: String?

    public init() {}
}

/// The resolved settings of the evaluate stage.
public struct EvaluateSettings {
    /// Where a model's predictions on the holdout come from.
    public enum Predictions {
        /// Predictions already made.
        case file(String)
        /// A model to predict with first.
        case model(String)
    }

    public var candidate: Predictions
    /// Nil when there is no champion yet (first run).
    public var champion: Predictions?
    /// The labelled holdout (absolute path).
    public var holdout: String
    /// The holdout as the user wrote it, for reports.
    public var holdoutShown: String
    public var options: EvaluationOptions
    /// How models predict: `train.predict` when configured, else in process.
    public var predictionPlan: PredictionPlan
    public var predictionsDirectory: String
    /// With `data.split` and no holdout file: the split and the labelled file the holdout
    /// rows are taken from (into `holdout`).
    public var heldOutFrom: (HoldoutSplit, source: String)?

    /// Flags, then the `evaluate:` section (and the `train:` section for the task of a
    /// built-in trainer and the label), then defaults.
    public static func resolve(_ flags: EvaluateFlags, _ sources: SettingsSources) throws -> EvaluateSettings {
        let section = try sources.section(EvaluateSection.self, "evaluate") ?? EvaluateSection()
        let train = try sources.section(TrainSection.self, "train")
        guard let task = flags.task ?? section.task ?? train?.builtin.map(Self.task(of:)) else {
            throw Failure.usage("no task: pass --task binary|multiclass|regression or set evaluate.task in sluice.yml")
        }
        var options = section.options(task: task)
        options.labelColumn = try flags.labelColumn ?? section.labelColumn ?? sources.labelColumn()
        if let idColumn = flags.idColumn { options.idColumn = idColumn }
        if let positiveLabel = flags.positiveLabel { options.positiveLabel = positiveLabel }
        if let threshold = flags.threshold { options.threshold = threshold }
        if !flags.sliceBy.isEmpty { options.sliceBy = flags.sliceBy }
        if let bootstrap = flags.bootstrap { options.bootstrap = bootstrap }
        if let seed = flags.seed { options.seed = seed }
        if let confidence = flags.confidence { options.confidence = confidence }
        options.missingLabels = Set(try sources.trainingSchema()?.missingValues ?? [""])
        let data = try sources.section(DataSection.self, "data")
        var heldOutFrom: (HoldoutSplit, source: String)?
        if flags.labels == nil, section.holdout == nil, let split = data?.split, let reference = data?.reference {
            heldOutFrom = (split, sources.configPath(reference))
        }
        guard let holdout = sources.path(flag: flags.labels, file: section.holdout) ?? heldOutFrom.map({ _ in sources.workPath("split/holdout.csv") }) else {
            throw Failure.usage("no labels: pass --labels FILE or set evaluate.holdout (or data.split) in sluice.yml")
        }
        let candidate: Predictions
        if let model = flags.model {
            candidate = .model(sources.flagPath(model))
        } else if let predictions = flags.predictions {
            candidate = .file(sources.flagPath(predictions))
        } else {
            throw Failure.usage("pass --predictions FILE or --model FILE")
        }
        return EvaluateSettings(
            candidate: candidate,
            champion: try champion(flags, section, sources, candidateIsModel: flags.model != nil),
            holdout: holdout,
            holdoutShown: flags.labels ?? section.holdout ?? data.flatMap { data in data.split.map { "\(data.reference) (\(Int(($0.holdout * 100).rounded()))% held out)" } } ?? holdout,
            options: options,
            predictionPlan: try TrainSettings.predictionPlan(sources),
            predictionsDirectory: flags.predictionsDirectory.map(sources.flagPath) ?? sources.predictionsDirectory,
            heldOutFrom: heldOutFrom)
    }

    /// The champion's predictions: given ones, else (when the candidate is a model) the
    /// champion model predicts on the same holdout. A configured champion model that does
    /// not exist yet is the first run: no champion.
    private static func champion(_ flags: EvaluateFlags, _ section: EvaluateSection, _ sources: SettingsSources, candidateIsModel: Bool) throws -> Predictions? {
        if let predictions = flags.championPredictions { return .file(sources.flagPath(predictions)) }
        if candidateIsModel, let model = flags.championModel.map(sources.flagPath) ?? section.champion?.model.map(sources.configPath) {
            guard FileManager.default.fileExists(atPath: model) else {
                Diagnostics.line("evaluate: no champion model at \(model) yet; comparisons are not applicable (first run)")
                return nil
            }
            return .model(model)
        }
        return section.champion?.predictions.map(sources.configPath).map(Predictions.file)
    }

    /// The task a built-in trainer's models have.
    static func task(of trainer: BuiltinTrainer) -> EvaluationTask {
        switch trainer {
        case .logisticRegression: return .binary
        case .linearRegression: return .regression
        }
    }
}

/// Predicts with candidate and champion on the same holdout (when given models) and
/// computes the task's metrics for both.
public enum EvaluateStage: StageUseCase {
    public static let stage = Stage.evaluate

    public static func run(_ settings: EvaluateSettings) throws -> EvaluationSummary {
        if let (split, source) = settings.heldOutFrom {
            try split.write(source, side: .holdout, to: settings.holdout)
        }
        let candidate: String, champion: String?
        if let championSource = settings.champion, settings.predictionPlan.command == nil {
            // The built-in models predict side by side (each writes its own file; a failure
            // is reported as one after the other would). A prediction command's log lines
            // would interleave, so commands run one at a time.
            (candidate, champion) = try SideBySide.run({ try predictions(settings.candidate, name: "candidate", settings) },
                                                       { try predictions(championSource, name: "champion", settings) })
        } else {
            candidate = try predictions(settings.candidate, name: "candidate", settings)
            champion = try settings.champion.map { try predictions($0, name: "champion", settings) }
        }
        var summary = try Evaluator.evaluate(candidate: candidate, champion: champion, labels: settings.holdout, options: settings.options)
        // Reports show the holdout as the user wrote it, not the runner's build path.
        summary.holdout = settings.holdoutShown
        return summary
    }

    private static func predictions(_ source: EvaluateSettings.Predictions, name: String, _ settings: EvaluateSettings) throws -> String {
        switch source {
        case .file(let path): return path
        case .model(let model):
            let output = (settings.predictionsDirectory as NSString).appendingPathComponent("\(name).csv")
            try PredictUseCase.run(PredictSettings(model: model, data: settings.holdout, output: output, plan: settings.predictionPlan))
            return output
        }
    }
}
