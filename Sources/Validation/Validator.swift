import Core
import ReportModel
import Tabular

/// Settings of one validation run.
public struct ValidationOptions: Sendable {
    /// How many errors are kept in detail; counts stay complete beyond it.
    public var maxErrors: Int
    /// Validate one share as a part for `ValidationMerge` (`validate --shard --part`):
    /// header problems only in the first share, the dataset checks (row count, missing
    /// fractions) left to the merge, and the first occurrences of key values kept.
    public var asPart: Bool

    public init(maxErrors: Int = 1000, asPart: Bool = false) {
        self.maxErrors = maxErrors
        self.asPart = asPart
    }
}

/// Checks a table against a Table Schema in one streaming pass.
///
/// Memory stays flat with the file's size: cells are checked straight from the reader's
/// byte views, and `unique`/`primaryKey` keep 64-bit fingerprints, not values. Other jobs
/// can ride along the same pass as `RecordObserver`s (a profiler, for example).
///
/// ```swift
/// let schema = try TableSchema.load(path: "schema.json")
/// let summary = try Validator(schema: schema, schemaPath: "schema.json")
///     .validate(TableSource(path: "data.csv"), observers: [profiler])
/// ```
public final class Validator {
    public let schema: TableSchema
    /// Recorded in the summary; nil when the schema did not come from a file.
    public let schemaPath: String?
    public let options: ValidationOptions

    public init(schema: TableSchema, schemaPath: String? = nil, options: ValidationOptions = ValidationOptions()) {
        self.schema = schema
        self.schemaPath = schemaPath
        self.options = options
    }

    /// Validates `source`. Problems with the data are in the summary (`valid == false`);
    /// only a file that cannot be read at all throws (`TableReadError`, exit 3). Observers
    /// see every record, including invalid ones.
    public func validate(_ source: TableSource, observers: [RecordObserver] = []) throws -> ValidationSummary {
        var pass = Pass(schema: schema, limit: options.maxErrors, asPart: options.asPart)
        let reader: TableReader
        do {
            reader = try TableReader(source)
        } catch let error as TableReadError {
            if !error.isAboutTheData { throw error }
            pass.log.add(.sourceError, field: nil, row: nil, line: nil) { (nil, Self.message(error)) }
            return pass.summary(file: source.path, schemaPath: schemaPath, rows: 0)
        }
        try pass.run(reader, observers: observers)
        var summary = pass.summary(file: source.path, schemaPath: schemaPath, rows: reader.recordNumber - reader.rowsBeforeShare)
        if options.asPart { summary.share = pass.share(of: reader) }
        return summary
    }

    /// A read error without the file name, which the summary already carries.
    static func message(_ error: TableReadError) -> String {
        let text = error.description
        let prefix = error.path + ":"
        guard text.hasPrefix(prefix) else { return text }
        return text.dropFirst(prefix.count).drop(while: { $0 == " " }).description
    }
}

/// An observer that also learns, after each row is checked, whether the row was valid:
/// for example to set invalid rows aside while the valid ones go on.
public protocol RowVerdictObserver: RecordObserver {
    /// Called after `observe(_:)` and the row's checks, while the field views are still valid.
    func rowChecked(_ reader: TableReader, valid: Bool) throws
}

/// The state of one validation pass.
private struct Pass {
    let schema: TableSchema
    var log: IssueLog
    var checks: [FieldCheck] = []
    /// `checks` without reference counting, for the hot loop (`checks` keeps them alive).
    private var unretainedChecks: [Unmanaged<FieldCheck>] = []
    /// Missing cells by position in `checks`.
    private var missingCounts: [Int] = []
    /// Fingerprints of the values seen so far, by position in `checks`, for `unique`.
    private var seen: [FingerprintSet] = []
    /// Errors of the current row, held back until the row is known not to be blank.
    private var pending: [ValidationIssue] = []
    private var pendingKinds: [ErrorKind] = []
    private var keys = FingerprintSet()
    /// Validating one share as a part (`ValidationOptions.asPart`).
    let asPart: Bool
    /// For a part: the first occurrences of `unique` fields' values, by position in
    /// `checks`, and of primary keys.
    private var firstValues: [KeyOccurrences] = []
    private var firstKeys = KeyOccurrences()
    private var stoppedEarly = false

    init(schema: TableSchema, limit: Int, asPart: Bool) {
        self.schema = schema
        self.asPart = asPart
        log = IssueLog(limit: limit)
    }

    mutating func run(_ reader: TableReader, observers: [RecordObserver]) throws {
        let mapping = ColumnMapping(schema: schema, header: reader.header)
        // Every share reads the header; the first one reports its problems for them all.
        let reportsHeader = !asPart || (reader.share?.index ?? 0) == 0
        for problem in mapping.problems where reportsHeader {
            let field = problem.field.isEmpty ? nil : problem.field
            log.add(problem.kind, field: field, row: nil, line: reader.headerLine == 0 ? nil : reader.headerLine) { (nil, problem.message) }
        }
        checks = zip(schema.fields, mapping.columns).map { FieldCheck(field: $0, column: $1, missing: schema.missingValues(of: $0)) }
        unretainedChecks = checks.map { Unmanaged.passUnretained($0) }
        missingCounts = Array(repeating: 0, count: checks.count)
        seen = Array(repeating: FingerprintSet(), count: checks.count)
        if asPart { firstValues = Array(repeating: KeyOccurrences(), count: checks.count) }
        let active = checks.indices.filter { checks[$0].column != nil }
        // A key with a field the data lacks is reported once, as its missing label, and
        // not again on every row (as frictionless 5.21 does).
        let keyFields = schema.primaryKey.compactMap { name in checks.first { $0.name == name } }
        let keyChecks = keyFields.contains { $0.column == nil } ? [] : keyFields
        let headerWidth = reader.header.count
        let rowOffset = reader.source.hasHeader ? 1 : 0  // frictionless counts the header (or JSON keys) as row 1
        // Parquet stores numbers and booleans typed: their values need no parsing back from text.
        let stored = reader.source.format == .parquet

        let verdictObservers = observers.compactMap { $0 as? RowVerdictObserver }
        for observer in observers { try observer.begin(reader) }
        do {
            var fileIndex = -1
            while try reader.next() {
                if let dataset = reader.dataset, dataset.fileIndex != fileIndex {
                    fileIndex = dataset.fileIndex
                    log.file = dataset.currentFile
                }
                for observer in observers { observer.observe(reader) }
                let row = reader.recordNumber + rowOffset
                let errorsBefore = log.count
                if let problem = reader.problem {
                    report(problem, row: row, line: reader.line)
                } else {
                    check(reader, row: row, active: active, keyChecks: keyChecks, headerWidth: headerWidth, stored: stored)
                }
                if !verdictObservers.isEmpty {
                    let valid = log.count == errorsBefore
                    for observer in verdictObservers { try observer.rowChecked(reader, valid: valid) }
                }
            }
        } catch let error as TableReadError {
            if !error.isAboutTheData { throw error }
            log.add(.sourceError, field: nil, row: nil, line: nil) { (nil, Validator.message(error) + "; the rest of the file was not checked") }
            stoppedEarly = true
        }
        for observer in observers { try observer.finish() }
    }

    private mutating func report(_ problem: RecordProblem, row: Int, line: Int) {
        switch problem {
        case .invalidUTF8:
            log.add(.encodingError, field: nil, row: row, line: line) { (nil, "the row is not valid UTF-8; expected UTF-8 text (re-encode the file, e.g. iconv -f latin1 -t utf-8)") }
        case .malformedJSON(let why):
            log.add(.sourceError, field: nil, row: row, line: line) { (nil, "the line is not a flat JSON object: \(why)") }
        }
    }

    /// Checks one record's cells, then its key.
    private mutating func check(_ reader: TableReader, row: Int, active: [Int], keyChecks: [FieldCheck], headerWidth: Int, stored: Bool) {
        let count = reader.fieldCount
        var blanks = 0
        let line = reader.line
        for index in active {
            unretainedChecks[index]._withUnsafeGuaranteedRef { check in
                checkCell(check, index, reader, count, row, line, headerWidth, stored, &blanks)
            }
        }
        if count > headerWidth {
            for column in headerWidth..<count {
                let bytes = reader.field(column)
                hold(.extraCell, nil, row, line, shown(bytes), "the row has \(count) cells; expected \(headerWidth), so cell \(column + 1) belongs to no column")
            }
        }
        if blanks == active.count && !active.isEmpty {
            // A blank row's cell errors fold into blank-row; its key is still checked.
            pending.removeAll(keepingCapacity: true)
            pendingKinds.removeAll(keepingCapacity: true)
            log.add(.blankRow, field: nil, row: row, line: line) { (nil, "the row is blank; expected values") }
        }
        if !keyChecks.isEmpty { checkKey(reader, row: row, line: line, keyChecks: keyChecks) }
        for (kind, issue) in zip(pendingKinds, pending) {
            log.add(kind, field: issue.field, row: issue.row, line: issue.line) { (issue.value, issue.message) }
        }
        pending.removeAll(keepingCapacity: true)
        pendingKinds.removeAll(keepingCapacity: true)
    }

    /// Checks one cell of the current row.
    @inline(__always)
    private mutating func checkCell(_ check: FieldCheck, _ index: Int, _ reader: TableReader, _ count: Int, _ row: Int, _ line: Int, _ headerWidth: Int, _ stored: Bool, _ blanks: inout Int) {
        let column = check.column!
        if column >= count {
            blanks += 1
            missingCounts[index] += 1
            if check.required { hold(.constraintError, check.name, row, line, nil, "a value is required but the row ends before this field") }
            hold(.missingCell, check.name, row, line, nil, "the row has \(count) cells; expected \(headerWidth), so field \"\(check.name)\" (column \(column + 1)) has none")
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
            if !seen[index].insert(fingerprint) {
                hold(.uniqueError, check.name, row, line, shown(bytes), "\(Self.subject(value, bytes)) repeats a value of an earlier row; field \"\(check.name)\" is unique")
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
    private mutating func checkKey(_ reader: TableReader, row: Int, line: Int, keyChecks: [FieldCheck]) {
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
        let keyNames = schema.primaryKey.joined(separator: ", ")
        if missingParts + unreadableParts == keyChecks.count {
            let why = unreadableParts == 0 ? "is missing" : "is missing or not of its field's type"
            hold(.primaryKey, nil, row, line, nil, "every cell of the primary key (\(keyNames)) \(why)")
        } else if !keys.insert(fingerprint) {
            let value = keyChecks.map { check -> String in
                guard let column = check.column, column < reader.fieldCount else { return "" }
                return shown(reader.field(column))
            }.joined(separator: ", ")
            hold(.primaryKey, nil, row, line, value, "the primary key (\(keyNames)) = (\(value)) repeats an earlier row's")
        } else if asPart {
            firstKeys.append(row: row, line: line, fingerprint: fingerprint)
        }
    }

    /// Holds an error of the current row; its details are built only under the limit.
    private mutating func hold(_ kind: ErrorKind, _ field: String?, _ row: Int, _ line: Int, _ value: @autoclosure () -> String?, _ message: @autoclosure () -> String) {
        pendingKinds.append(kind)
        if log.count + pending.count < log.limit {
            pending.append(ValidationIssue(type: kind.rawValue, row: row, field: field, value: value(), message: message(), line: line))
        } else {
            pending.append(ValidationIssue(type: kind.rawValue, row: row, field: field, value: nil, message: "", line: line))
        }
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

    /// What the merge needs of this part, once the pass is over.
    func share(of reader: TableReader) -> ValidationShare {
        let share = reader.byteShare?.share ?? reader.share ?? TableShare(index: 0, count: 1)
        var occurrences: [String: KeyOccurrences] = [:]
        for (check, values) in zip(checks, firstValues) where check.unique && check.column != nil { occurrences[check.name] = values }
        if !schema.primaryKey.isEmpty { occurrences[ValidationShare.primaryKey] = firstKeys }
        return ValidationShare(
            index: share.index + 1, count: share.count, byteRange: reader.byteShare.map { [$0.range.lowerBound, $0.range.upperBound] },
            bytesRead: reader.bytesConsumed, countsFromShareStart: reader.numbersCountFromShareStart,
            lineCount: reader.linesRead, stoppedEarly: stoppedEarly, firstOccurrences: occurrences.isEmpty ? nil : occurrences)
    }
}
