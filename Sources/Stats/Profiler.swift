import Core
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
    /// The widest table profiled; a wider one stops with `TooManyColumns` before any row is read.
    public var columnLimit = ProfileOptions.defaultColumnLimit

    /// 100,000 columns: the 1 GB budget of docs/performance.md ("Width: memory per column").
    public static let defaultColumnLimit = 100_000

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
    /// Bit n set when a marker is n bytes long (n < 64): most cells are no marker's length,
    /// and are told so without a loop over the markers.
    let lengths: UInt64

    init(_ values: [String]) {
        markers = values.filter { !$0.isEmpty }.map { Array($0.utf8) }
        emptyIsMissing = values.contains("")
        lengths = markers.reduce(0) { $1.count < 64 ? $0 | 1 << UInt64($1.count) : $0 }
    }

    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return emptyIsMissing }
        if bytes.count < 64, lengths & (1 << UInt64(bytes.count)) == 0 { return false }
        for marker in markers where marker.count == bytes.count {
            if marker.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) { return true }
        }
        return false
    }
}

/// Builds a `Profile` in one pass. It is a `RecordObserver`, so it can ride along another
/// pass (validation, whose numbers it then reuses) or be driven on its own
/// (`profile(_:options:)`).
public final class Profiler: NumberReusingObserver {
    public let options: ProfileOptions
    /// One state per column, in memory of the profiler's own, reached through a pointer. It
    /// and `rows` are touched once a record by `observe` (or once a batch by
    /// `observeParquetBatches`) alone, so they go without a dynamic exclusivity check
    /// (which was 3% of profiling).
    @exclusivity(unchecked) var columns = UnsafeMutableBufferPointer<ColumnState>(start: nil, count: 0)
    @exclusivity(unchecked) var rows = 0
    /// What a Parquet pass in batches keeps between them (`ParquetBatchProfiling`).
    var parquetBatches = ParquetBatchProfiling()
    private var source = ""
    /// The table is Parquet (a dataset holds files of one format): asked once, as reading
    /// `reader.source` from this module runs an exclusivity check per record.
    private var readsParquet = false

    /// One column's statistics with what the hot loop needs to know about it.
    struct ColumnState {
        /// Its statistics, but for `numberCounts` and `labelCounts` (kept in the tables below
        /// during the pass).
        var profile: ColumnProfile
        /// Raw numbers while under `retainedValueLimit`; nil once over it (or when not kept).
        var retained: [Double]?
        /// Exact label counts by bytes; labels past its capacity go to `overflowLabels`.
        var labelTable: LabelTable
        /// The heavy hitters among the labels past `labelTable`'s capacity.
        var overflowLabels: LabelHeavyHitters
        /// Exact counts of the numbers while they hold every distinct number; nil once
        /// there were more (the counts are then abandoned, as `FrequentItems` does).
        var numberTable: NumberCountTable?
        /// Numbers for the sketches once `numberTable` is given up, added a batch at a time.
        var sketchBatch = SketchBatch()
        let missing: MissingMarkers
        /// Declared numeric: other values are invalid.
        let numericOnly: Bool
        /// Declared non-numeric: values are labels, never parsed.
        let categoricalOnly: Bool
        /// The schema field, when numbers may be written in its own syntax.
        let field: SchemaField?
        /// No `field`: numbers are read plainly, as a validation pass reads them.
        let plainNumbers: Bool

        /// The column's mergeable statistics with what was deferred during the pass filled
        /// in, and its summary.
        var finished: ColumnProfile {
            var result = profile
            sketchBatch.addHeld(to: &result)
            let counted = numberTable?.counted
            result.numberCounts = FrequentItems(capacity: result.numberCounts.capacity, abandonOnOverflow: true, counted: counted)
            result.labelCounts = overflowLabels.frequentItems
            result.labelCounts.merge(labelTable.frequentItems(capacity: result.labelCounts.capacity))
            // While the exact counts held every value, the sketches were left for the end:
            // building them from the distinct values gives what adding each value would have.
            if let counted {
                result.quantileSketch.add(counts: counted)
                for value in counted.keys { result.distinctSketch.add(hash: Hashing.hash(value)) }
            }
            for hash in labelTable.hashes { result.distinctSketch.add(hash: hash) }
            result.refreshSummary()
            return result
        }
    }

    public init(options: ProfileOptions = ProfileOptions()) {
        self.options = options
    }

    deinit {
        releaseColumns()
    }

    private func releaseColumns() {
        for index in columns.indices { columns[index].sketchBatch.release() }
        columns.deinitialize()
        columns.deallocate()
    }

    /// Profiles the file at `path` on its own pass; `observers` ride along it.
    public static func profile(_ source: TableSource, options: ProfileOptions = ProfileOptions(), observers: [RecordObserver] = []) throws -> (Profile, Profiler) {
        let profiler = try pass(source, options: options, observers: observers)
        return (profiler.profile(), profiler)
    }

    /// Reads the file at `path` once, with `observers` riding along; the profiler then holds
    /// the statistics, to be written (`write(to:)`) or assembled (`profile()`).
    public static func pass(_ source: TableSource, options: ProfileOptions = ProfileOptions(), observers: [RecordObserver] = []) throws -> Profiler {
        let profiler = Profiler(options: options)
        let all = [profiler] + observers
        let reader = try TableReader(source)
        for observer in all { try observer.begin(reader) }
        if let progress = profiler.parquetBatchObservers(reader, observers) {
            try profiler.observeParquetBatches(reader, progress: progress)
        } else {
            while try reader.next() {
                // Called directly: a loop over all observers retained each one per record.
                profiler.observe(reader)
                for observer in observers { observer.observe(reader) }
            }
        }
        for observer in all { try observer.finish() }
        return profiler
    }

    public func begin(_ reader: TableReader) throws {
        guard reader.header.count <= options.columnLimit else {
            throw TooManyColumns(source: reader.source.path, columns: reader.header.count, limit: options.columnLimit)
        }
        source = reader.dataset?.files.location ?? reader.source.path
        if let shard = options.shard { source += " (shard \(shard.index + 1)/\(shard.count))" }
        if let share = reader.share { source += " (shard \(share))" }
        readsParquet = reader.source.format == .parquet
        let shared = MissingMarkers(options.missingValues)
        let states = reader.header.map { name in
            let declared = options.declaredColumns[name]
            let profile = ColumnProfile(name: name, declaredType: declared?.type, declaredNumeric: declared?.numeric, categoryCapacity: options.sketches.categoryCapacity, sketchK: options.sketches.quantileK)
            let customSyntax = declared?.field.map { $0.groupChar != "" || $0.decimalChar != "." || !$0.bareNumber } ?? false
            return ColumnState(
                profile: profile,
                retained: options.retainedValueLimit > 0 ? [] : nil,
                labelTable: LabelTable(capacity: options.sketches.categoryCapacity),
                overflowLabels: LabelHeavyHitters(capacity: profile.labelCounts.capacity),
                numberTable: NumberCountTable(capacity: ColumnProfile.numberCountCapacity),
                missing: declared?.missingValues.map(MissingMarkers.init) ?? shared,
                numericOnly: declared?.numeric == true,
                categoricalOnly: declared?.numeric == false,
                field: customSyntax ? declared?.field : nil,
                plainNumbers: !customSyntax)
        }
        releaseColumns()
        parquetBatches = ParquetBatchProfiling()
        columns = .allocate(capacity: states.count)
        _ = columns.initialize(from: states)
    }

    public func observe(_ reader: TableReader) {
        observe(reader, reading: nil)
    }

    /// A record whose numbers a validation pass has read: those it read as the profiler
    /// would are taken as they are (`reusable`), the others read here.
    public func observe(_ reader: TableReader, numbers: UnsafeBufferPointer<Double>) {
        observe(reader, reading: numbers)
    }

    private func observe(_ reader: TableReader, reading numbers: UnsafeBufferPointer<Double>?) {
        if let shard = options.shard, (reader.recordNumber - 1) % shard.count != shard.index { return }
        // An empty line is not a row.
        if reader.fieldCount == 0 { return }
        rows += 1
        let limit = options.retainedValueLimit
        let states = columns
        let present = min(reader.fieldCount, states.count)
        if readsParquet {
            // Parquet stores numbers typed: the value, not its text read back.
            for index in 0..<present { Self.add(reader.field(index), stored: reader.storedValue(index)?.number, to: &states[index], retainedLimit: limit) }
        } else if let numbers {
            let padded = reader.fieldsArePadded
            for index in 0..<present {
                let bytes = reader.field(index)
                let state = states.baseAddress.unsafelyUnwrapped + index
                addCell(bytes, stored: Self.reusable(numbers[index], bytes, plainNumbers: state.pointee.plainNumbers), padded: padded, to: state, retainedLimit: limit)
            }
        } else {
            let padded = reader.fieldsArePadded
            for index in 0..<present { addCell(reader.field(index), stored: nil, padded: padded, to: states.baseAddress.unsafelyUnwrapped + index, retainedLimit: limit) }
        }
        if present < states.count {
            for index in present..<states.count { states[index].profile.missing += 1 }
        }
    }

    public func finish() throws {}

    /// The data rows observed.
    public var rowCount: Int { rows }
    /// The columns observed.
    public var columnCount: Int { columns.count }
    /// What was profiled (file or dataset, and shard).
    public var sources: [String] { [source] }

    /// The profile of everything observed.
    public func profile() -> Profile {
        Profile(sources: sources, rowCount: rows, columns: columns.map(\.finished), sketches: options.sketches)
    }

    /// Writes the profile of everything observed to `path` (atomically), one column at a
    /// time, so memory holds the columns' statistics but never the whole document.
    public func write(to path: String) throws {
        try ProfileWriter.write(sources: sources, rowCount: rows, sketches: options.sketches, columnCount: columns.count, column: { columns[$0].finished }, to: path)
    }

    /// The raw numbers of column `name` when there were at most `retainedValueLimit` of them.
    public func retainedValues(_ name: String) -> [Double]? {
        columns.first { $0.profile.name == name }?.retained
    }

    /// The number a validation pass read from `bytes`, when the profiler reads the same
    /// from them: not for a field with its own number syntax (which the profiler reads
    /// otherwise), a cell with white space around it (which it does not trim) or a zero
    /// (an integer's reading drops the sign of "-0"); those are read again.
    @inline(__always)
    private static func reusable(_ x: Double, _ bytes: UnsafeBufferPointer<UInt8>, plainNumbers: Bool) -> Double? {
        guard !x.isNaN, x != 0, plainNumbers, let first = bytes.first, first > 0x20, bytes[bytes.count &- 1] > 0x20 else { return nil }
        return x
    }

    /// Adds one cell: `stored` is the number its text reads as, when the file stored it
    /// typed or a validation pass read it.
    @inline(__always)
    private static func add(_ bytes: UnsafeBufferPointer<UInt8>, stored: Double?, to state: inout ColumnState, retainedLimit: Int) {
        switch withUnsafePointer(to: &state, { reading(bytes, stored: stored, at: $0) }) {
        case .missing: state.profile.missing += 1
        case .number(let x): addNumber(x, to: &state, retainedLimit: retainedLimit)
        case .invalid: state.profile.invalid += 1
        case .label: addLabel(bytes, hash: Hashing.hash(bytes), to: &state)
        }
    }

    /// Adds one cell of a delimited record: `add` for the row loop, through a pointer to
    /// the column's state, with the short number and the label's hash read in whole words
    /// when the cell is `padded` (followed by `TableReader.fieldPadding` readable bytes).
    @inline(__always)
    private func addCell(_ bytes: UnsafeBufferPointer<UInt8>, stored: Double?, padded: Bool, to state: UnsafeMutablePointer<ColumnState>, retainedLimit: Int) {
        let short = stored ?? (padded && state.pointee.plainNumbers && !state.pointee.categoricalOnly ? NumberSyntax.shortDecimal(padded: bytes) : nil)
        switch Self.reading(bytes, stored: short, at: state) {
        case .missing: state.pointee.profile.missing += 1
        case .number(let x): Self.addNumber(x, to: &state.pointee, retainedLimit: retainedLimit)
        case .invalid: state.pointee.profile.invalid += 1
        case .label: Self.addLabel(bytes, hash: padded ? Hashing.hash(padded: bytes) : Hashing.hash(bytes), to: &state.pointee)
        }
    }

    /// What a cell counts as in its column's statistics.
    enum CellReading {
        /// A missing-value marker.
        case missing
        /// A finite number.
        case number(Double)
        /// Not a finite number in a column that holds numbers only, or NaN or an infinity.
        case invalid
        /// A label: the cell's text.
        case label
    }

    /// What the cell `bytes` (whose number is `stored`, when the file stored it typed)
    /// counts as in the column of `state`.
    @inline(__always)
    static func reading(_ bytes: UnsafeBufferPointer<UInt8>, stored: Double?, in state: ColumnState) -> CellReading {
        withUnsafePointer(to: state) { reading(bytes, stored: stored, at: $0) }
    }

    /// `reading(_:stored:in:)` through a pointer to the state: the hot loop's way, as
    /// passing the state by value (or calling a method of it) copied all of it per cell.
    @inline(__always)
    static func reading(_ bytes: UnsafeBufferPointer<UInt8>, stored: Double?, at state: UnsafePointer<ColumnState>) -> CellReading {
        if state.pointee.missing.contains(bytes) { return .missing }
        let categoricalOnly = state.pointee.categoricalOnly
        if !categoricalOnly, let x = stored ?? NumberSyntax.double(bytes) ?? (state.pointee.plainNumbers ? nil : fieldNumber(bytes, state)), x.isFinite {
            return .number(x)
        }
        // Infinities and NaN bound nothing: left out of the statistics, as a declared
        // column's are, and (as Evidently drops them) they do not make a column categorical.
        if state.pointee.numericOnly || (!categoricalOnly && NumberSyntax.nonFinite(bytes) != nil) { return .invalid }
        return .label
    }

    /// The number `bytes` read as in the column's field's own syntax; out of line, as the
    /// rare case.
    @inline(never)
    private static func fieldNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ state: UnsafePointer<ColumnState>) -> Double? {
        state.pointee.field?.parse(bytes)?.numeric
    }

    /// Adds a cell that reads as the finite number `x`.
    @inline(__always)
    static func addNumber(_ x: Double, to state: inout ColumnState, retainedLimit: Int) {
        state.profile.count += 1
        state.profile.numbers.add(x)
        if x == 0 { state.profile.zeros += 1 }
        // While the exact counts hold every value they are the distribution, so the
        // sketch is deferred: it is built from the counts when they overflow (or at the end).
        // So is the distinct-count sketch: it is built from the counted values then.
        if state.numberTable != nil {
            if !state.numberTable!.add(x) { overflowNumberCounts(adding: x, to: &state) }
        } else {
            state.sketchBatch.add(x, flushingInto: &state.profile)
        }
        if state.retained != nil {
            if state.retained!.count < retainedLimit {
                state.retained!.append(x)
            } else {
                state.retained = nil
            }
        }
    }

    /// Adds a cell that is the label `bytes` (whose `Hashing.hash` is `hash`).
    @inline(__always)
    static func addLabel(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, to state: inout ColumnState) {
        state.profile.count += 1
        state.profile.labels += 1
        // Labels in the table join the distinct-count sketch at the end (`finished`).
        if state.labelTable.add(bytes, hash: hash) == nil {
            state.overflowLabels.add(bytes, hash: hash)
            state.profile.distinctSketch.add(hash: hash)
        }
    }

    /// A distinct number past the exact counts' capacity: the deferred sketches are built
    /// from the counts, `x` joins them, and the counts are given up.
    static func overflowNumberCounts(adding x: Double, to state: inout ColumnState) {
        guard let counted = state.numberTable?.counted else { return }
        state.profile.quantileSketch.add(counts: counted)
        state.profile.quantileSketch.add(x)
        for value in counted.keys { state.profile.distinctSketch.add(hash: Hashing.hash(value)) }
        state.profile.distinctSketch.add(hash: Hashing.hash(x))
        state.numberTable = nil
    }
}

/// A table wider than the profiler's column limit: stopping is better than swapping (exit 2).
public struct TooManyColumns: SluiceError, Equatable {
    public let source: String
    public let columns: Int
    public let limit: Int

    public var exitStatus: ExitStatus { .usage }

    public var description: String {
        "\(source): the table has \(columns) columns, more than the limit of \(limit) that keeps profiling within its memory budget; "
            + "raise it with --max-columns (allow about 60 KB of memory per filled column)"
    }
}
