import Core
import Foundation
import Tabular

/// A small table held as text columns: what a prediction command wrote for the rows of a
/// behavioural check. Training data and built-in predictions never come this way (see
/// `TrainingTable` and `LinearModel.predict(data:to:)`).
struct TextColumns {
    let path: String
    let header: [String]
    /// `columns[c][r]`: column `c`, row `r`.
    let columns: [[String]]
    let lines: [Int]

    var rowCount: Int { lines.count }

    static func read(_ path: String) throws -> TextColumns {
        let reader = try TableReader(TableSource(path: path))
        var columns = [[String]](repeating: [], count: reader.header.count)
        var lines: [Int] = []
        while try reader.next() {
            if reader.fieldCount == 0 { continue }
            for c in columns.indices { columns[c].append(c < reader.fieldCount ? reader.string(c) : "") }
            lines.append(reader.line)
        }
        return TextColumns(path: path, header: reader.header, columns: columns, lines: lines)
    }

    func column(_ name: String) -> [String]? {
        header.firstIndex(of: name).map { columns[$0] }
    }
}

/// Writes CSV with RFC 4180 quoting, only where a field needs it.
enum CSVText {
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\n"
    }
}
