import Foundation
import Tabular

/// An inference request (`POST /v2/models/{name}/infer`) checked against the model's
/// signature and turned into rows of cell texts, the form `sluice predict` reads from CSV.
///
/// Two shapes are accepted: one tensor per feature column (each of shape `[N]` or `[N, 1]`,
/// of the datatype the model's metadata lists), or one `BYTES` tensor named `rows` whose
/// elements are JSON objects mapping column names to values (a null or an absent column is a
/// missing value).
struct InferenceRequest: Equatable {
    /// The name of the single input that carries JSON rows.
    static let rowsInput = "rows"

    var id: String?
    var rows: [[String: String]]
    /// The outputs asked for, in order; nil for all of them.
    var outputs: [String]?

    init(body: Data, signature: ModelSignature) throws {
        guard let json = JSONValue.parse(body) else {
            throw InferenceError("the body is not JSON; expected an inference request {\"inputs\": [...]}")
        }
        guard case .object(let fields) = json else {
            throw InferenceError("the body is \(json.kindName), not an inference request object {\"inputs\": [...]}")
        }
        switch fields["id"] {
        case nil, .null?: id = nil
        case .string(let text)?: id = text
        case let other?: throw InferenceError("'id' is \(other.kindName); expected a string")
        }
        guard case .array(let inputs)? = fields["inputs"], !inputs.isEmpty else {
            throw InferenceError("'inputs' must be a non-empty array of tensors ({\"name\", \"shape\", \"datatype\", \"data\"})")
        }
        let tensors = try inputs.enumerated().map { try Tensor(json: $1, position: $0) }
        let featureNames = Set(signature.features.map(\.name))
        if tensors.count == 1, tensors[0].name == Self.rowsInput, !featureNames.contains(Self.rowsInput) {
            rows = try Self.rows(fromJSONRows: tensors[0], signature: signature)
        } else {
            rows = try Self.rows(fromColumns: tensors, signature: signature)
        }
        outputs = try Self.requestedOutputs(fields["outputs"], signature: signature)
    }

    /// One tensor per feature: every feature present once, each with one value per row.
    private static func rows(fromColumns tensors: [Tensor], signature: ModelSignature) throws -> [[String: String]] {
        var seen = Set<String>()
        for tensor in tensors {
            guard signature.features.contains(where: { $0.name == tensor.name }) else {
                throw InferenceError.input(tensor.name, "the model has no such input; its inputs are \(signature.features.map(\.name).joined(separator: ", ")) (or one BYTES input '\(rowsInput)' of JSON rows)")
            }
            guard seen.insert(tensor.name).inserted else { throw InferenceError.input(tensor.name, "given twice") }
        }
        if let absent = signature.features.first(where: { !seen.contains($0.name) }) {
            throw InferenceError.input(absent.name, "missing; the model needs one tensor per input (\(signature.features.map(\.name).joined(separator: ", ")))")
        }
        let count = tensors[0].rowCount
        var rows = [[String: String]](repeating: [:], count: count)
        for feature in signature.features {
            let tensor = tensors.first { $0.name == feature.name }!
            guard tensor.rowCount == count else {
                throw InferenceError.input(tensor.name, "\(tensor.rowCount) rows, but input '\(tensors[0].name)' has \(count); every input needs one value per row")
            }
            for (row, value) in tensor.values.enumerated() {
                rows[row][feature.name] = try cell(value, of: tensor, for: feature.kind, row: row)
            }
        }
        return rows
    }

    /// The text of one value of a feature's tensor, after checking the datatype fits.
    private static func cell(_ value: JSONValue, of tensor: Tensor, for kind: FeatureInput.Kind, row: Int) throws -> String {
        let expected = kind.datatype
        switch (kind, tensor.datatype) {
        case (.number, let type) where type.isNumeric:
            guard let number = value.number else {
                throw InferenceError.input(tensor.name, "value \(row + 1) is \(value.kindName); \(type.rawValue) data must be numbers")
            }
            guard !type.isInteger || number == number.rounded() else {
                throw InferenceError.input(tensor.name, "value \(row + 1) (\(number)) is not a whole number, as \(type.rawValue) data must be")
            }
            return JSONValue.cellText(number)
        case (.boolean(let yes, let no), .bool):
            guard case .bool(let flag) = value else {
                throw InferenceError.input(tensor.name, "value \(row + 1) is \(value.kindName); BOOL data must be true or false")
            }
            return flag ? yes : no
        case (.text, .bytes):
            guard case .string(let text) = value else {
                throw InferenceError.input(tensor.name, "value \(row + 1) is \(value.kindName); BYTES data must be strings")
            }
            return text
        default:
            let accepted = kind == .number ? "a numeric datatype (FP64, FP32, INT64, ...)" : expected.rawValue
            throw InferenceError.input(tensor.name, "datatype \(tensor.datatype.rawValue), but the model takes \(accepted)")
        }
    }

    /// One BYTES tensor whose elements are JSON objects, one a row.
    private static func rows(fromJSONRows tensor: Tensor, signature: ModelSignature) throws -> [[String: String]] {
        guard tensor.datatype == .bytes else {
            throw InferenceError.input(tensor.name, "datatype \(tensor.datatype.rawValue); JSON rows come as BYTES")
        }
        return try tensor.values.enumerated().map { index, element in
            guard case .string(let text) = element, let parsed = JSONValue.parse(Data(text.utf8)), case .object(let object) = parsed else {
                throw InferenceError.input(tensor.name, "element \(index + 1) is not a JSON object as text (like \"{\\\"age\\\": 31}\")")
            }
            var row: [String: String] = [:]
            for feature in signature.features {
                switch (object[feature.name] ?? .null, feature.kind) {
                case (.null, _): row[feature.name] = signature.missingText
                case (.string(let text), _): row[feature.name] = text
                case (.integer(let number), _): row[feature.name] = JSONValue.cellText(Double(number))
                case (.number(let number), _): row[feature.name] = JSONValue.cellText(number)
                case (.bool(let flag), .boolean(let yes, let no)): row[feature.name] = flag ? yes : no
                case (.bool(let flag), _): row[feature.name] = flag ? "true" : "false"
                case (let other, _):
                    throw InferenceError.input(tensor.name, "row \(index + 1): '\(feature.name)' is \(other.kindName); expected a string, number, boolean or null")
                }
            }
            return row
        }
    }

    /// The `outputs` the request names, each one the model has.
    private static func requestedOutputs(_ value: JSONValue?, signature: ModelSignature) throws -> [String]? {
        guard let value, value != .null else { return nil }
        let available = signature.outputs.map(\.name)
        guard case .array(let items) = value else { throw InferenceError("'outputs' must be an array of {\"name\": ...}") }
        return try items.map { item in
            guard case .object(let fields) = item, case .string(let name)? = fields["name"] else {
                throw InferenceError("each of 'outputs' must be an object with a string 'name'")
            }
            guard available.contains(name) else {
                throw InferenceError("the model has no output '\(name)'; its outputs are \(available.joined(separator: ", "))")
            }
            return name
        }
    }
}

/// One input tensor as sent: name, datatype, shape and its values in row-major order.
struct Tensor: Equatable {
    var name: String
    var datatype: Datatype
    var values: [JSONValue]

    /// Rows: the first dimension of the shape.
    var rowCount: Int { values.count }

    init(json: JSONValue, position: Int) throws {
        guard case .object(let fields) = json else {
            throw InferenceError("inputs[\(position)] is \(json.kindName); expected a tensor object {\"name\", \"shape\", \"datatype\", \"data\"}")
        }
        guard case .string(let name)? = fields["name"], !name.isEmpty else {
            throw InferenceError("inputs[\(position)] has no string 'name'")
        }
        self.name = name
        guard case .string(let typeName)? = fields["datatype"] else {
            throw InferenceError.input(name, "no string 'datatype'; expected one of \(Datatype.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let datatype = Datatype(rawValue: typeName) else {
            throw InferenceError.input(name, "datatype '\(typeName)' is not one of \(Datatype.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.datatype = datatype
        guard case .array(let dimensions)? = fields["shape"] else {
            throw InferenceError.input(name, "no 'shape' array; expected [N] or [N, 1] for N rows")
        }
        let shape = try dimensions.map { dimension -> Int in
            guard let size = dimension.number, size >= 0, size == size.rounded(), size < 1e12 else {
                throw InferenceError.input(name, "shape holds \(dimension.kindName == "a number" ? "a negative or fractional number" : dimension.kindName); expected whole sizes")
            }
            return Int(size)
        }
        guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
            throw InferenceError.input(name, "shape \(shape) is not [N] or [N, 1]: one value per row")
        }
        guard let data = fields["data"] else { throw InferenceError.input(name, "no 'data'") }
        values = data.flattened
        guard values.count == shape[0] else {
            throw InferenceError.input(name, "shape \(shape) holds \(shape[0]) values, but 'data' has \(values.count)")
        }
    }
}
