import ReportModel

/// Collects errors: counts by type and by field are always complete, details stop at the
/// limit so that a badly broken file cannot exhaust memory.
struct IssueLog {
    let limit: Int
    private(set) var count = 0
    /// Errors about the table as a whole (header, a read that stopped, dataset checks): complete, like `count`.
    private(set) var tableCount = 0
    private(set) var byType: [String: Int] = [:]
    private(set) var byField: [String: Int] = [:]
    private(set) var details: [ValidationIssue] = []
    /// The dataset file being read, stamped on each detail (nil for a single file).
    var file: String?

    init(limit: Int) {
        self.limit = limit
    }

    var limitReached: Bool { count > details.count }

    /// Records one error. `describe` builds the detail only while under the limit, so the
    /// message and shortened value cost nothing once the limit is reached.
    mutating func add(_ kind: ErrorKind, field: String?, row: Int?, line: Int?, _ describe: () -> (value: String?, message: String)) {
        count += 1
        if row == nil { tableCount += 1 }
        byType[kind.rawValue, default: 0] += 1
        if let field { byField[field, default: 0] += 1 }
        guard details.count < limit else { return }
        let (value, message) = describe()
        details.append(ValidationIssue(type: kind.rawValue, row: row, field: field, value: value, message: message, line: line, file: row == nil ? nil : file))
    }

    /// Adds the counts of `other`, whose errors all come after this log's details (a
    /// chunk's errors past its first `limit`, `ChunkOutcome.tail`).
    mutating func addCounts(of other: IssueLog) {
        count += other.count
        tableCount += other.tableCount
        byType.merge(other.byType, uniquingKeysWith: +)
        byField.merge(other.byField, uniquingKeysWith: +)
    }
}

/// A cell as shown in a report: at most 80 characters, control characters made visible.
func shown(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    var result = ""
    for (index, character) in text.enumerated() {
        if index == 79 { result += "…"; break }
        switch character {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default: result.append(character)
        }
    }
    return result
}
