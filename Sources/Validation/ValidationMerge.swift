import Core
import ReportModel
import Tabular

/// Puts the parts of a validation run in N parallel jobs (`validate --shard i/N --part`)
/// together into the summary a single pass gives:
///
/// - rows and lines are renumbered: a share that counted from its own start gets the rows
///   (and, outside a dataset, the lines) of the shares before it added;
/// - `unique` and `primaryKey` are checked across shares: each part lists the rows holding
///   the first occurrence, within it, of each value (as 64-bit fingerprints), and a value
///   an earlier share holds is a `unique-error` (`primary-key`) at that row, as a single
///   pass reports it; the message cannot quote the value, which the parts do not keep;
/// - the dataset checks (row count, missing fractions) run on the sums;
/// - a share whose read stopped at a `source-error` ends the table, as in a single pass.
///
/// Counts are complete; details are the first `maxErrors` in row order.
public enum ValidationMerge {
    /// Merges `parts`, one per share; throws `Failure` (exit 2) when they are not every
    /// share of one validation.
    public static func merge(_ parts: [ValidationSummary], schema: TableSchema, schemaPath: String?, maxErrors: Int) throws -> ValidationSummary {
        let shares = try ordered(parts)
        var merged = ValidationSummary(file: shares[0].summary.file, valid: true, rowCount: 0, errorCount: 0, errorsByType: [:], errorsByField: [:], firstErrors: [], schema: schemaPath ?? shares[0].summary.schema, fields: schema.fields.map(\.name))
        var missing: [String: Int] = [:]
        var details: [ValidationIssue] = []
        var tableErrors = 0
        var lines = 0
        var seen: [String: FingerprintSet] = [:]
        var acrossShares: [ValidationIssue] = []
        for (summary, share) in shares {
            let rowOffset = share.countsFromShareStart ? merged.rowCount : 0
            let lineOffset = share.countsFromShareStart ? lines : 0
            func renumbered(_ issue: ValidationIssue) -> ValidationIssue {
                guard issue.row != nil else { return issue }
                var issue = issue
                issue.row = issue.row.map { $0 + rowOffset }
                if issue.file == nil { issue.line = issue.line.map { $0 + lineOffset } }
                return issue
            }
            details += summary.firstErrors.map(renumbered)
            for (key, occurrences) in (share.firstOccurrences ?? [:]).sorted(by: { $0.key < $1.key }) {
                var earlier = seen[key] ?? FingerprintSet()
                for index in occurrences.rows.indices {
                    guard !earlier.insert(occurrences.fingerprints[index]) else { continue }
                    // Lines are the file's only for a share of one file's bytes.
                    let line = share.byteRange == nil ? nil : occurrences.lines[index] + lineOffset
                    acrossShares.append(repeatIssue(key, schema: schema, row: occurrences.rows[index] + rowOffset, line: line))
                }
                seen[key] = earlier
            }
            merged.rowCount += summary.rowCount
            merged.errorCount += summary.errorCount
            merged.errorsByType.merge(summary.errorsByType, uniquingKeysWith: +)
            merged.errorsByField.merge(summary.errorsByField, uniquingKeysWith: +)
            missing.merge(summary.missingByField ?? [:], uniquingKeysWith: +)
            tableErrors += summary.tableErrorCount ?? 0
            lines = lineOffset + share.lineCount
            if share.stoppedEarly { break }
        }
        for issue in acrossShares {
            merged.errorCount += 1
            merged.errorsByType[issue.type, default: 0] += 1
            if let field = issue.field { merged.errorsByField[field, default: 0] += 1 }
        }
        for problem in DatasetCheck.problems(schema, rows: merged.rowCount, missingByField: missing) {
            merged.errorCount += 1
            tableErrors += 1
            merged.errorsByType[problem.kind.rawValue, default: 0] += 1
            if let field = problem.field { merged.errorsByField[field, default: 0] += 1 }
            acrossShares.append(ValidationIssue(type: problem.kind.rawValue, row: nil, field: problem.field, value: problem.value, message: problem.message))
        }
        merged.firstErrors = Array(inRowOrder(details, acrossShares).prefix(maxErrors))
        merged.valid = merged.errorCount == 0
        merged.errorLimitReached = merged.errorCount > merged.firstErrors.count
        merged.missingByField = missing.isEmpty ? nil : missing
        merged.tableErrorCount = tableErrors
        return merged
    }

    /// The parts by share number, checked to be every share of one file, once each.
    private static func ordered(_ parts: [ValidationSummary]) throws -> [(summary: ValidationSummary, share: ValidationShare)] {
        var shares: [(summary: ValidationSummary, share: ValidationShare)] = []
        for part in parts {
            guard let share = part.share else {
                throw Failure.usage("the validation of \(part.file) is not a part of a sharded run; write parts with `sluice validate DATA --shard i/N --part FILE`")
            }
            shares.append((part, share))
        }
        guard let first = shares.first else { throw Failure.usage("give the parts of every share to merge") }
        shares.sort { $0.share.index < $1.share.index }
        let count = first.share.count
        guard shares.allSatisfy({ $0.share.count == count && $0.summary.file == first.summary.file }) else {
            throw Failure.usage("the parts are of different runs: \(shares.map { "\($0.summary.file) \($0.share.index)/\($0.share.count)" }.joined(separator: ", ")); merge the N parts of one file's --shard i/N runs")
        }
        let indices = shares.map(\.share.index)
        guard indices == Array(1...count) else {
            let missing = Set(1...count).subtracting(indices).sorted().map(String.init)
            let repeated = Dictionary(grouping: indices, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted().map(String.init)
            var why: [String] = []
            if !missing.isEmpty { why.append("shares \(missing.joined(separator: ", ")) of \(count) are missing") }
            if !repeated.isEmpty { why.append("shares \(repeated.joined(separator: ", ")) are given twice") }
            throw Failure.usage("cannot merge the parts of \(first.summary.file): \(why.joined(separator: "; ")); a merge needs every share exactly once")
        }
        for (before, after) in zip(shares, shares.dropFirst()) {
            if let end = before.share.byteRange?.last, let start = after.share.byteRange?.first, end != start {
                throw Failure.usage("cannot merge the parts of \(first.summary.file): share \(before.share.index) ends at byte \(end) but share \(after.share.index) starts at byte \(start); the file changed between the jobs, or the parts come from different versions of it")
            }
        }
        return shares
    }

    /// The error a single pass reports at the row repeating an earlier share's value.
    private static func repeatIssue(_ key: String, schema: TableSchema, row: Int, line: Int?) -> ValidationIssue {
        if key == ValidationShare.primaryKey {
            let names = schema.primaryKey.joined(separator: ", ")
            return ValidationIssue(type: ErrorKind.primaryKey.rawValue, row: row, field: nil, value: nil, message: "the primary key (\(names)) repeats the key of a row in an earlier share (found by validate merge, which compares fingerprints of keys, not their values)", line: line)
        }
        return ValidationIssue(type: ErrorKind.uniqueError.rawValue, row: row, field: key, value: nil, message: "the value repeats one of a row in an earlier share; field \"\(key)\" is unique (found by validate merge, which compares fingerprints of values, not the values)", line: line)
    }

    /// The shares' details with the merge's own, in row order: header problems first, then
    /// rows, then what concerns the whole table (a stopped read, the dataset checks).
    private static func inRowOrder(_ details: [ValidationIssue], _ added: [ValidationIssue]) -> [ValidationIssue] {
        func rank(_ issue: ValidationIssue) -> Int {
            if let row = issue.row { return row }
            return issue.line != nil ? 0 : Int.max  // header problems carry the header's line
        }
        return (details + added).enumerated()
            .sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }
            .map(\.element)
    }
}
