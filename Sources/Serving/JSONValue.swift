import Foundation
import Tabular

/// Reading inference requests: a body is parsed once into `Tabular.JSONValue` and checked by
/// hand, with messages that name the input at fault (a decoder's coding path would not).
extension JSONValue {
    /// Parses `data` as JSON; nil when it is not JSON.
    static func parse(_ data: Data) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// A number's value, whichever way the parser kept it.
    var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The kind of value, for error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The leaves of nested arrays in row-major order (the protocol allows flat or nested data).
    var flattened: [JSONValue] {
        guard case .array(let items) = self else { return [self] }
        return items.flatMap(\.flattened)
    }

    /// A number as cell text that `Double(_:)` reads back to exactly the same value: whole
    /// numbers without a fraction (so they also match integer categories), others in Swift's
    /// shortest round-trip form.
    static func cellText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
        return "\(number)"
    }
}
