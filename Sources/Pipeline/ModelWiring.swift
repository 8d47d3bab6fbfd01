import Config
import Core
import Foundation
import Gates
import Training

/// Connects the `Gates` capability's `Predictor` to models the command line knows.
public enum ModelWiring {
    /// The predictor for `model` (or the train: section's model): a built-in model file.
    public static func predictor(model: String?, config: ConfigFile?) throws -> Predictor {
        let section = try config?.decodeIfPresent(TrainSection.self, at: "train")
        let path: String
        if let model {
            path = model
        } else if let section, let config {
            path = try section.plan(resolve: config.resolve).modelPath
        } else {
            throw Failure.usage("behavioural checks need a model: pass --model")
        }
        return BuiltinPredictor(model: try LinearModel.load(path), modelPath: path)
    }
}

extension ModelWiring {
    /// Predictions of the candidate and (when its model exists) the champion on the holdout,
    /// written into `outputs` (default `.sluice/predictions/` beside the config), through
    /// train.predict or the built-in model.
    /// A configured champion that does not exist yet is the first run: no champion.
    public static func predictHoldout(candidate: String, champion: String?, holdout: String, config: ConfigFile?, outputs: String? = nil) throws -> (candidate: String, champion: String?) {
        let section = try config?.decodeIfPresent(TrainSection.self, at: "train")
        let command = try section?.predict?.commandForPrediction(shell: section?.shell ?? false)
        let directory = section?.workingDirectory.map { config!.resolve($0) }
        let outputs = outputs ?? config?.resolve(".sluice/predictions") ?? ".sluice/predictions"
        func run(_ model: String, _ name: String) throws -> String {
            let output = (outputs as NSString).appendingPathComponent("\(name).csv")
            try Prediction.predict(model: model, data: holdout, output: output, command: command, workingDirectory: directory, environment: section?.environment ?? [:], timeout: section?.timeout?.seconds)
            return output
        }
        let candidatePredictions = try run(candidate, "candidate")
        guard let champion else { return (candidatePredictions, nil) }
        guard FileManager.default.fileExists(atPath: champion) else {
            Diagnostics.line("evaluate: no champion model at \(champion) yet; comparisons are not applicable (first run)")
            return (candidatePredictions, nil)
        }
        return (candidatePredictions, try run(champion, "champion"))
    }
}

/// A built-in model as a `Gates.Predictor`.
public struct BuiltinPredictor: Predictor {
    public let model: LinearModel
    public let modelPath: String

    public init(model: LinearModel, modelPath: String) {
        self.model = model
        self.modelPath = modelPath
    }

    public func predict(_ rows: [[String: String]]) throws -> [Double] {
        try model.predict(records: rows)
    }

    public func label(forScore score: Double) -> String? {
        model.classes.map { score >= 0.5 ? $0[1] : $0[0] }
    }
}
