import Core
import Foundation
import Tabular

/// How an evaluation keeps one column of a file: what it needs of it and no more.
enum ColumnKind: Hashable {
    /// Row ids, for the join: a 64-bit fingerprint per row.
    case id
    /// Class labels and slice values: a code per row and each distinct text once.
    case text
    /// Scores, probabilities and regression values: a `Double` per row (NaN where the
    /// cell is not a number; its text is read again for the error message).
    case number
}

/// A text column as codes of its distinct texts.
struct CodedColumn {
    var codes: [Int32] = []
    var distinct = TextCodes()

    /// The distinct texts; `codes` index this list.
    var texts: [String] { distinct.texts }
}

/// The columns one evaluation needs from a predictions or labels file, typed as they are
/// read from the reader's byte views (no `String` per cell), with the physical line of each
/// row so that errors can point at it. A million rows take about 8 bytes per id and number
/// column, 4 per text column and 8 for the line.
///
/// Cells are compared as their trimmed `String`s would be (spaces and tabs around a value
/// are not part of it; canonically equivalent texts are equal): ASCII cells byte by byte,
/// others through `String`.
struct ColumnTable {
    let path: String
    let header: [String]
    let lines: [Int]
    let ids: [String: [UInt64]]
    let texts: [String: CodedColumn]
    let numbers: [String: [Double]]

    var rowCount: Int { lines.count }

    /// Reads `required` columns (an error when absent), whichever of `optional` exist and,
    /// with `prefixed`, every column whose name starts with its prefix, as its kind.
    static func read(_ path: String, required: [(String, ColumnKind)], optional: [(String, ColumnKind)] = [], prefixed: (prefix: String, kind: ColumnKind)? = nil) throws -> ColumnTable {
        let reader = try TableReader(TableSource(path: path))
        let header = reader.header
        let missing = required.map(\.0).filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw Failure.usage("\(path) has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")) (its columns: \(header.joined(separator: ", ")))")
        }
        var wanted = required + optional.filter { header.contains($0.0) }
        if let prefixed {
            wanted += header.filter { name in name.hasPrefix(prefixed.prefix) && !wanted.contains { $0.0 == name } }.map { ($0, prefixed.kind) }
        }
        var unique: [(name: String, kind: ColumnKind)] = []
        for column in wanted where !unique.contains(where: { $0.name == column.0 && $0.kind == column.1 }) { unique.append(column) }

        let indices = unique.map { column in header.firstIndex(of: column.name)! }
        var ids = [[UInt64]](repeating: [], count: unique.count)
        var texts = [CodedColumn](repeating: CodedColumn(), count: unique.count)
        var numbers = [[Double]](repeating: [], count: unique.count)
        var lines: [Int] = []
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        while try reader.next() {
            if reader.fieldCount == 0 { continue }
            for (slot, index) in indices.enumerated() {
                let cell = index < reader.fieldCount ? reader.field(index) : empty
                switch unique[slot].kind {
                case .id: ids[slot].append(Cell.fingerprint(cell))
                case .text:
                    let code = Cell.code(cell, in: &texts[slot].distinct)
                    texts[slot].codes.append(code)
                case .number: numbers[slot].append(Cell.number(cell))
                }
            }
            lines.append(reader.line)
        }
        func byName<T>(_ kind: ColumnKind, _ values: [T]) -> [String: T] {
            Dictionary(uniqueKeysWithValues: unique.indices.filter { unique[$0].kind == kind }.map { (unique[$0].name, values[$0]) })
        }
        return ColumnTable(path: path, header: header, lines: lines, ids: byName(.id, ids), texts: byName(.text, texts), numbers: byName(.number, numbers))
    }

    /// "holdout.csv line 7", for messages.
    func place(_ row: Int) -> String { "\(path) line \(lines[row])" }

    /// The trimmed texts of `column` at `rows`, read again from the file: only messages
    /// need a cell's text, so the table does not keep it. Rows are found by their line, so
    /// this holds for a table `keeping` some of the file's rows too.
    func cellTexts(_ column: String, rows: [Int]) throws -> [String] {
        let reader = try TableReader(TableSource(path: path))
        guard let index = reader.header.firstIndex(of: column) else { return rows.map { _ in "" } }
        let wanted = Set(rows.map { lines[$0] })
        var found: [Int: String] = [:]
        while found.count < wanted.count, try reader.next() {
            if reader.fieldCount == 0 { continue }
            if wanted.contains(reader.line) { found[reader.line] = index < reader.fieldCount ? Cell.trimmed(reader.string(index)) : "" }
        }
        return rows.map { found[lines[$0]] ?? "" }
    }

    /// The table of `rows` only (ascending), as if the others were not in the file: a text
    /// column's codes are renumbered in order of first appearance among the kept rows, so
    /// a text only the left-out rows had is not one of its texts.
    func keeping(rows: [Int]) -> ColumnTable {
        let kept = texts.mapValues { column -> CodedColumn in
            var narrowed = CodedColumn()
            var newCode = [Int32?](repeating: nil, count: column.texts.count)
            narrowed.codes.reserveCapacity(rows.count)
            for row in rows {
                let old = Int(column.codes[row])
                if newCode[old] == nil { newCode[old] = narrowed.distinct.code(of: column.texts[old]) }
                narrowed.codes.append(newCode[old]!)
            }
            return narrowed
        }
        return ColumnTable(path: path, header: header, lines: rows.map { lines[$0] }, ids: ids.mapValues { values in rows.map { values[$0] } }, texts: kept, numbers: numbers.mapValues { values in rows.map { values[$0] } })
    }

    /// The trimmed text of `column` at `row` (see `cellTexts`).
    func cellText(_ column: String, row: Int) throws -> String {
        try cellTexts(column, rows: [row])[0]
    }
}

/// One cell as each column kind keeps it, with the answer its trimmed `String` would give.
enum Cell {
    /// The fingerprint of the trimmed text (`CellBytes.textFingerprint`: canonically
    /// equivalent texts, equal as `String`s, have the same one).
    static func fingerprint(_ cell: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if CellBytes.isASCII(cell) { return ByteFingerprint.of(trimmedASCII(cell)) }
        return CellBytes.textFingerprint(trimmed(CellBytes.text(cell)))
    }

    static func code(_ cell: UnsafeBufferPointer<UInt8>, in distinct: inout TextCodes) -> Int32 {
        if CellBytes.isASCII(cell) { return distinct.code(of: trimmedASCII(cell)) }
        return distinct.code(of: trimmed(CellBytes.text(cell)))
    }

    /// The number `Double(String)` reads from the trimmed text, or NaN.
    static func number(_ cell: UnsafeBufferPointer<UInt8>) -> Double {
        if CellBytes.isASCII(cell) { return CellBytes.number(trimmedASCII(cell)) ?? .nan }
        return Double(trimmed(CellBytes.text(cell))) ?? .nan
    }

    /// `cell` without surrounding spaces and tabs.
    private static func trimmedASCII(_ cell: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = cell.count
        while start < end, cell[start] == 0x20 || cell[start] == 0x09 { start += 1 }
        while end > start, cell[end - 1] == 0x20 || cell[end - 1] == 0x09 { end -= 1 }
        return start == 0 && end == cell.count ? cell : UnsafeBufferPointer(rebasing: cell[start..<end])
    }

    /// `text` without surrounding spaces and tabs (whole characters: a space that carries
    /// a combining mark stays).
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return text }
        return String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// For each row of the labels file, the row of a predictions file that belongs to it.
enum RowJoin {
    /// Joins by `idColumn` when given (by the ids' fingerprints), else by row order; every
    /// label row needs exactly one prediction and every prediction a label row.
    static func match(predictions: ColumnTable, labels: ColumnTable, idColumn: String?) throws -> [Int] {
        guard let idColumn else {
            guard predictions.rowCount == labels.rowCount else {
                throw Failure.usage("\(predictions.path) has \(predictions.rowCount) rows but \(labels.path) has \(labels.rowCount); joined by row order they must match (or join with --id-column)")
            }
            return Array(0..<labels.rowCount)
        }
        let predictionIds = predictions.ids[idColumn]!, labelIds = labels.ids[idColumn]!
        guard predictionIds.count <= Int(Int32.max) else {
            throw Failure.usage("\(predictions.path) has more than \(Int32.max) rows, more than an id join takes")
        }
        var table = IdTable(capacityFor: predictionIds.count)
        for (row, id) in predictionIds.enumerated() {
            if let first = table.insert(id, row: row) {
                throw Failure.usage("\(predictions.place(row)): id '\(try predictions.cellText(idColumn, row: row))' appears twice (first at line \(predictions.lines[first]))")
            }
        }
        var matched: [Int] = []
        matched.reserveCapacity(labelIds.count)
        var missing: [Int] = []
        for (row, id) in labelIds.enumerated() {
            switch table.claim(id) {
            case .claimedBefore:
                throw Failure.usage("\(labels.place(row)): id '\(try labels.cellText(idColumn, row: row))' appears twice")
            case .claimed(let found?): matched.append(found)
            case .claimed(nil): missing.append(row)
            }
        }
        guard missing.isEmpty else {
            throw Failure.usage("\(predictions.path) has no prediction for \(missing.count) id(s) of \(labels.path): \(try sample(missing, of: labels, idColumn))")
        }
        let extra = predictionIds.indices.filter { !table.isClaimed(predictionIds[$0]) }
        guard extra.isEmpty else {
            throw Failure.usage("\(predictions.path) has \(extra.count) id(s) that \(labels.path) does not: \(try sample(extra, of: predictions, idColumn))")
        }
        return matched
    }

    private static func sample(_ rows: [Int], of table: ColumnTable, _ idColumn: String) throws -> String {
        try table.cellTexts(idColumn, rows: Array(rows.prefix(5))).map { "'\($0)'" }.joined(separator: ", ") + (rows.count > 5 ? ", ..." : "")
    }
}

/// The join's table of the predictions' id fingerprints: open addressing over the
/// fingerprints' own bits (already uniformly spread, so no hashing), each slot holding the
/// id, its predictions row and whether a label row has claimed it (one cache line visited
/// per look-up). A fingerprint of 0 is stored as 1 (0 marks an empty slot), which merges two
/// ids with probability 2^-64.
struct IdTable {
    enum Claim {
        /// A label row had this id already.
        case claimedBefore
        /// The predictions row with this id (nil: none), now claimed.
        case claimed(Int?)
    }

    private struct Slot {
        var key: UInt64 = 0
        var row: Int32 = 0
        var claimed = false
    }

    private var slots: [Slot]
    private let mask: Int
    /// Ids of label rows without a prediction (an error unless there are none).
    private var unmatched = Set<UInt64>()

    /// A table for up to `count` predictions rows, at most half full.
    init(capacityFor count: Int) {
        var capacity = 16
        while capacity < 2 * count { capacity *= 2 }
        slots = Array(repeating: Slot(), count: capacity)
        mask = capacity - 1
    }

    /// The slot of `id`, or the empty slot where it would go.
    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        var index = Int(truncatingIfNeeded: key) & mask
        while slots[index].key != 0, slots[index].key != key { index = (index + 1) & mask }
        return index
    }

    /// Adds a predictions row's id; returns the earlier row when the id is there already.
    mutating func insert(_ id: UInt64, row: Int) -> Int? {
        let key = id == 0 ? 1 : id
        let index = slot(key)
        if slots[index].key != 0 { return Int(slots[index].row) }
        slots[index] = Slot(key: key, row: Int32(row))
        return nil
    }

    /// Claims `id` for a label row.
    mutating func claim(_ id: UInt64) -> Claim {
        let key = id == 0 ? 1 : id
        let index = slot(key)
        guard slots[index].key != 0 else { return unmatched.insert(key).inserted ? .claimed(nil) : .claimedBefore }
        if slots[index].claimed { return .claimedBefore }
        slots[index].claimed = true
        return .claimed(Int(slots[index].row))
    }

    func isClaimed(_ id: UInt64) -> Bool { slots[slot(id == 0 ? 1 : id)].claimed }
}
