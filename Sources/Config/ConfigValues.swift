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

    /// The longest duration accepted: a year, far beyond any CI job, and finite.
    public static let longest: Double = 366 * 86_400

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Parses `90`, `1.5`, `90s`, `30m`, `2h`, `1h30m` or `500ms`; nil when the text is none of these.
    public init?(parsing text: String) {
        // Finite only: an infinite or overflowing timeout would crash where it becomes a count.
        if let plain = Double(text) {
            guard plain >= 0, plain <= ConfigDuration.longest else { return nil }
            seconds = plain
            return
        }
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
        guard !text.isEmpty, total <= ConfigDuration.longest else { return nil }
        seconds = total
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            guard number >= 0, number <= ConfigDuration.longest else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a duration of 0 to \(Int(ConfigDuration.longest)) seconds, found \(number)")
            }
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

/// A number of bytes written as `1048576`, `500KB`, `20MB`, `1GiB` (powers of 1000 or
/// 1024), or `64M`/`16K`/`1G` (powers of 1024, as Docker writes them). Values that are not
/// finite or do not fit in 64 bits are rejected, never rounded or trapped on.
public struct ByteSize: Decodable, Equatable, Sendable {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    public init?(parsing text: String) {
        let units: [(String, Int64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
                                        ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let (unit, factor) = units.first { trimmed.hasSuffix($0.0) } ?? ("", 1)
        let digits = trimmed.dropLast(unit.count).trimmingCharacters(in: .whitespaces)
        if let whole = Int64(digits) {
            let (product, overflow) = whole.multipliedReportingOverflow(by: factor)
            guard whole >= 0, !overflow else { return nil }
            bytes = product
            return
        }
        // Fractions (`1.5GB`) only with a plain decimal number: no `inf`, `nan` or hex.
        guard digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let number = Double(digits) else { return nil }
        let value = number * Double(factor)
        guard value.isFinite, value >= 0, value < 9.2e18 else { return nil }
        bytes = Int64(value)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self), number >= 0 { bytes = number; return }
        let text = (try? container.decode(String.self)) ?? ""
        guard let parsed = ByteSize(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a size such as 500KB, 20MB or 1GiB (at most 8 EiB), found '\(text)'")
        }
        self = parsed
    }
}
