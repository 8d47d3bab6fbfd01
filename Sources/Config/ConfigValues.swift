import Foundation

/// A closed set of words in a configuration file, such as `task: binary`.
///
/// A string-backed enum that conforms decodes strictly with a useful message:
/// "expected one of: binary, multiclass, regression; did you mean 'binary'?".
public protocol ConfigChoice: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension ConfigChoice {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let value = Self(rawValue: word) else {
            let allowed = Self.allCases.map(\.rawValue)
            var message = "expected one of: \(allowed.joined(separator: ", ")), found '\(word)'"
            if let suggestion = Suggestion.closest(to: word, among: allowed) { message += "; did you mean '\(suggestion)'?" }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: message)
        }
        self = value
    }
}

/// A length of time written as seconds (`90`) or with units (`90s`, `30m`, `1h30m`, `500ms`).
public struct ConfigDuration: Decodable, Equatable, Sendable {
    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Parses `90`, `1.5`, `90s`, `30m`, `2h`, `1h30m` or `500ms`; nil when the text is none of these.
    public init?(parsing text: String) {
        if let plain = Double(text), plain >= 0 { seconds = plain; return }
        let units: [(String, Double)] = [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1)]
        var rest = Substring(text)
        var total = 0.0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let amount = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += amount * factor
        }
        guard !text.isEmpty else { return nil }
        seconds = total
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self), number >= 0 {
            seconds = number
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = ConfigDuration(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a duration such as 90, 90s, 30m, 1h30m or 500ms, found '\(text)'")
        }
        self = parsed
    }
}
