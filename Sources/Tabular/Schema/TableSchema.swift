import Foundation

/// A Frictionless Table Schema (v2): the data contract a table is checked against, plus
/// Sluice's own dataset checks kept under the `sluice` key.
///
/// ```swift
/// let schema = try TableSchema.load(path: "schema.json")
/// let age = schema.fields[schema.index(of: "age")!]
/// if case .integer(let years)? = age.parse(reader.field(5)) { ... }
/// ```
public struct TableSchema: Equatable, Sendable {
    public var fields: [SchemaField]
    /// Cells that mean "no value" (default: the empty cell).
    public var missingValues: [String]
    /// Field names whose combined values identify a row.
    public var primaryKey: [String]
    /// How the data's header must line up with `fields`.
    public var fieldsMatch: FieldsMatch
    /// Sluice's dataset checks (the `sluice` key).
    public var checks: DatasetChecks
    public var title: String?
    public var description: String?
    /// Things in the schema that Sluice reads past (unknown keys, unchecked foreign keys),
    /// for the command line to show as warnings.
    public var warnings: [String]

    public init(fields: [SchemaField], missingValues: [String] = [""], primaryKey: [String] = [], fieldsMatch: FieldsMatch = .exact, checks: DatasetChecks = DatasetChecks(), title: String? = nil, description: String? = nil, warnings: [String] = []) {
        self.fields = fields
        self.missingValues = missingValues
        self.primaryKey = primaryKey
        self.fieldsMatch = fieldsMatch
        self.checks = checks
        self.title = title
        self.description = description
        self.warnings = warnings
    }

    /// The position of the field called `name`.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The missing-value markers that apply to `field`: its own, else the schema's.
    public func missingValues(of field: SchemaField) -> MissingValues {
        MissingValues(field.missingValues ?? missingValues)
    }
}

/// How the data's header must match the schema's fields (Table Schema v2 `fieldsMatch`).
public enum FieldsMatch: String, CaseIterable, Sendable, Codable {
    /// The same names in the same order.
    case exact
    /// The same names in any order.
    case equal
    /// Every schema field is in the data; the data may have more.
    case subset
    /// Every data column is in the schema; the schema may have more.
    case superset
    /// At least one schema field is in the data.
    case partial
}

/// Sluice's dataset-level checks, under the schema's `sluice` key:
/// `{"rowCount": {"min": 1000, "max": 5000000}, "maxMissingFraction": {"income": 0.05}}`.
public struct DatasetChecks: Equatable, Sendable {
    /// The fewest data rows accepted.
    public var minRows: Int?
    /// The most data rows accepted.
    public var maxRows: Int?
    /// The largest fraction (0...1) of missing cells allowed, by field name.
    public var maxMissingFraction: [String: Double]

    public init(minRows: Int? = nil, maxRows: Int? = nil, maxMissingFraction: [String: Double] = [:]) {
        self.minRows = minRows
        self.maxRows = maxRows
        self.maxMissingFraction = maxMissingFraction
    }

    public var isEmpty: Bool { self == DatasetChecks() }
}

/// A set of missing-value markers, compared byte for byte against cells.
public struct MissingValues: Equatable, Sendable {
    private let markers: [[UInt8]]
    /// True for the default `[""]`, so callers can test `bytes.isEmpty` inline.
    public let onlyEmpty: Bool

    public init(_ values: [String]) {
        markers = values.map { Array($0.utf8) }
        onlyEmpty = values == [""]
    }

    /// Whether the cell is one of the markers.
    @inline(__always)
    public func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if onlyEmpty { return bytes.isEmpty }
        return markers.contains { CellSyntax.equal(bytes, $0) }
    }
}
