import Config
import Core
import Foundation
import Gates
import Training

/// Connects the `Gates` capability's `Predictor` to the models `Training` knows.
public enum ModelWiring {
    /// The predictor for `model` (default: the train: section's model), through the
    /// train.predict command when there is one, else as a built-in model.
    public static func predictor(model: String?, sources: SettingsSources) throws -> Predictor {
        let plan = try TrainSettings.predictionPlan(sources)
        guard let path = model ?? plan.defaultModel else {
            throw Failure.usage("behavioural checks need a model: pass --model")
        }
        // A built-in model is loaded once, so the latency check times predictions, not file reads.
        return TrainedModel(modelPath: path, plan: plan, builtin: plan.command == nil ? try LinearModel.load(path) : nil)
    }
}

/// A trained model as a `Gates.Predictor`.
public struct TrainedModel: Predictor {
    public let modelPath: String
    public let plan: PredictionPlan
    public let builtin: LinearModel?

    public func predict(_ rows: [[String: String]]) throws -> [ModelOutput] {
        let outputs = try builtin?.labelledPredictions(records: rows) ?? Prediction.predict(records: rows, model: modelPath, plan: plan)
        return outputs.map { ModelOutput(value: $0.value, label: $0.label) }
    }
}
