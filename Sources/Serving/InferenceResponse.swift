import Foundation

/// The bodies the server sends, compact JSON with sorted keys. Numbers are
/// written in Swift's shortest round-trip form, so a score reads back as exactly the value
/// `sluice predict` writes.
enum ResponseBody {
    struct Output: Encodable {
        var name: String
        var datatype: Datatype
        var shape: [Int]
        var data: OutputData
    }

    enum OutputData: Encodable {
        case numbers([Double])
        case texts([String])

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .numbers(let values): try container.encode(values.map { $0.isFinite ? $0 : nil })
            case .texts(let values): try container.encode(values)
            }
        }
    }

    struct Inference: Encodable {
        var modelName: String
        var modelVersion: String
        var id: String?
        var outputs: [Output]

        enum CodingKeys: String, CodingKey {
            case modelName = "model_name", modelVersion = "model_version", id, outputs
        }
    }

    struct ModelMetadata: Encodable {
        var name: String
        var versions: [String]
        var platform: String
        var inputs: [TensorMetadata]
        var outputs: [TensorMetadata]
    }

    struct ServerMetadata: Encodable {
        var name: String
        var version: String
        var extensions: [String]
    }

    struct ErrorBody: Encodable {
        var error: String
        var input: String?
    }

    /// The outputs of `rows`, limited to `names` when the request asked for some.
    static func inference(_ outputs: [RowOutput], signature: ModelSignature, names: [String]?, modelName: String, modelVersion: String, id: String?) -> Inference {
        let tensors = signature.outputs.map { tensor -> Output in
            let data: OutputData
            if tensor.name == OutputName.prediction, signature.task == .classification {
                data = .texts(outputs.map { $0.label ?? "" })
            } else {
                data = .numbers(outputs.map(\.value))
            }
            return Output(name: tensor.name, datatype: tensor.datatype, shape: [outputs.count], data: data)
        }
        let chosen = names.map { names in names.compactMap { name in tensors.first { $0.name == name } } } ?? tensors
        return Inference(modelName: modelName, modelVersion: modelVersion, id: id, outputs: chosen)
    }

    static func encode<T: Encodable>(_ value: T) -> Data {
        // These types always encode; a failure would be a programming error.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data(#"{"error":"response encoding failed"}"#.utf8)
    }
}
