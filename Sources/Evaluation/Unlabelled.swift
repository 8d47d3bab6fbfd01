import Core

/// Which rows of a labels file have a label. A row whose label cell is one of the missing
/// labels (after trimming; by default empty) has none yet, as fresh production data often
/// has not; it takes part in no metric, where treating it as a class or failing the whole
/// evaluation would not help.
enum Unlabelled {
    /// The rows of `labels` with a label in `column`, ascending.
    static func labelledRows(_ labels: ColumnTable, column: String, missing: Set<String>) throws -> [Int] {
        if let coded = labels.texts[column] {
            let absent = coded.texts.map(missing.contains)
            guard absent.contains(true) else { return Array(0..<labels.rowCount) }
            return coded.codes.indices.filter { !absent[Int(coded.codes[$0])] }
        }
        // A number column holds NaN for a missing label and for text that is not a number;
        // only the first is unlabelled (the second stays an error), so those cells are read again.
        let values = labels.numbers[column]!
        let notNumbers = values.indices.filter { values[$0].isNaN }
        guard !notNumbers.isEmpty else { return Array(0..<labels.rowCount) }
        let texts = try labels.cellTexts(column, rows: notNumbers)
        let absent = Set(zip(notNumbers, texts).filter { missing.contains($0.1) }.map(\.0))
        return values.indices.filter { !absent.contains($0) }
    }
}
