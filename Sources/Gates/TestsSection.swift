import Foundation
import Config
import Core

/// The `tests:` section of `sluice.yml`: commands to run and built-in behavioural checks.
public struct TestsSection: Decodable, Equatable, Sendable {
    /// A test command, such as pytest; a list runs without a shell, a string needs `shell: true`.
    public struct Command: Decodable, Equatable, Sendable {
        public var name: String
        public var command: ConfigCommand
        public var shell: Bool?
        /// A JUnit XML file the command writes; its test cases are folded into the results.
        public var junit: String?
        public var timeout: ConfigDuration?
        public var workingDirectory: String?

        enum CodingKeys: String, CodingKey {
            case name, command, shell, junit, timeout
            case workingDirectory = "working_directory"
        }
    }

    /// The kinds of built-in behavioural check.
    public enum CheckKind: String, ConfigChoice, Sendable {
        case examples, invariance, directional, latency, size
    }

    /// A fixed example: an input row and what the model must say about it.
    public struct Example: Decodable, Equatable, Sendable {
        public var input: [String: String]
        /// The predicted class (classifiers).
        public var label: String?
        /// Bounds on the score (classifiers) or the value (regression).
        public var min: Double?
        public var max: Double?
    }

    /// A built-in behavioural check.
    public struct Check: Decodable, Equatable, Sendable {
        public var name: String?
        public var kind: CheckKind
        /// examples
        public var examples: [Example]?
        /// invariance and directional: the column changed.
        public var column: String?
        /// invariance: the values the column is set to.
        public var values: [String]?
        /// invariance: the largest allowed change of the prediction.
        public var epsilon: Double?
        /// directional: the amount added to the column.
        public var change: Double?
        /// directional: `increase` or `decrease`.
        public var expect: Direction?
        /// invariance, directional, latency: how many rows of the check data to use.
        public var rows: Int?
        /// latency: the budget for the 95th percentile of one-row predictions.
        public var p95: ConfigDuration?
        /// size: the largest model size, e.g. 500KB, 20MB.
        public var maxSize: ByteSize?

        enum CodingKeys: String, CodingKey {
            case name, kind, examples, column, values, epsilon, change, expect, rows, p95
            case maxSize = "max_size"
        }
    }

    public enum Direction: String, ConfigChoice, Sendable { case increase, decrease }

    public var commands: [Command]?
    public var checks: [Check]?
    /// Rows for invariance, directional and latency checks (default: evaluate.holdout).
    public var data: String?

    public init(commands: [Command]? = nil, checks: [Check]? = nil, data: String? = nil) {
        self.commands = commands
        self.checks = checks
        self.data = data
    }
}

/// A number of bytes written as `1048576`, `500KB`, `20MB`, `1GiB`.
public struct ByteSize: Decodable, Equatable, Sendable {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    public init?(parsing text: String) {
        let units: [(String, Double)] = [("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("B", 1)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (unit, factor) in units where trimmed.hasSuffix(unit) {
            guard let number = Double(trimmed.dropLast(unit.count).trimmingCharacters(in: .whitespaces)), number >= 0 else { return nil }
            bytes = Int64(number * factor)
            return
        }
        guard let number = Int64(trimmed), number >= 0 else { return nil }
        bytes = number
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self), number >= 0 { bytes = number; return }
        let text = try container.decode(String.self)
        guard let parsed = ByteSize(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a size such as 500KB, 20MB or 1GiB, found '\(text)'")
        }
        self = parsed
    }
}
