import Core
import ReportModel
import Tabular

/// One error of the current row, held until the row is complete (a blank row's cell errors
/// fold into `blank-row`). In a chunk of a parallel pass a `unique` or primary-key error is
/// only a `probe` until the rows before the chunk are known.
struct HeldIssue {
    var kind: ErrorKind
    var issue: ValidationIssue
    var probe: Probe?
}

/// What decides a held `unique` or primary-key error once the earlier rows are merged.
enum Probe {
    /// The cell of check `check` with this fingerprint; `cell` is its index in the chunk's
    /// `SavedCells`, for the message (nil past the detail limit, where none is written).
    case unique(check: Int, fingerprint: UInt64, cell: Int?, isText: Bool)
    /// The row's key; its cells are `cells` of the chunk's `SavedCells` (nil past the limit).
    case key(fingerprint: UInt64, cells: Range<Int>?)
}

/// A probe and where it stands: its row and line in the chunk's numbering, and how many of
/// the chunk's detailed errors come before it. A chunk of a table with a `unique` id holds
/// one per row, so it stays this small rather than a whole `HeldIssue`.
struct PlacedProbe {
    var probe: Probe
    var row: Int
    var line: Int
    var errorsBefore: Int
}

/// Cell bytes a chunk keeps for the messages of its probes, in one growing buffer.
struct SavedCells {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { ends.count }

    /// Saves `cell`; returns its index.
    mutating func save(_ cell: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.append(contentsOf: cell)
        ends.append(bytes.count)
        return ends.count - 1
    }

    /// Cell `index` as a report shows it.
    func shown(_ index: Int) -> String {
        let start = index == 0 ? 0 : ends[index - 1]
        return bytes[start..<ends[index]].withUnsafeBufferPointer { Validation.shown($0) }
    }
}

/// What the rows of one chunk of a parallel pass found, in row order, before merging.
///
/// Only a chunk's first `limit` errors can be among the details of the whole (the chunks
/// before it only add errors ahead of them), so past them the chunk keeps counts and the
/// probes' fingerprints, not messages: memory stays bounded however broken the data.
struct ChunkOutcome {
    /// The chunk's first `limit` errors, in the order one sequential pass would log them.
    var errors: [HeldIssue] = []
    /// The errors after them, counted only.
    var tail = IssueLog(limit: 0)
    /// The `unique` and primary-key probes, in row order, each placed among `errors`.
    var probes: [PlacedProbe] = []
    var cells = SavedCells()
    var missingCounts: [Int] = []

    var errorCount: Int { errors.count }

    /// Adds the next error or probe of the chunk.
    mutating func add(_ held: HeldIssue, limit: Int) {
        if let probe = held.probe {
            probes.append(PlacedProbe(probe: probe, row: held.issue.row ?? 0, line: held.issue.line ?? 0, errorsBefore: errors.count))
        } else if errors.count < limit {
            errors.append(held)
        } else {
            tail.add(held)
        }
    }
}

/// The state of one validation pass over a table, or over one chunk of it.
struct Pass {
    let schema: TableSchema
    var log: IssueLog
    /// Validating one share as a part (`ValidationOptions.asPart`).
    let asPart: Bool
    /// A chunk of a parallel pass: unique and key checks become probes, and the rows'
    /// errors go to `outcome` rather than the log.
    let deferred: Bool
    var outcome = ChunkOutcome()
    var checks: [FieldCheck] = []
    /// `checks` without reference counting, for the hot loop (`checks` keeps them alive).
    private var unretainedChecks: [Unmanaged<FieldCheck>] = []
    /// Missing cells by position in `checks` (a Parquet batch counts those of rows it does not build).
    var missingCounts: [Int] = []
    /// Fingerprints of the values seen so far, by position in `checks`, for `unique`.
    private var seen: [FingerprintSet] = []
    /// Errors of the current row, held back until the row is known not to be blank.
    private var pending: [HeldIssue] = []
    /// The errors among `pending` (not the probes).
    private var pendingErrors = 0
    private var keys = FingerprintSet()
    private var active: [Int] = []
    /// The active columns' cheap per-cell work, resolved once per table (`ColumnStep`).
    private var steps: [ColumnStep] = []
    private var keyChecks: [FieldCheck] = []
    private var headerWidth = 0
    /// frictionless counts the header (or JSON keys) as row 1.
    private var rowOffset = 0
    /// Parquet stores numbers and booleans typed: their values need no parsing back from text.
    private var stored = false
    /// For a part: the first occurrences of `unique` fields' values, by position in
    /// `checks`, and of primary keys.
    private var firstValues: [KeyOccurrences] = []
    private var firstKeys = KeyOccurrences()
    private var stoppedEarly = false

    init(schema: TableSchema, limit: Int, asPart: Bool = false, deferred: Bool = false) {
        self.schema = schema
        self.asPart = asPart
        self.deferred = deferred
        log = IssueLog(limit: limit)
    }

    /// Compiles the checks for the columns of `reader`'s header; logs the header's problems
    /// unless this is a chunk (whose header the whole pass has checked) or a part after the
    /// first (every share reads the header; the first one reports its problems for them all).
    mutating func prepare(for reader: TableReader) {
        let header = reader.header
        let mapping = ColumnMapping(schema: schema, header: header)
        if !deferred && (!asPart || (reader.share?.index ?? 0) == 0) {
            for problem in mapping.problems {
                let field = problem.field.isEmpty ? nil : problem.field
                log.add(problem.kind, field: field, row: nil, line: reader.headerLine == 0 ? nil : reader.headerLine) { (nil, problem.message) }
            }
        }
        checks = zip(schema.fields, mapping.columns).map { FieldCheck(field: $0, column: $1, missing: schema.missingValues(of: $0)) }
        unretainedChecks = checks.map { Unmanaged.passUnretained($0) }
        missingCounts = Array(repeating: 0, count: checks.count)
        seen = Array(repeating: FingerprintSet(), count: checks.count)
        active = checks.indices.filter { checks[$0].column != nil }
        steps = active.map { ColumnStep(checks[$0], index: $0) }
        // A key with a field the data lacks is reported once, as its missing label, and
        // not again on every row (as frictionless 5.21 does).
        let keyFields = schema.primaryKey.compactMap { name in checks.first { $0.name == name } }
        keyChecks = keyFields.contains { $0.column == nil } ? [] : keyFields
        headerWidth = header.count
        rowOffset = reader.source.hasHeader ? 1 : 0
        stored = reader.source.format == .parquet
        if asPart { firstValues = Array(repeating: KeyOccurrences(), count: checks.count) }
        checksColumns = !stored && reader.source.format == .csv && keyChecks.isEmpty && !steps.contains { $0.work == .general }
    }

    /// Moves `reader` past the plain records ahead of it that every step passes, checked
    /// column by column (`ColumnStep.passingPrefix`) rather than record by record: such a
    /// record has no error and nothing to record but its number and line. The reader stops
    /// at the first record a step does not pass or the index does not hold as a run
    /// (another width, non-ASCII, quoted, ...), which `checkRecord` then checks whole, so
    /// errors, their order and rows are those of a record-by-record pass. Only for a pass
    /// that records nothing else per row (`checksColumns`).
    /// Records that start at or after the file offset `stop` are left alone (a chunk's
    /// end). Returns how many records it moved past.
    mutating func skipPassingRecords(_ reader: TableReader, stop: Int? = nil) -> Int {
        var skipped = 0
        while let run = reader.plainRun(width: headerWidth, limit: Self.columnRunRecords, stop: stop) {
            var passing = run.count
            for position in steps.indices where passing > 0 {
                passing = steps[position].passingPrefix(of: run, below: passing)
            }
            reader.skip(passing, of: run)
            skipped &+= passing
            if passing < run.count { break }
        }
        return skipped
    }

    /// Records per column-wise run: the run's cells and index entries stay in the cache
    /// from one column to the next.
    static let columnRunRecords = 256

    /// Whether `skipPassingRecords` may stand in for `checkRecord`: a pass over CSV text
    /// (not Parquet's stored values) with no `unique` column (a `general` step) and no
    /// primary key, whose values are recorded for every row. A sequential pass also needs
    /// that no observer but progress sees each record (`run(_:observers:keeping:)`).
    private(set) var checksColumns = false

    /// Errors recorded so far: the log's, or this chunk's.
    private var recorded: Int { deferred ? outcome.errorCount : log.count }

    /// Checks the reader's current record.
    mutating func checkRecord(_ reader: TableReader) {
        checkRecord(reader, keeping: NoNumbers())
    }

    /// Checks the reader's current record, putting the numbers the steps read in `numbers`.
    @inline(__always)
    mutating func checkRecord<Numbers: NumberSink>(_ reader: TableReader, keeping numbers: Numbers) {
        let row = reader.recordNumber + rowOffset
        if let problem = reader.problem {
            report(problem, row: row, line: reader.line)
        } else {
            check(reader, row: row, keeping: numbers)
        }
    }

    /// Logs that the read stopped early.
    mutating func readStopped(_ error: TableReadError) {
        stoppedEarly = true
        log.add(.sourceError, field: nil, row: nil, line: nil) { (nil, Validator.message(error) + "; the rest of the file was not checked") }
    }

    private mutating func report(_ problem: RecordProblem, row: Int, line: Int) {
        switch problem {
        case .invalidUTF8:
            record(.encodingError, row: row, line: line, "the row is not valid UTF-8; expected UTF-8 text (re-encode the file, e.g. iconv -f latin1 -t utf-8)")
        case .malformedJSON(let why):
            record(.sourceError, row: row, line: line, "the line is not a flat JSON object: \(why)")
        }
    }

    /// Records an error of a whole row at once (not held).
    private mutating func record(_ kind: ErrorKind, row: Int, line: Int, _ message: @autoclosure () -> String) {
        guard deferred else {
            log.add(kind, field: nil, row: row, line: line) { (nil, message()) }
            return
        }
        let detailed = outcome.errorCount < log.limit
        outcome.add(HeldIssue(kind: kind, issue: ValidationIssue(type: kind.rawValue, row: row, field: nil, value: nil, message: detailed ? message() : "", line: line)), limit: log.limit)
    }

    /// Checks one record's cells, then its key.
    private mutating func check<Numbers: NumberSink>(_ reader: TableReader, row: Int, keeping numbers: Numbers) {
        let count = reader.fieldCount
        var blanks = 0
        let line = reader.line
        // Each column's step first; only a cell it cannot pass (missing, not of its type, out
        // of bounds, other checks, Parquet's stored values) goes to `checkCell`, which
        // decides it from scratch.
        let fast = !stored
        // Short numbers are read eight bytes at a time when the cells are in the reader's
        // padded buffer (CSV).
        let padded = reader.fieldsArePadded
        let stepCount = steps.count
        for position in 0..<stepCount {
            let step = steps.withUnsafeBufferPointer { $0[position] }
            if fast, step.column < count, step.passes(reader.field(step.column), padded: padded, keeping: numbers) { continue }
            unretainedChecks[step.check]._withUnsafeGuaranteedRef { check in
                checkCell(check, step.check, reader, count, row, line, &blanks)
            }
        }
        let width = headerWidth
        if count > width {
            for column in width..<count {
                let bytes = reader.field(column)
                hold(.extraCell, nil, row, line, shown(bytes), "the row has \(count) cells; expected \(width), so cell \(column + 1) belongs to no column")
            }
        }
        if blanks == active.count && !active.isEmpty {
            // A blank row's cell errors fold into blank-row; its key is still checked.
            pending.removeAll(keepingCapacity: true)
            pendingErrors = 0
            record(.blankRow, row: row, line: line, "the row is blank; expected values")
        }
        if !keyChecks.isEmpty { checkKey(reader, row: row, line: line) }
        // Most rows hold nothing; emptying an empty array still costs calls.
        guard !pending.isEmpty else { return }
        if deferred {
            for held in pending { outcome.add(held, limit: log.limit) }
        } else {
            for held in pending { log.add(held) }
        }
        pending.removeAll(keepingCapacity: true)
        pendingErrors = 0
    }

    /// Checks one cell of the current row. Kept out of line: only the cells a step cannot pass
    /// come here, and inlined, its writes to the pass's arrays (missing counts, unique
    /// values) could make every row check those arrays' uniqueness first (a build of 01:38
    /// UTC on 2026-12-01 copied an empty array twice per row).
    @inline(never)
    private mutating func checkCell(_ check: FieldCheck, _ index: Int, _ reader: TableReader, _ count: Int, _ row: Int, _ line: Int, _ blanks: inout Int) {
        let column = check.column!
        if column >= count {
            blanks += 1
            missingCounts[index] += 1
            if check.required { hold(.constraintError, check.name, row, line, nil, "a value is required but the row ends before this field") }
            let width = headerWidth
            hold(.missingCell, check.name, row, line, nil, "the row has \(count) cells; expected \(width), so field \"\(check.name)\" (column \(column + 1)) has none")
            return
        }
        let bytes = reader.field(column)
        if check.isMissing(bytes) {
            blanks += 1
            missingCounts[index] += 1
            if check.required { hold(.constraintError, check.name, row, line, shown(bytes), "a value is required; the cell is missing") }
            return
        }
        // Parquet's stored numbers and booleans, when they tell the value without the text.
        let known = stored ? reader.storedValue(column).flatMap(check.valueOfStored) : nil
        switch check.plan {
        case .presence:
            return
        case .number(let bounds):
            let number: Double
            if case .number(let x)? = known { number = x } else {
                guard let parsed = check.number(bytes) else { return typeError(check, row, line, bytes) }
                number = parsed
            }
            if let bounds, !bounds.contains(number) { constraintErrors(check, .number(number), row, line, bytes) }
            return
        case .integer(let bounds):
            let integer: Int64
            if case .integer(let x)? = known { integer = x } else {
                guard let parsed = check.integer(bytes) else { return typeError(check, row, line, bytes) }
                integer = parsed
            }
            if let bounds, !bounds.contains(integer) { constraintErrors(check, .integer(integer), row, line, bytes) }
            return
        case .general:
            break
        }
        guard let value = known ?? check.parse(bytes) else { return typeError(check, row, line, bytes) }
        if check.hasValueConstraints, !check.accepts(value, bytes) { constraintErrors(check, value, row, line, bytes) }
        if check.unique {
            let fingerprint = Fingerprint.of(value, bytes: bytes)
            let isText = value == .text
            if deferred {
                let cell = isDetailed ? outcome.cells.save(bytes) : nil
                probe(.uniqueError, check.name, row, line, .unique(check: index, fingerprint: fingerprint, cell: cell, isText: isText))
            } else if !seen[index].insert(fingerprint) {
                hold(.uniqueError, check.name, row, line, shown(bytes), Self.repeatedValue(shown(bytes), isText: isText, field: check.name))
            } else if asPart {
                firstValues[index].append(row: row, line: line, fingerprint: fingerprint)
            }
        }
    }

    private mutating func typeError(_ check: FieldCheck, _ row: Int, _ line: Int, _ bytes: UnsafeBufferPointer<UInt8>) {
        hold(.typeError, check.name, row, line, shown(bytes), "\"\(shown(bytes))\" is not \(Self.expectation(check.field))")
    }

    /// Holds one error per constraint a well-typed cell breaks.
    private mutating func constraintErrors(_ check: FieldCheck, _ value: CellValue, _ row: Int, _ line: Int, _ bytes: UnsafeBufferPointer<UInt8>) {
        for violation in check.violations(value, bytes) {
            hold(.constraintError, check.name, row, line, shown(bytes), "\(Self.subject(value, bytes)) \(violation.message)")
        }
    }

    /// The primary key: no row may repeat another's key, and a key may not be all missing.
    /// As in frictionless, a cell that is missing or not of its type has no value: it
    /// counts as missing here and equals any other such cell.
    private mutating func checkKey(_ reader: TableReader, row: Int, line: Int) {
        var fingerprint: UInt64 = 0x51_7CC1_B727_220A
        var missingParts = 0
        var unreadableParts = 0
        for check in keyChecks {
            let column = check.column!
            guard column < reader.fieldCount, !check.missing.contains(reader.field(column)) else {
                missingParts += 1
                fingerprint = Fingerprint.combine(fingerprint, Fingerprint.absent)
                continue
            }
            let bytes = reader.field(column)
            guard let value = check.parser.parse(bytes) else {
                unreadableParts += 1
                fingerprint = Fingerprint.combine(fingerprint, Fingerprint.absent)
                continue
            }
            fingerprint = Fingerprint.combine(fingerprint, Fingerprint.of(value, bytes: bytes))
        }
        let names = keyNames
        if missingParts + unreadableParts == keyChecks.count {
            let why = unreadableParts == 0 ? "is missing" : "is missing or not of its field's type"
            hold(.primaryKey, nil, row, line, nil, "every cell of the primary key (\(names)) \(why)")
            return
        }
        func cell(_ check: FieldCheck) -> UnsafeBufferPointer<UInt8> {
            guard let column = check.column, column < reader.fieldCount else { return UnsafeBufferPointer(start: nil, count: 0) }
            return reader.field(column)
        }
        if deferred {
            var cells: Range<Int>?
            if isDetailed {
                let first = outcome.cells.count
                for check in keyChecks { _ = outcome.cells.save(cell(check)) }
                cells = first..<outcome.cells.count
            }
            probe(.primaryKey, nil, row, line, .key(fingerprint: fingerprint, cells: cells))
        } else if !keys.insert(fingerprint) {
            let value = keyChecks.map { shown(cell($0)) }.joined(separator: ", ")
            hold(.primaryKey, nil, row, line, value, Self.repeatedKey(value, keyNames: names))
        } else if asPart {
            firstKeys.append(row: row, line: line, fingerprint: fingerprint)
        }
    }

    private var keyNames: String { schema.primaryKey.joined(separator: ", ") }

    /// The message of a repeated primary key.
    static func repeatedKey(_ value: String, keyNames: String) -> String {
        "the primary key (\(keyNames)) = (\(value)) repeats an earlier row's"
    }

    /// The message of a `unique` error.
    static func repeatedValue(_ shownValue: String, isText: Bool, field: String) -> String {
        "\(isText ? "\"\(shownValue)\"" : shownValue) repeats a value of an earlier row; field \"\(field)\" is unique"
    }

    /// Whether an error held now is among the first `limit`, so its details are built.
    private var isDetailed: Bool { recorded + pendingErrors < log.limit }

    /// Holds an error of the current row; its details are built only under the limit.
    private mutating func hold(_ kind: ErrorKind, _ field: String?, _ row: Int, _ line: Int, _ value: @autoclosure () -> String?, _ message: @autoclosure () -> String) {
        let detailed = isDetailed
        let issue = ValidationIssue(type: kind.rawValue, row: row, field: field, value: detailed ? value() : nil, message: detailed ? message() : "", line: line)
        pending.append(HeldIssue(kind: kind, issue: issue))
        pendingErrors += 1
    }

    /// Holds a probe: an error only if the merge finds the value in an earlier row.
    private mutating func probe(_ kind: ErrorKind, _ field: String?, _ row: Int, _ line: Int, _ probe: Probe) {
        pending.append(HeldIssue(kind: kind, issue: ValidationIssue(type: kind.rawValue, row: row, field: field, value: nil, message: "", line: line), probe: probe))
    }

    /// Adds a chunk's findings, in order, as if its rows had been checked here: rows and
    /// lines shifted to the whole table's numbering, probes decided against the values of
    /// every earlier row.
    mutating func merge(_ chunk: ChunkOutcome, rowShift: Int, lineShift: Int) {
        for index in missingCounts.indices { missingCounts[index] += chunk.missingCounts[index] }
        var logged = 0
        for placed in chunk.probes {
            while logged < placed.errorsBefore {
                add(chunk.errors[logged], rowShift: rowShift, lineShift: lineShift)
                logged += 1
            }
            decide(placed.probe, row: placed.row + rowShift, line: placed.line + lineShift, cells: chunk.cells)
        }
        for held in chunk.errors[logged...] { add(held, rowShift: rowShift, lineShift: lineShift) }
        // Past the chunk's detailed errors the log's details are full: only counts remain.
        log.addCounts(of: chunk.tail)
    }

    /// Logs a chunk's error in the whole table's numbering.
    private mutating func add(_ held: HeldIssue, rowShift: Int, lineShift: Int) {
        log.add(held.kind, field: held.issue.field, row: (held.issue.row ?? 0) + rowShift, line: (held.issue.line ?? 0) + lineShift) { (held.issue.value, held.issue.message) }
    }

    /// A probe's verdict: an error when an earlier row holds its value, else (for a part) a
    /// first occurrence.
    private mutating func decide(_ probe: Probe, row: Int, line: Int, cells: SavedCells) {
        switch probe {
        case .unique(let check, let fingerprint, let cell, let isText):
            guard !seen[check].insert(fingerprint) else {
                if asPart { firstValues[check].append(row: row, line: line, fingerprint: fingerprint) }
                return
            }
            let field = checks[check].name
            log.add(.uniqueError, field: field, row: row, line: line) {
                let value = cell.map(cells.shown) ?? ""
                return (value, Self.repeatedValue(value, isText: isText, field: field))
            }
        case .key(let fingerprint, let saved):
            guard !keys.insert(fingerprint) else {
                if asPart { firstKeys.append(row: row, line: line, fingerprint: fingerprint) }
                return
            }
            let names = keyNames
            log.add(.primaryKey, field: nil, row: row, line: line) {
                let value = (saved ?? 0..<0).map { cells.shown($0) }.joined(separator: ", ")
                return (value, Self.repeatedKey(value, keyNames: names))
            }
        }
    }

    /// This chunk's findings, for `merge`.
    var chunkOutcome: ChunkOutcome {
        var result = outcome
        result.missingCounts = missingCounts
        return result
    }

    /// A cell as the subject of a message: text quoted, numbers and dates as written.
    static func subject(_ value: CellValue, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if case .text = value { return "\"\(shown(bytes))\"" }
        return shown(bytes)
    }

    static func expectation(_ field: SchemaField) -> String {
        switch field.type {
        case .integer: return "an integer"
        case .number: return field.decimalChar == "." ? "a number" : "a number with decimal separator \"\(field.decimalChar)\""
        case .boolean: return "a boolean (\((field.trueValues + field.falseValues).joined(separator: ", ")))"
        case .date: return field.format == "default" ? "a date (YYYY-MM-DD)" : "a date in the format \(field.format)"
        case .datetime: return field.format == "default" ? "a datetime (YYYY-MM-DDThh:mm:ss, optional fraction and offset)" : "a datetime in the format \(field.format)"
        case .time: return field.format == "default" ? "a time (hh:mm:ss)" : "a time in the format \(field.format)"
        case .year: return "a year (YYYY)"
        case .yearmonth: return "a year and month (YYYY-MM)"
        case .string: return "a string in the format \(field.format)"
        case .any: return "a value"
        }
    }

    /// The dataset checks (left to the merge for a part), then the summary.
    mutating func summary(file: String, schemaPath: String?, rows: Int) -> ValidationSummary {
        var missingByField: [String: Int] = [:]
        for (check, missing) in zip(checks, missingCounts) where check.column != nil {
            missingByField[check.name] = missing
        }
        if !asPart {
            for problem in DatasetCheck.problems(schema, rows: rows, missingByField: missingByField) {
                log.add(problem.kind, field: problem.field, row: nil, line: nil) { (problem.value, problem.message) }
            }
        }
        return ValidationSummary(
            file: file, valid: log.count == 0, rowCount: rows, errorCount: log.count,
            errorsByType: log.byType, errorsByField: log.byField, firstErrors: log.details,
            schema: schemaPath, fields: schema.fields.map(\.name), errorLimitReached: log.limitReached,
            missingByField: checks.isEmpty ? nil : missingByField, tableErrorCount: log.tableCount)
    }

    /// What the merge needs of this part, once the pass over `reader` read `extent`.
    func share(of reader: TableReader, extent: PassExtent) -> ValidationShare {
        let share = reader.byteShare?.share ?? reader.share ?? TableShare(index: 0, count: 1)
        var occurrences: [String: KeyOccurrences] = [:]
        for (check, values) in zip(checks, firstValues) where check.unique && check.column != nil { occurrences[check.name] = values }
        if !schema.primaryKey.isEmpty { occurrences[ValidationShare.primaryKey] = firstKeys }
        return ValidationShare(
            index: share.index + 1, count: share.count, byteRange: reader.byteShare.map { [$0.range.lowerBound, $0.range.upperBound] },
            bytesRead: extent.bytes, countsFromShareStart: reader.numbersCountFromShareStart,
            lineCount: extent.lines, stoppedEarly: stoppedEarly, firstOccurrences: occurrences.isEmpty ? nil : occurrences)
    }
}

extension IssueLog {
    /// Records a held error (not a probe) as it was held.
    mutating func add(_ held: HeldIssue) {
        add(held.kind, field: held.issue.field, row: held.issue.row, line: held.issue.line) { (held.issue.value, held.issue.message) }
    }
}

/// One active column's per-cell work, resolved once per table from its `FieldCheck` into
/// plain values, so the hot loop reads a flat array: no class, no enum payload, no
/// reference counting. `passes` says whether a cell is certainly valid and needs nothing
/// more (no error, not missing); every other cell goes through `Pass.checkCell`. The
/// checks it reads are kept alive by `Pass.checks`.
struct ColumnStep {
    enum Work: UInt8 {
        /// A plain `string`/`any` column without constraints: any present cell passes.
        case presence
        /// A `number` column whose only constraints are bounds (if any).
        case number
        /// An `integer` column whose only constraints are bounds (if any), or an `enum` of
        /// consecutive integers.
        case integer
        /// A column whose cells must be one of a few short words (`FieldCheck.acceptedWords`:
        /// a `string` column's `enum`, a `boolean` column's values).
        case words
        /// A `date` column in the ISO format without constraints.
        case isoDate
        /// Any other column without `unique`: its parser, then `FieldCheck.accepts`.
        case parsed
        /// A `unique` column: always `checkCell`.
        case general
    }

    let work: Work
    /// The data column and the position of its check in `Pass.checks`.
    let column: Int
    let check: Int
    /// Only the empty cell is missing, so a non-empty cell is present without a lookup.
    let onlyEmptyIsMissing: Bool
    /// Numbers are written plainly (`CellParser.readsPlainNumbers`), so the short ones can
    /// be read without the parser.
    let plainNumbers: Bool
    let parser: Unmanaged<CellParser>
    /// The column's checks, for `parsed`.
    let fieldCheck: Unmanaged<FieldCheck>
    /// For `words`: `FieldCheck.acceptedWords` (owned by the check).
    let words: ShortWords
    /// Closed bounds (the widest when none): `CellPlan`'s bounds.
    let lowestNumber: Double
    let highestNumber: Double
    let lowestInteger: Int64
    let highestInteger: Int64

    init(_ check: FieldCheck, index: Int) {
        column = check.column!
        self.check = index
        onlyEmptyIsMissing = check.onlyEmptyIsMissing
        plainNumbers = check.parser.readsPlainNumbers
        parser = check.unretainedParser
        fieldCheck = Unmanaged.passUnretained(check)
        words = check.acceptedWords
        var numbers = (lower: -Double.infinity, upper: Double.infinity)
        var integers = (lower: Int64.min, upper: Int64.max)
        switch check.plan {
        case .presence:
            work = .presence
        case .number(let bounds):
            work = .number
            if let bounds { numbers = (bounds.lower, bounds.upper) }
        case .integer(let bounds):
            work = .integer
            if let bounds { integers = (bounds.lower, bounds.upper) }
        case .general:
            if check.unique {
                work = .general
            } else if let members = check.consecutiveIntegerMembers {
                // An enum of consecutive integers is a pair of bounds.
                work = .integer
                integers = (members.lowerBound, members.upperBound)
            } else if !check.acceptedWords.isEmpty {
                work = .words
            } else if check.readsPlainISODates {
                work = .isoDate
            } else {
                work = .parsed
            }
        }
        (lowestNumber, highestNumber) = numbers
        (lowestInteger, highestInteger) = integers
    }

    /// Whether a cell of this column is certainly valid: non-empty (when only the empty
    /// cell is missing), of its type and within its bounds. A NaN fails the comparison and
    /// goes on to `checkCell`, which reports it only against real bounds. `padded`: the
    /// cell is followed by `TableReader.fieldPadding` readable bytes.
    @inline(__always)
    func passes(_ bytes: UnsafeBufferPointer<UInt8>, padded: Bool) -> Bool {
        passes(bytes, padded: padded, keeping: NoNumbers())
    }

    /// As `passes(_:padded:)`; the number it reads goes to `numbers` (nowhere in a plain pass).
    @inline(__always)
    func passes<Numbers: NumberSink>(_ bytes: UnsafeBufferPointer<UInt8>, padded: Bool, keeping numbers: Numbers) -> Bool {
        guard onlyEmptyIsMissing, !bytes.isEmpty else { return false }
        switch work {
        case .presence: return true
        case .number: return passesNumber(bytes, padded: padded, keeping: numbers)
        case .integer: return passesInteger(bytes, padded: padded, keeping: numbers)
        case .words: return padded ? words.contains(padded: bytes) : passesParsed(bytes)
        case .isoDate: return passesISODate(bytes)
        case .parsed: return passesParsed(bytes)
        case .general: return false
        }
    }

    /// How many of this column's cells in records `0..<limit` of `run`, from the first,
    /// `passes` would pass: the column's cells one after another, its work chosen once.
    @inline(__always)
    func passingPrefix(of run: PlainRecordRun, below limit: Int) -> Int {
        guard onlyEmptyIsMissing else { return 0 }
        let column = self.column
        @inline(__always)
        func prefix(_ passes: (UnsafeBufferPointer<UInt8>) -> Bool) -> Int {
            @inline(__always)
            func scan(_ cell: (Int) -> UnsafeBufferPointer<UInt8>) -> Int {
                var record = 0
                while record < limit {
                    let bytes = cell(record)
                    guard !bytes.isEmpty, passes(bytes) else { break }
                    record &+= 1
                }
                return record
            }
            // A column after the first finds its cells' starts without the record-start rule.
            return column > 0 ? scan { run.cell($0, inner: column) } : scan { run.cell($0, 0) }
        }
        switch work {
        case .presence: return prefix { _ in true }
        case .number: return prefix { passesNumber($0, padded: true, keeping: NoNumbers()) }
        case .integer: return prefix { passesInteger($0, padded: true, keeping: NoNumbers()) }
        case .words: return prefix { words.contains(padded: $0) }
        case .isoDate: return prefix { passesISODate($0) }
        case .parsed: return prefix { passesParsed($0) }
        case .general: return 0
        }
    }

    /// A non-empty cell of a `number` column: the short plain number inline
    /// (`NumberSyntax.shortDecimal`); only its syntax when every number passes and no one
    /// keeps the values; anything else through the parser.
    @inline(__always)
    private func passesNumber<Numbers: NumberSink>(_ bytes: UnsafeBufferPointer<UInt8>, padded: Bool, keeping numbers: Numbers) -> Bool {
        if padded && plainNumbers {
            if Numbers.self == NoNumbers.self, lowestNumber == -.infinity, highestNumber == .infinity {
                if NumberSyntax.isShortDecimal(padded: bytes) { return true }
            } else if let value = NumberSyntax.shortDecimal(padded: bytes) {
                numbers.keep(value, column: column)
                return value >= lowestNumber && value <= highestNumber
            }
        }
        guard let value = parser._withUnsafeGuaranteedRef({ $0.number(bytes) }) else { return false }
        numbers.keep(value, column: column)
        return value >= lowestNumber && value <= highestNumber
    }

    @inline(__always)
    private func passesInteger<Numbers: NumberSink>(_ bytes: UnsafeBufferPointer<UInt8>, padded: Bool, keeping numbers: Numbers) -> Bool {
        if padded && plainNumbers {
            if Numbers.self == NoNumbers.self, lowestInteger == .min, highestInteger == .max {
                if NumberSyntax.isShortInteger(padded: bytes) { return true }
            } else if let value = NumberSyntax.shortInteger(padded: bytes) {
                numbers.keep(Double(value), column: column)
                return value >= lowestInteger && value <= highestInteger
            }
        }
        guard let value = parser._withUnsafeGuaranteedRef({ $0.integer(bytes) }) else { return false }
        numbers.keep(Double(value), column: column)
        return value >= lowestInteger && value <= highestInteger
    }

    /// A non-empty cell of a plain ISO `date` column: `YYYY-MM-DD` without counting its
    /// days; any other form through the parser.
    @inline(__always)
    private func passesISODate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let valid = CellParser.isISODate(bytes) { return valid }
        return passesParsed(bytes)
    }

    @inline(__always)
    private func passesParsed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        fieldCheck._withUnsafeGuaranteedRef { check in
            guard let value = check.parse(bytes) else { return false }
            return !check.hasValueConstraints || check.accepts(value, bytes)
        }
    }
}

/// Where the steps put the numbers they read from a record: nowhere in a plain pass
/// (`NoNumbers`, which the compiler removes), one slot per data column handed to the
/// observers that reuse them (`RecordNumbers`, for `NumberReusingObserver`).
protocol NumberSink {
    func keep(_ value: Double, column: Int)
    /// Before a record: every slot to NaN, "not read".
    func clear()
    /// After a record's checks: the numbers to the observers that reuse them.
    func handOver(_ reader: TableReader)
}

struct NoNumbers: NumberSink {
    @inline(__always) func keep(_ value: Double, column: Int) {}
    @inline(__always) func clear() {}
    @inline(__always) func handOver(_ reader: TableReader) {}
}

/// A slot per data column, owned by the pass that allocates it.
struct RecordNumbers: NumberSink {
    let storage: UnsafeMutableBufferPointer<Double>
    let observers: [NumberReusingObserver]
    @inline(__always) func keep(_ value: Double, column: Int) { storage[column] = value }
    @inline(__always) func clear() { storage.update(repeating: .nan) }
    func handOver(_ reader: TableReader) {
        for observer in observers { observer.observe(reader, numbers: UnsafeBufferPointer(storage)) }
    }
}
