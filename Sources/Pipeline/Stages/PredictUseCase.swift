import Core
import Foundation
import ReportModel
import Training

/// The flags of `sluice predict`, or what the run's evaluate and decay stages pass in their
/// place (a model, the holdout, a file in `.sluice/work/predictions/`).
public struct PredictFlags {
    /// The model (default: the one `sluice train` writes, `train.output`/`train.model_file`).
    public var model: String?
    public var data: String?
    public var output: String?

    public init(model: String? = nil, data: String? = nil, output: String? = nil) {
        self.model = model
        self.data = data
        self.output = output
    }
}

/// The resolved settings of a prediction.
public struct PredictSettings {
    public var model: String
    public var data: String
    public var output: String
    /// `train.predict`, its working directory, environment and time limit; no command
    /// predicts in process with a built-in model.
    public var plan: PredictionPlan

    /// Flags, then the `train:` section, then defaults. Paths are absolute: a prediction
    /// command runs in `train.working_directory`, not where sluice was started.
    public static func resolve(_ flags: PredictFlags, _ sources: SettingsSources) throws -> PredictSettings {
        let plan = try TrainSettings.predictionPlan(sources)
        guard let model = flags.model.map(sources.absolutePath) ?? plan.defaultModel else {
            throw Failure.usage("no model: give --model PATH, or a train: section in sluice.yml whose model sluice train writes")
        }
        guard let data = flags.data.map(sources.absolutePath) else { throw Failure.usage("no data to predict for: give --data FILE") }
        guard let output = flags.output.map(sources.absolutePath) else { throw Failure.usage("no predictions file: give --out FILE") }
        return PredictSettings(model: model, data: data, output: output, plan: plan)
    }
}

/// Writes a model's predictions for a data file: a built-in model in process, any other
/// through `train.predict`. `sluice predict`, and the evaluate use case (for candidate and
/// champion models, in `sluice evaluate --model` and the run's evaluate and decay stages),
/// all call this. Not a stage of its own in `run.json`: it is part of those stages.
public enum PredictUseCase {
    public static func run(_ settings: PredictSettings) throws {
        try Prediction.predict(model: settings.model, data: settings.data, output: settings.output, plan: settings.plan)
    }
}
