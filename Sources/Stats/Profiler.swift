import Foundation
import Tabular

/// What a profiler needs to know beyond the data.
public struct ProfileOptions: Sendable {
    /// A column's declared type.
    public struct DeclaredColumn: Sendable {
        public var type: String
        public var numeric: Bool
        /// The column's own missing-value markers, overriding `missingValues`.
        public var missingValues: [String]?
        /// The schema field, to parse numbers in its own syntax (group and decimal characters).
        public var field: SchemaField?
        public init(type: String, numeric: Bool, missingValues: [String]? = nil, field: SchemaField? = nil) {
            self.type = type
            self.numeric = numeric
            self.missingValues = missingValues
            self.field = field
        }
    }

    /// Field texts that mean "no value". Without a schema: pandas' usual markers.
    public var missingValues: [String]
    /// Declared types by column name (from a Table Schema); others are inferred.
    public var declaredColumns: [String: DeclaredColumn]
    /// Profile only shard `index` (0-based) of `count`: the rows whose number mod count is index.
    public var shard: (index: Int, count: Int)?
    /// Raw numbers kept per column for exact tests (0 keeps none).
    public var retainedValueLimit: Int
    public var sketches: SketchSettings

    /// pandas' default missing-value markers, used when no schema says otherwise.
    public static let defaultMissingValues = ["", "NA", "N/A", "n/a", "NaN", "nan", "-nan", "NULL", "null", "None", "<NA>", "#N/A"]

    public init(missingValues: [String] = ProfileOptions.defaultMissingValues, declaredColumns: [String: DeclaredColumn] = [:], shard: (index: Int, count: Int)? = nil, retainedValueLimit: Int = 0, sketches: SketchSettings = SketchSettings()) {
        self.missingValues = missingValues
        self.declaredColumns = declaredColumns
        self.shard = shard
        self.retainedValueLimit = retainedValueLimit
        self.sketches = sketches
    }

    /// Options from a Table Schema: its types decide numeric or categorical (integer, number
    /// and year are numeric) and its missing-value markers replace pandas' defaults.
    public init(schema: TableSchema) {
        var declared: [String: DeclaredColumn] = [:]
        for field in schema.fields {
            let numeric = [FieldType.integer, .number, .year].contains(field.type)
            declared[field.name] = DeclaredColumn(type: field.type.rawValue, numeric: numeric, missingValues: field.missingValues, field: field)
        }
        self.init(missingValues: schema.missingValues, declaredColumns: declared)
    }
}

/// Missing-value markers as bytes, compared without building strings.
struct MissingMarkers {
    let markers: [[UInt8]]
    let emptyIsMissing: Bool

    init(_ values: [String]) {
        markers = values.filter { !$0.isEmpty }.map { Array($0.utf8) }
        emptyIsMissing = values.contains("")
    }

    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return emptyIsMissing }
        for marker in markers where marker.count == bytes.count {
            if marker.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) { return true }
        }
        return false
    }
}

/// Builds a `Profile` in one pass. It is a `RecordObserver`, so it can ride along another
/// pass (validation) or be driven on its own (`profile(path:)`).
public final class Profiler: RecordObserver {
    public let options: ProfileOptions
    private var columns: [ColumnProfile] = []
    private var numericOnly: [Bool] = []
    private var categoricalOnly: [Bool] = []
    /// Raw numbers per column while under `retainedValueLimit`; nil once over it.
    private var retained: [[Double]?] = []
    private var rows = 0
    private var source = ""
    private var missingMarkers: [MissingMarkers] = []
    private var fields: [SchemaField?] = []

    public init(options: ProfileOptions = ProfileOptions()) {
        self.options = options
    }

    /// Profiles the file at `path` on its own pass.
    public static func profile(_ source: TableSource, options: ProfileOptions = ProfileOptions()) throws -> (Profile, Profiler) {
        let profiler = Profiler(options: options)
        let reader = try TableReader(source)
        try profiler.begin(reader)
        while try reader.next() { profiler.observe(reader) }
        try profiler.finish()
        return (profiler.profile(), profiler)
    }

    public func begin(_ reader: TableReader) throws {
        source = reader.source.path
        if let shard = options.shard { source += " (shard \(shard.index + 1)/\(shard.count))" }
        columns = reader.header.map { name in
            let declared = options.declaredColumns[name]
            return ColumnProfile(name: name, declaredType: declared?.type, declaredNumeric: declared?.numeric, categoryCapacity: options.sketches.categoryCapacity, sketchK: options.sketches.quantileK)
        }
        let shared = MissingMarkers(options.missingValues)
        missingMarkers = reader.header.map { name in options.declaredColumns[name]?.missingValues.map(MissingMarkers.init) ?? shared }
        fields = reader.header.map { options.declaredColumns[$0]?.field }
        numericOnly = columns.map { $0.declaredNumeric == true }
        categoricalOnly = columns.map { $0.declaredNumeric == false }
        retained = columns.map { _ in options.retainedValueLimit > 0 ? [] : nil }
    }

    public func observe(_ reader: TableReader) {
        if let shard = options.shard, (reader.recordNumber - 1) % shard.count != shard.index { return }
        // An empty line is not a row.
        if reader.fieldCount == 0 { return }
        rows += 1
        let width = columns.count
        let present = min(reader.fieldCount, width)
        for index in 0..<present { add(reader.field(index), to: index) }
        if present < width {
            for index in present..<width { columns[index].missing += 1 }
        }
    }

    public func finish() throws {}

    /// The profile of everything observed.
    public func profile() -> Profile {
        var result = columns
        for index in result.indices { result[index].refreshSummary() }
        return Profile(sources: [source], rowCount: rows, columns: result, sketches: options.sketches)
    }

    /// The raw numbers of column `name` when there were at most `retainedValueLimit` of them.
    public func retainedValues(_ name: String) -> [Double]? {
        guard let index = columns.firstIndex(where: { $0.name == name }) else { return nil }
        return retained[index]
    }

    /// A number in plain syntax, or in the schema field's own (group/decimal characters).
    @inline(__always)
    private func number(_ bytes: UnsafeBufferPointer<UInt8>, column index: Int) -> Double? {
        if let x = NumberSyntax.double(bytes) { return x }
        return fields[index]?.parse(bytes)?.numeric
    }

    @inline(__always)
    private func add(_ bytes: UnsafeBufferPointer<UInt8>, to index: Int) {
        if missingMarkers[index].contains(bytes) {
            columns[index].missing += 1
            return
        }
        if !categoricalOnly[index], let x = number(bytes, column: index), x.isFinite {
            columns[index].count += 1
            columns[index].numbers.add(x)
            if x == 0 { columns[index].zeros += 1 }
            columns[index].quantileSketch.add(x)
            columns[index].numberCounts.add(x)
            columns[index].distinctSketch.add(hash: Hashing.hash(x))
            if retained[index] != nil {
                if retained[index]!.count < options.retainedValueLimit {
                    retained[index]!.append(x)
                } else {
                    retained[index] = nil
                }
            }
            return
        }
        if numericOnly[index] {
            columns[index].invalid += 1
            return
        }
        columns[index].count += 1
        columns[index].labels += 1
        columns[index].labelCounts.add(String(decoding: bytes, as: UTF8.self))
        columns[index].distinctSketch.add(hash: Hashing.hash(bytes))
    }
}
