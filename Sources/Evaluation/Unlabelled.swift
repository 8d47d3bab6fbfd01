import Core

/// Which rows of a labels file have a label. A row whose label cell is empty (after
/// trimming) has none yet, as fresh production data often has not; it takes part in no
/// metric, where treating "" as a class or failing the whole evaluation would not help.
enum Unlabelled {
    /// The rows of `labels` with a value in `column`, ascending.
    static func labelledRows(_ labels: ColumnTable, column: String) throws -> [Int] {
        if let coded = labels.texts[column] {
            let blank = coded.texts.map(\.isEmpty)
            guard blank.contains(true) else { return Array(0..<labels.rowCount) }
            return coded.codes.indices.filter { !blank[Int(coded.codes[$0])] }
        }
        // A number column holds NaN for an empty cell and for text that is not a number;
        // only the first is unlabelled (the second stays an error), so those cells are read again.
        let values = labels.numbers[column]!
        let notNumbers = values.indices.filter { values[$0].isNaN }
        guard !notNumbers.isEmpty else { return Array(0..<labels.rowCount) }
        let texts = try labels.cellTexts(column, rows: notNumbers)
        let blank = Set(zip(notNumbers, texts).filter { $0.1.isEmpty }.map(\.0))
        return values.indices.filter { !blank.contains($0) }
    }
}
