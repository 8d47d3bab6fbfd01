import ReportModel
import Tabular

/// The `unique` and primary-key checks of the rows a Parquet batch does not build, in a
/// chunk of a parallel pass (`Pass.deferred`, one row group), as the row check would leave
/// them in the chunk's outcome, so the merge decides them as it decides a built row's.
///
/// A cell's fingerprint is worked out once per distinct value of its column's dictionary
/// (or plain page). The first cell of the chunk with a value becomes a probe, which the
/// merge decides against the earlier rows; a later cell of the chunk with the same value
/// repeats it, which is an error whatever came before: it is held as an error at once, so
/// a column of few values costs a probe per value per row group, not one per row (the
/// merge's memory).
struct ParquetBatchProbes {
    /// One probing column: what it checks, and its cells in the current batch.
    private struct Column {
        let check: Int
        var fingerprints: ValueFingerprints?
        /// Each row's value in `fingerprints` (-1: null), for the current batch.
        var entries: [Int32] = []
    }

    /// A `unique` cell's value: its fingerprint, and whether it is text (for the message).
    private struct UniqueValue {
        let fingerprint: UInt64
        let isText: Bool
    }

    /// A column's fingerprints by value, kept while its pages refer to the same values.
    private struct ValueFingerprints {
        let values: ParquetPageValues
        /// The `unique` fingerprint of each value (nil: missing or not of the field's type,
        /// which the row check decides), and whether the value is text; and a null cell's
        /// (an empty field, which is a value where the schema does not make it missing).
        let unique: [UniqueValue?]
        let nullUnique: UniqueValue?
        /// Each value's part of a primary key (`Fingerprint.absent` when missing or not of
        /// its type), and a null cell's.
        let keyPart: [UInt64]
        let nullKeyPart: UInt64

        init(_ values: ParquetPageValues, check: FieldCheck, isKeyPart: Bool) {
            self.values = values
            unique = !check.unique ? [] : (0..<values.count).map { Self.unique(values.text($0), stored: values.stored($0), check) }
            nullUnique = check.unique ? Self.unique(UnsafeBufferPointer(start: nil, count: 0), stored: nil, check) : nil
            keyPart = !isKeyPart ? [] : (0..<values.count).map { Self.keyPart(values.text($0), check) }
            nullKeyPart = Self.keyPart(UnsafeBufferPointer(start: nil, count: 0), check)
        }

        /// As `Pass.checkCell` takes a `unique` cell.
        private static func unique(_ bytes: UnsafeBufferPointer<UInt8>, stored: StoredValue?, _ check: FieldCheck) -> UniqueValue? {
            if check.isMissing(bytes) { return nil }
            guard let value = stored.flatMap(check.valueOfStored) ?? check.parse(bytes) else { return nil }
            return UniqueValue(fingerprint: Fingerprint.of(value, bytes: bytes), isText: value == .text)
        }

        /// As `Pass.checkKey` takes a key cell: missing or unreadable ones are all alike.
        private static func keyPart(_ bytes: UnsafeBufferPointer<UInt8>, _ check: FieldCheck) -> UInt64 {
            guard !check.missing.contains(bytes), let value = check.parser.parse(bytes) else { return Fingerprint.absent }
            return Fingerprint.of(value, bytes: bytes)
        }
    }

    private var columns: [Column]
    /// Positions in `columns` of the `unique` ones, and of the key's fields in key order.
    private let uniques: [Int]
    private let keyParts: [Int]
    private let keyNames: String
    private let rowOffset: Int
    /// The values (by `uniques` position) and keys this chunk has probed or held.
    private var probedValues: [FingerprintSet]
    private var probedKeys = FingerprintSet()
    /// The current batch's key fingerprint of each row; nil where every part is absent.
    private var keys: [UInt64?] = []

    /// The probes of a deferred `pass` (prepared for `reader`); nil when it has no
    /// `unique` or key check, or is not deferred.
    init?(_ pass: Pass, reader: TableReader) {
        let checks = pass.checks
        let uniqueChecks = checks.indices.filter { checks[$0].unique && checks[$0].column != nil }
        // As the row check: a key with a field the data lacks is reported once, not per row.
        let keyFields = pass.schema.primaryKey.compactMap { name in checks.firstIndex { $0.name == name } }
        let keyChecks = keyFields.contains { checks[$0].column == nil } ? [] : keyFields
        guard pass.deferred, !uniqueChecks.isEmpty || !keyChecks.isEmpty else { return nil }
        let probing = Array(Set(uniqueChecks + keyChecks)).sorted()
        columns = probing.map { Column(check: $0) }
        uniques = uniqueChecks.map { probing.firstIndex(of: $0)! }
        keyParts = keyChecks.map { probing.firstIndex(of: $0)! }
        keyNames = pass.schema.primaryKey.joined(separator: ", ")
        rowOffset = reader.source.hasHeader ? 1 : 0
        probedValues = Array(repeating: FingerprintSet(), count: uniqueChecks.count)
    }

    /// Reads the probing columns' cells of a batch of `rows` rows.
    mutating func load(_ rows: Int, of reader: TableReader, checks: [FieldCheck]) {
        for position in columns.indices {
            let check = checks[columns[position].check]
            let cells = reader.parquetCells(check.column!)
            if !(columns[position].fingerprints?.values.isSame(as: cells.values) ?? false) {
                columns[position].fingerprints = ValueFingerprints(cells.values, check: check, isKeyPart: keyParts.contains(position))
            }
            columns[position].entries.removeAll(keepingCapacity: true)
            Self.entries(of: cells, rows: rows, into: &columns[position].entries)
        }
        keys.removeAll(keepingCapacity: true)
        guard !keyParts.isEmpty else { return }
        for row in 0..<rows {
            var fingerprint: UInt64 = 0x51_7CC1_B727_220A  // as `Pass.checkKey` starts a key
            var present = false
            for position in keyParts {
                let entry = Int(columns[position].entries[row])
                let values = columns[position].fingerprints!
                let part = entry < 0 ? values.nullKeyPart : values.keyPart[entry]
                if part != Fingerprint.absent { present = true }
                fingerprint = Fingerprint.combine(fingerprint, part)
            }
            keys.append(present ? fingerprint : nil)
        }
    }

    /// Each of `rows` cells' value index (-1 for null).
    private static func entries(of cells: ParquetColumnCells, rows: Int, into result: inout [Int32]) {
        var next = 0
        for row in 0..<rows {
            if let levels = cells.levels, levels[row] == 0 {
                result.append(-1)
            } else {
                result.append(cells.indices.map { $0[next] } ?? Int32(cells.firstValue + next))
                next += 1
            }
        }
    }

    /// Whether row `row` of the batch must be built for its key: every part is absent,
    /// an error the row check words.
    func keyIsAbsent(_ row: Int) -> Bool {
        !keyParts.isEmpty && keys[row] == nil
    }

    /// Notes the fingerprints of row `row`, built and checked row by row: its cells of a
    /// value (and its key) became probes there, so later cells with them repeat them.
    mutating func noteBuilt(_ row: Int) {
        for (position, column) in uniques.enumerated() {
            if let value = uniqueValue(column, row) { _ = probedValues[position].insert(value.fingerprint) }
        }
        if let key = keys.isEmpty ? nil : keys[row] { _ = probedKeys.insert(key) }
    }

    /// Adds the `unique` and key checks of row `row` (not built; record number
    /// `recordNumber`, whose cells are all fine or missing) to `pass`'s outcome: a probe
    /// for a value or key this chunk has not had, else an error.
    mutating func check(_ row: Int, recordNumber: Int, into pass: inout Pass) {
        let line = recordNumber
        let number = recordNumber + rowOffset
        for (position, column) in uniques.enumerated() {
            guard let value = uniqueValue(column, row) else { continue }
            let check = pass.checks[columns[column].check]
            let bytes = cell(column, row)
            if probedValues[position].insert(value.fingerprint) {
                let cell = isDetailed(pass) ? pass.outcome.cells.save(bytes) : nil
                add(.uniqueError, check.name, number, line, probe: .unique(check: columns[column].check, fingerprint: value.fingerprint, cell: cell, isText: value.isText), to: &pass)
            } else {
                add(.uniqueError, check.name, number, line, to: &pass) { (shown(bytes), Pass.repeatedValue(shown(bytes), isText: value.isText, field: check.name)) }
            }
        }
        guard let key = keys.isEmpty ? nil : keys[row] else { return }
        if probedKeys.insert(key) {
            var cells: Range<Int>?
            if isDetailed(pass) {
                let first = pass.outcome.cells.count
                for position in keyParts { _ = pass.outcome.cells.save(cell(position, row)) }
                cells = first..<pass.outcome.cells.count
            }
            add(.primaryKey, nil, number, line, probe: .key(fingerprint: key, cells: cells), to: &pass)
        } else {
            add(.primaryKey, nil, number, line, to: &pass) {
                let value = keyParts.map { shown(cell($0, row)) }.joined(separator: ", ")
                return (value, Pass.repeatedKey(value, keyNames: keyNames))
            }
        }
    }

    /// Probing column `position`'s cell in row `row` (empty when null).
    private func cell(_ position: Int, _ row: Int) -> UnsafeBufferPointer<UInt8> {
        let entry = Int(columns[position].entries[row])
        return entry < 0 ? UnsafeBufferPointer(start: nil, count: 0) : columns[position].fingerprints!.values.text(entry)
    }

    /// The `unique` value of probing column `position`'s cell in row `row`, if it has one.
    private func uniqueValue(_ position: Int, _ row: Int) -> UniqueValue? {
        let entry = Int(columns[position].entries[row])
        let values = columns[position].fingerprints!
        return entry < 0 ? values.nullUnique : values.unique[entry]
    }

    /// Whether an error added now is among the chunk's first `limit`, so its details are built.
    private func isDetailed(_ pass: Pass) -> Bool { pass.outcome.errorCount < pass.log.limit }

    /// Adds a probe, or (without one) an error described by `describe` while detailed.
    private func add(_ kind: ErrorKind, _ field: String?, _ row: Int, _ line: Int, probe: Probe? = nil, to pass: inout Pass,
                     _ describe: () -> (value: String, message: String) = { ("", "") }) {
        let detailed = probe == nil && isDetailed(pass)
        let (value, message) = detailed ? describe() : ("", "")
        let issue = ValidationIssue(type: kind.rawValue, row: row, field: field, value: detailed ? value : nil, message: message, line: line)
        pass.outcome.add(HeldIssue(kind: kind, issue: issue, probe: probe), limit: pass.log.limit)
    }
}
