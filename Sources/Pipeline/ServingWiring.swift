import Core
import Foundation
import Serving
import Training

/// Connects `Serving` to the models `Training` knows: a built-in model served with the same
/// prediction code as `sluice predict` (`LinearModel.labelledPredictions`).
public enum ServingWiring {
    /// The model in `path`: a directory holding `model.json`, or the file itself.
    public static func servable(path: String) throws -> (model: ServableModel, file: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure.usage("no model at \(path) (expected a directory holding model.json, or the file)")
        }
        let file = isDirectory.boolValue ? (path as NSString).appendingPathComponent("model.json") : path
        return (ServedLinearModel(try LinearModel.load(file)), file)
    }
}

/// A built-in model as a `Serving.ServableModel`.
struct ServedLinearModel: ServableModel {
    let model: LinearModel
    let signature: ModelSignature

    init(_ model: LinearModel) {
        self.model = model
        let features = model.features.map { feature -> FeatureInput in
            switch feature.kind {
            case .categorical:
                return FeatureInput(name: feature.name, kind: .text)
            case .numeric:
                if let yes = feature.trueValues?.first, let no = feature.falseValues?.first {
                    return FeatureInput(name: feature.name, kind: .boolean(trueText: yes, falseText: no))
                }
                return FeatureInput(name: feature.name, kind: .number)
            }
        }
        signature = ModelSignature(task: model.classes == nil ? .regression : .classification, features: features, missingText: model.missingValues.first ?? "")
    }

    func predict(_ rows: [[String: String]]) throws -> [RowOutput] {
        try model.labelledPredictions(records: rows).map { RowOutput(value: $0.value, label: $0.label) }
    }
}
