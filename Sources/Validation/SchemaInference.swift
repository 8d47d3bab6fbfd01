import Core
import Tabular

/// Settings for inferring a schema from data.
public struct InferenceOptions: Sendable {
    /// A string column with at most this many distinct values gets an `enum`.
    public var enumThreshold: Int
    /// Whether to write the observed `minimum`/`maximum` of numeric and temporal columns.
    public var bounds: Bool

    public init(enumThreshold: Int = 10, bounds: Bool = false) {
        self.enumThreshold = enumThreshold
        self.bounds = bounds
    }
}

/// Infers a Table Schema from reference data in one streaming pass.
///
/// Each column keeps the types every value so far could be, and the first that survives
/// wins, in the order a person would expect: boolean, integer, number, date, datetime,
/// time, then string. A format that types its columns (Parquet) decides the type instead.
/// Columns with no missing cell are `required`; low-cardinality string columns get an
/// `enum`; `bounds` adds the observed range. The result validates the data it came from
/// with zero errors.
public enum SchemaInference {
    /// Infers a schema for `source`. Throws `TableReadError` when the file cannot be read
    /// and a `Failure` (exit 1) when the data cannot have a schema (duplicate column names).
    public static func infer(_ source: TableSource, options: InferenceOptions = InferenceOptions()) throws -> TableSchema {
        let reader = try TableReader(source)
        var seenNames: [String: Int] = [:]
        for (index, label) in reader.header.enumerated() {
            if let first = seenNames[label] {
                throw Failure(.verdictFailed, "\(source.path): columns \(first + 1) and \(index + 1) are both named \"\(label)\"; a schema needs distinct names, so rename one")
            }
            seenNames[label] = index
        }
        let declared = reader.declaredTypes
        let columns = reader.header.enumerated().map { index, label in
            ColumnEvidence(name: label.isEmpty ? "field\(index + 1)" : label, enumThreshold: options.enumThreshold, declared: declared?[index])
        }
        var rows = 0
        while try reader.next() {
            rows += 1
            for (index, column) in columns.enumerated() {
                column.observe(index < reader.fieldCount ? reader.field(index) : UnsafeBufferPointer(start: nil, count: 0))
            }
        }
        return TableSchema(fields: try columns.map { try $0.field(rows: rows, bounds: options.bounds) })
    }
}

/// What one column's values have shown so far.
private final class ColumnEvidence {
    /// Candidate types in order of preference, each with the field that parses it.
    static let candidates: [SchemaField] = [
        try! SchemaField(name: "", type: .boolean, trueValues: ["true", "True", "TRUE"], falseValues: ["false", "False", "FALSE"]),
        try! SchemaField(name: "", type: .integer),
        try! SchemaField(name: "", type: .number),
        try! SchemaField(name: "", type: .date),
        try! SchemaField(name: "", type: .datetime),
        try! SchemaField(name: "", type: .time),
    ]

    let name: String
    let enumThreshold: Int
    /// The type the file's metadata gives the column, which overrides what values suggest.
    let declared: FieldType?
    /// Which candidates every value so far parsed as.
    var viable = Array(repeating: true, count: ColumnEvidence.candidates.count)
    var minimum: [CellValue?] = Array(repeating: nil, count: ColumnEvidence.candidates.count)
    var maximum: [CellValue?] = Array(repeating: nil, count: ColumnEvidence.candidates.count)
    var missing = 0
    var present = 0
    /// Whether some datetime value had no offset: then bounds are written naive too.
    var sawNaiveDatetime = false
    /// Distinct values while there are few enough for an enum; nil once there are too many.
    var distinct: Set<String>? = []

    init(name: String, enumThreshold: Int, declared: FieldType?) {
        self.name = name
        self.enumThreshold = enumThreshold
        self.declared = declared
        if let declared { viable = Self.candidates.map { $0.type == declared } }
    }

    func observe(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.isEmpty {
            missing += 1
            return
        }
        present += 1
        for index in viable.indices where viable[index] {
            guard let value = Self.candidates[index].parse(bytes) else {
                viable[index] = false
                continue
            }
            if case .number(let v) = value, !v.isFinite { continue }  // NaN and INF bound nothing
            if case .datetime = value, !sawNaiveDatetime, !SchemaField.datetimeHasOffset(bytes) { sawNaiveDatetime = true }
            if minimum[index].map({ CellValue.compare(value, $0) ?? 0 < 0 }) ?? true { minimum[index] = value }
            if maximum[index].map({ CellValue.compare(value, $0) ?? 0 > 0 }) ?? true { maximum[index] = value }
        }
        if distinct != nil {
            distinct!.insert(String(decoding: bytes, as: UTF8.self))
            if distinct!.count > enumThreshold { distinct = nil }
        }
    }

    func field(rows: Int, bounds: Bool) throws -> SchemaField {
        var constraints = FieldConstraints()
        constraints.required = rows > 0 && missing == 0
        guard present > 0, let chosen = viable.firstIndex(of: true) else {
            if present > 0, let values = distinct, values.count * 2 <= present {
                constraints.enumValues = values.sorted()
            }
            return try SchemaField(name: name, type: declared ?? (present > 0 ? .string : .any), constraints: constraints)
        }
        let candidate = Self.candidates[chosen]
        if bounds, candidate.type != .boolean, let low = minimum[chosen], let high = maximum[chosen] {
            constraints.minimum = Self.widened(low, down: true)
            constraints.maximum = Self.widened(high, down: false)
            constraints.naiveDatetimeBounds = candidate.type == .datetime && sawNaiveDatetime
        }
        return try SchemaField(name: name, type: candidate.type, constraints: constraints)
    }

    /// Times and datetimes are written to the microsecond, so bounds are widened to whole
    /// seconds that surely contain the data.
    static func widened(_ value: CellValue, down: Bool) -> CellValue {
        switch value {
        case .datetime(let seconds): return .datetime(down ? seconds.rounded(.down) : seconds.rounded(.up))
        case .time(let seconds): return .time(down ? seconds.rounded(.down) : min(seconds.rounded(.up), 86_399.999_999))
        default: return value
        }
    }
}
