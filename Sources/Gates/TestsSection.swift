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

        public init(name: String? = nil, kind: CheckKind, examples: [Example]? = nil, column: String? = nil, values: [String]? = nil, epsilon: Double? = nil,
                    change: Double? = nil, expect: Direction? = nil, rows: Int? = nil, p95: ConfigDuration? = nil, maxSize: ByteSize? = nil) {
            self.name = name
            self.kind = kind
            self.examples = examples
            self.column = column
            self.values = values
            self.epsilon = epsilon
            self.change = change
            self.expect = expect
            self.rows = rows
            self.p95 = p95
            self.maxSize = maxSize
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


extension TestsSection.Check {
    /// Decodes a check and refuses, where the key is, what could never run: a missing key
    /// its kind needs, and counts or bounds out of range (`rows: 0` once crashed the latency check).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decodeIfPresent(String.self, forKey: .name), kind: try c.decode(TestsSection.CheckKind.self, forKey: .kind))
        examples = try c.decodeIfPresent([TestsSection.Example].self, forKey: .examples)
        column = try c.decodeIfPresent(String.self, forKey: .column)
        values = try c.decodeIfPresent([String].self, forKey: .values)
        epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon)
        change = try c.decodeIfPresent(Double.self, forKey: .change)
        expect = try c.decodeIfPresent(TestsSection.Direction.self, forKey: .expect)
        rows = try c.decodeIfPresent(Int.self, forKey: .rows)
        p95 = try c.decodeIfPresent(ConfigDuration.self, forKey: .p95)
        maxSize = try c.decodeIfPresent(ByteSize.self, forKey: .maxSize)
        if let rows, !(1...1_000_000).contains(rows) {
            throw DecodingError.dataCorruptedError(forKey: .rows, in: c, debugDescription: "rows must be between 1 and 1000000, got \(rows)")
        }
        if let epsilon, epsilon < 0 {
            throw DecodingError.dataCorruptedError(forKey: .epsilon, in: c, debugDescription: "epsilon must be 0 or more, got \(epsilon)")
        }
        let needed: [(CodingKeys, Bool)]
        switch kind {
        case .examples: needed = [(.examples, !(examples ?? []).isEmpty)]
        case .invariance: needed = [(.column, column != nil), (.values, !(values ?? []).isEmpty)]
        case .directional: needed = [(.column, column != nil), (.change, change != nil), (.expect, expect != nil)]
        case .latency: needed = [(.p95, p95 != nil)]
        case .size: needed = [(.maxSize, maxSize != nil)]
        }
        if let missing = needed.first(where: { !$0.1 })?.0 {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "a \(kind.rawValue) check needs \(missing.stringValue)")
        }
    }
}
