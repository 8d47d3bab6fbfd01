import Tabular

/// What a cell comes to, worked out once per distinct value of a Parquet page: fine,
/// missing (and allowed to be), or something the row-by-row check must look at (an error,
/// or a case this shortcut does not decide).
enum CellVerdict: UInt8 {
    case fine
    case missing
    case rowCheck
}

extension FieldCheck {
    /// The verdict of a cell with text `bytes` and stored value `stored`. It answers `fine`
    /// or `missing` only where the row-by-row check (`Pass.checkCell`) would log nothing
    /// but the `unique` check (`ParquetBatchProbes`); every other cell goes to that check,
    /// which writes the errors.
    func verdict(_ bytes: UnsafeBufferPointer<UInt8>, stored: StoredValue?) -> CellVerdict {
        if isMissing(bytes) { return required ? .rowCheck : .missing }
        let known = stored.flatMap(valueOfStored)
        switch plan {
        case .presence:
            return .fine
        case .number(let bounds):
            let number: Double?
            if case .number(let x)? = known { number = x } else { number = self.number(bytes) }
            guard let number, bounds?.contains(number) ?? true else { return .rowCheck }
            return .fine
        case .integer(let bounds):
            let integer: Int64?
            if case .integer(let x)? = known { integer = x } else { integer = self.integer(bytes) }
            guard let integer, bounds?.contains(integer) ?? true else { return .rowCheck }
            return .fine
        case .general:
            guard let value = known ?? parse(bytes), !hasValueConstraints || accepts(value, bytes) else { return .rowCheck }
            return .fine
        }
    }
}

/// The verdicts of one column's distinct values (a dictionary or a plain page), kept while
/// its pages refer to them.
private struct ValueVerdicts {
    let values: ParquetPageValues
    var verdicts: [CellVerdict]
    /// The verdict of a null cell, which a row holds as an empty field.
    let null: CellVerdict
    /// Whether every value is fine: a page of them without nulls needs no look per cell.
    let allFine: Bool

    init(_ values: ParquetPageValues, check: FieldCheck) {
        self.values = values
        verdicts = (0..<values.count).map { check.verdict(values.text($0), stored: values.stored($0)) }
        null = check.verdict(UnsafeBufferPointer(start: nil, count: 0), stored: nil)
        allFine = !verdicts.contains { $0 != .fine }
    }
}

/// Validation of one Parquet file a batch of rows at a time: each column's distinct values
/// are checked once per dictionary (or plain page), each cell then looks up its value's
/// verdict, and only the rows with a cell to report (or blank ones) are built and checked
/// row by row (`Pass.checkRecord`), so the errors, their order and the counts are those of
/// the row-by-row pass. It applies when no observer needs every record (a profiler takes the
/// batches too: `ParquetBatchObserver`), and to `unique` and
/// primary-key checks in a chunk of a parallel pass (one row group; `ParquetBatchProbes`),
/// whose merge decides them.
struct ParquetBatchValidation {
    /// Rows per batch at most: bounds the per-row scratch space.
    static let batchRows = 1 << 16

    /// Whether `pass` over `reader` can run in batches.
    static func applies(to pass: Pass, reader: TableReader, observers: [RecordObserver]) -> Bool {
        reader.source.format == .parquet && reader.dataset == nil && observers.allSatisfy(takesBatches)
            && (pass.deferred || !hasProbes(pass.schema))
    }

    /// Whether `observer` can ride along a pass in batches: it needs the progress only, or
    /// takes the batches themselves.
    private static func takesBatches(_ observer: RecordObserver) -> Bool {
        observer is ProgressObserver || (observer as? ParquetBatchObserver)?.acceptsParquetBatches == true
    }

    /// Whether `schema` has a `unique` or primary-key check, which batches make only in a
    /// chunk of a parallel pass.
    static func hasProbes(_ schema: TableSchema) -> Bool {
        !schema.primaryKey.isEmpty || schema.fields.contains { $0.constraints.unique }
    }

    private var known: [ValueVerdicts?]
    /// Each row's verdict in the batch, for the columns with a cell that is not fine.
    private var marked: [(check: Int, verdicts: [CellVerdict])] = []

    init(checkCount: Int) {
        known = Array(repeating: nil, count: checkCount)
    }

    /// Checks every row of `reader` into `pass` (prepared for it); `observers` (for which
    /// `applies` held) see the batches or the progress.
    mutating func run(_ pass: inout Pass, _ reader: TableReader, observers: [RecordObserver]) throws -> PassExtent {
        for observer in observers { try observer.begin(reader) }
        let progress = observers.compactMap { $0 as? ProgressObserver }
        do {
            try checkRows(&pass, reader, batchObservers: observers.compactMap { $0 as? ParquetBatchObserver }) { bytes in
                for observer in progress { observer.advanced(to: bytes) }
            }
        } catch let error as TableReadError {
            if !error.isAboutTheData { throw error }
            pass.readStopped(error)
        }
        for observer in observers { try observer.finish() }
        return PassExtent(rows: reader.recordNumber - reader.rowsBeforeShare, lines: reader.linesRead, bytes: reader.bytesConsumed)
    }

    /// Checks the rows of `reader` into `pass` until the end or a read error (thrown);
    /// `batchObservers` see each batch first, `advanced` learns the bytes read after each.
    mutating func checkRows(_ pass: inout Pass, _ reader: TableReader, batchObservers: [ParquetBatchObserver] = [], advanced: (Int) -> Void = { _ in }) throws {
        let active = pass.checks.indices.filter { pass.checks[$0].column != nil }
        var probes = ParquetBatchProbes(pass, reader: reader)
        while let rows = try reader.parquetBatch(limit: Self.batchRows), rows > 0 {
            for observer in batchObservers { observer.observeParquetBatch(reader, rows: rows) }
            mark(rows, of: reader, checks: pass.checks, active: active)
            probes?.load(rows, of: reader, checks: pass.checks)
            let first = reader.recordNumber
            var built = 0
            // Without a marked column or probes every row is fine: none is looked at.
            for row in 0..<(marked.isEmpty && probes == nil ? 0 : rows) {
                if probes?.keyIsAbsent(row) ?? false || needsRow(row, pass: &pass, active: active.count) {
                    reader.skipParquetRows(row - built)
                    _ = try reader.next()
                    pass.checkRecord(reader)
                    probes?.noteBuilt(row)
                    built = row + 1
                } else {
                    probes?.check(row, recordNumber: first + row + 1, into: &pass)
                }
            }
            reader.skipParquetRows(rows - built)
            advanced(reader.bytesConsumed)
        }
    }

    /// Fills `marked` with the verdicts of the batch's `rows` rows, for each column that has
    /// a cell that is not fine.
    private mutating func mark(_ rows: Int, of reader: TableReader, checks: [FieldCheck], active: [Int]) {
        var used = 0
        for index in active {
            let cells = reader.parquetCells(checks[index].column!)
            if known[index].map({ !$0.values.isSame(as: cells.values) }) ?? true {
                known[index] = ValueVerdicts(cells.values, check: checks[index])
            }
            let values = known[index]!
            if cells.levels == nil && values.allFine { continue }
            if used == marked.count { marked.append((index, [])) }
            marked[used].check = index
            marked[used].verdicts.removeAll(keepingCapacity: true)
            Self.verdicts(of: cells, rows: rows, values, into: &marked[used].verdicts)
            if marked[used].verdicts.contains(where: { $0 != .fine }) { used += 1 }
        }
        marked.removeSubrange(used...)
    }

    /// Each of `rows` cells' verdict, looked up by its value.
    private static func verdicts(of cells: ParquetColumnCells, rows: Int, _ values: ValueVerdicts, into result: inout [CellVerdict]) {
        values.verdicts.withUnsafeBufferPointer { verdicts in
            switch (cells.levels, cells.indices) {
            case (nil, let indices?):
                for row in 0..<rows { result.append(verdicts[Int(indices[row])]) }
            case (nil, nil):
                result.append(contentsOf: verdicts[cells.firstValue..<cells.firstValue + rows])
            case (let levels?, _):
                var next = 0
                for row in 0..<rows {
                    if levels[row] == 0 {
                        result.append(values.null)
                    } else {
                        result.append(verdicts[cells.indices.map { Int($0[next]) } ?? cells.firstValue + next])
                        next += 1
                    }
                }
            }
        }
    }

    /// Whether row `row` of the batch must be checked row by row (a cell to report, or every
    /// cell missing: a blank row); if not, its missing cells are counted into `pass`.
    private func needsRow(_ row: Int, pass: inout Pass, active: Int) -> Bool {
        var missing = 0
        for column in marked {
            switch column.verdicts[row] {
            case .fine: break
            case .missing: missing += 1
            case .rowCheck: return true
            }
        }
        if missing == 0 { return false }
        if missing == active { return true }
        for column in marked where column.verdicts[row] == .missing { pass.missingCounts[column.check] += 1 }
        return false
    }
}

extension Pass {
    /// Checks every row of a Parquet file in batches (`ParquetBatchValidation`).
    mutating func runParquetBatches(_ reader: TableReader, observers: [RecordObserver]) throws -> PassExtent {
        var batches = ParquetBatchValidation(checkCount: checks.count)
        return try batches.run(&self, reader, observers: observers)
    }
}
