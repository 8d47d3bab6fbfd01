import Foundation

/// A JSON document as plain values, so the schema reader can walk it and name the path of
/// whatever it finds wrong, and the schema writer can emit exactly the keys it means
/// (`Serving` reads inference requests with it too).
public enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let v): try container.encode(v)
        case .integer(let v): try container.encode(v)
        case .number(let v): try container.encode(v)
        case .string(let v): try container.encode(v)
        case .array(let v): try container.encode(v)
        case .object(let v): try container.encode(v)
        }
    }

    /// How the value reads in an error message: `"abc"`, `12`, `an array`.
    var shown: String {
        switch self {
        case .null: return "null"
        case .bool(let v): return String(v)
        case .integer(let v): return String(v)
        case .number(let v): return SchemaField.shortest(v)
        case .string(let v): return "\"\(v.count > 60 ? String(v.prefix(57)) + "..." : v)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
