import Core
import Foundation
import Tabular

/// The columns one evaluation needs from a predictions or labels file, as text, with the
/// physical line of each row so that errors can point at it.
struct ColumnTable {
    let path: String
    let header: [String]
    let columns: [String: [String]]
    let lines: [Int]

    var rowCount: Int { lines.count }

    /// Reads `required` columns (an error when absent) and whichever of `optional` exist.
    static func read(_ path: String, required: [String], optional: [String] = [], prefix: String? = nil) throws -> ColumnTable {
        let reader = try TableReader(TableSource(path: path))
        let header = reader.header
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw Failure.usage("\(path) has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")) (its columns: \(header.joined(separator: ", ")))")
        }
        var wanted = required + optional.filter(header.contains)
        if let prefix { wanted += header.filter { $0.hasPrefix(prefix) && !wanted.contains($0) } }
        let indices = wanted.map { name in header.firstIndex(of: name)! }
        var values = [[String]](repeating: [], count: wanted.count)
        var lines: [Int] = []
        while try reader.next() {
            if reader.fieldCount == 0 { continue }
            for (slot, index) in indices.enumerated() {
                values[slot].append(index < reader.fieldCount ? trimmed(reader.string(index)) : "")
            }
            lines.append(reader.line)
        }
        return ColumnTable(path: path, header: header, columns: Dictionary(uniqueKeysWithValues: zip(wanted, values)), lines: lines)
    }

    /// `text` without surrounding spaces and tabs; most cells have none, so this is cheap.
    private static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return text }
        return String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// "holdout.csv line 7", for messages.
    func place(_ row: Int) -> String { "\(path) line \(lines[row])" }
}

/// For each row of the labels file, the row of a predictions file that belongs to it.
enum RowJoin {
    /// Joins by `idColumn` when given, else by row order; every label row needs exactly one
    /// prediction and every prediction a label row.
    static func match(predictions: ColumnTable, labels: ColumnTable, idColumn: String?) throws -> [Int] {
        guard let idColumn else {
            guard predictions.rowCount == labels.rowCount else {
                throw Failure.usage("\(predictions.path) has \(predictions.rowCount) rows but \(labels.path) has \(labels.rowCount); joined by row order they must match (or join with --id-column)")
            }
            return Array(0..<labels.rowCount)
        }
        let predictionIds = predictions.columns[idColumn]!, labelIds = labels.columns[idColumn]!
        var rowOfId: [String: Int] = [:]
        for (row, id) in predictionIds.enumerated() {
            if let first = rowOfId.updateValue(row, forKey: id) {
                throw Failure.usage("\(predictions.place(row)): id '\(id)' appears twice (first at line \(predictions.lines[first]))")
            }
        }
        var seen = Set<String>()
        var matched: [Int] = []
        var missing: [String] = []
        for (row, id) in labelIds.enumerated() {
            guard seen.insert(id).inserted else {
                throw Failure.usage("\(labels.place(row)): id '\(id)' appears twice")
            }
            if let found = rowOfId[id] { matched.append(found) } else { missing.append(id) }
        }
        guard missing.isEmpty else {
            throw Failure.usage("\(predictions.path) has no prediction for \(missing.count) id(s) of \(labels.path): \(sample(missing))")
        }
        let extra = predictionIds.filter { !seen.contains($0) }
        guard extra.isEmpty else {
            throw Failure.usage("\(predictions.path) has \(extra.count) id(s) that \(labels.path) does not: \(sample(extra))")
        }
        return matched
    }

    private static func sample(_ ids: [String]) -> String {
        ids.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (ids.count > 5 ? ", ..." : "")
    }
}
