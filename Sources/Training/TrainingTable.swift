import Core
import Foundation
import Tabular

/// The training data, read once from the reader's byte views into typed columns: numbers
/// (booleans as 1 and 0) as `Double`s (a byte per row naming one of a column's values
/// while it has at most 256: `NumberColumn`), categories as small integer codes, and the label as
/// codes of its distinct texts (classification) or numbers (regression). Nothing is held as
/// one `String` per cell, so a million rows take a few bytes per cell instead of a few
/// dozen. Cells are read without surrounding white space, as the encoders read them.
/// A row whose label is missing (one of the missing values) is not a training row: it is
/// counted and left out.
struct TrainingTable {
    let path: String
    let header: [String]
    let rowCount: Int
    /// Rows left out because their label is missing.
    let unlabelledRows: Int
    /// The columns that may become features, by header index, as `FeaturePlanner.reading`
    /// decided before the pass.
    let columns: [Int: ColumnValues]
    let label: LabelValues

    /// Reads `path` once, keeping the columns `reading` names and the label column.
    static func read(_ path: String, label: String, regression: Bool, reading: (_ header: [String]) -> [Int: ColumnReading], missingValues: [String]) throws -> TrainingTable {
        let reader = try TableReader(TableSource(path: path))
        let header = reader.header
        guard let labelIndex = header.firstIndex(of: label) else {
            throw Failure.usage("\(path) has no label column '\(label)' (its columns: \(header.joined(separator: ", ")))")
        }
        let missing = CellTexts(missingValues)
        let collectors = reading(header).mapValues { ColumnValues(reading: $0) }
        // In column order, each with its name: no lookup by index per cell.
        let order = collectors.keys.sorted().map { (index: $0, name: header[$0], values: collectors[$0]!) }
        let labels = LabelValues(regression: regression)
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var rows = 0, unlabelled = 0
        // Made once: a closure made for each row retains what it captures each time.
        let place = { "\(path) line \(reader.line)" }
        while try reader.next() {
            if reader.fieldCount == 0 { continue }
            let label = labelIndex < reader.fieldCount ? reader.field(labelIndex) : empty
            if missing.containsTrimmed(label) {
                unlabelled += 1
                continue
            }
            for column in order {
                column.values.append(column.index < reader.fieldCount ? reader.field(column.index) : empty, row: rows, missing: missing, name: column.name, place: place)
            }
            labels.append(label, row: rows, place: place)
            rows += 1
        }
        return TrainingTable(path: path, header: header, rowCount: rows, unlabelledRows: unlabelled, columns: collectors, label: labels)
    }
}

/// How a column that may become a feature is read, decided from the schema before the pass.
enum ColumnReading {
    /// An `integer`, `number` or `year` field: every present cell must be a finite number.
    case numbers
    /// A `boolean` field: every present cell must be one of the words.
    case boolean(trueValues: [String], falseValues: [String])
    /// A text field with an `enum`: the categories are the enum's values.
    case enumeration([String])
    /// A text column without an enum: categories are its distinct values. `numeric`
    /// (a column the schema does not describe) makes it a number column when every present
    /// cell is a number.
    case open(numeric: Bool)
}

/// One column's values as the pass read them.
final class ColumnValues {
    let reading: ColumnReading
    /// Numbers (`NaN`: missing), for number and boolean columns and open columns that may
    /// still be numeric; a byte per row while the column has few distinct values.
    var numbers = NumberColumn()
    /// Category codes (-1: missing or not a category): the enum's index, or for an open
    /// column the index of the value in `distinct`'s order of first appearance.
    var codes: [Int32] = []
    /// Open columns: each distinct present value and its code.
    var distinct: [String: Int32] = [:]
    /// Open columns: whether every present cell so far is a number.
    var allNumbers = true
    /// The first cell that is not of the column's kind: its row and the error about it.
    var firstError: (row: Int, error: Failure)?
    /// The first non-finite number of an open column, an error only if it becomes numeric.
    var firstNonFinite: (row: Int, error: Failure)?
    private let truths: CellTexts?
    private let falsehoods: CellTexts?
    private let categories: CellTexts?

    init(reading: ColumnReading) {
        self.reading = reading
        switch reading {
        case .boolean(let trueValues, let falseValues):
            (truths, falsehoods, categories) = (CellTexts(trueValues), CellTexts(falseValues), nil)
        case .enumeration(let values):
            (truths, falsehoods, categories) = (nil, nil, CellTexts(values))
        case .numbers, .open:
            (truths, falsehoods, categories) = (nil, nil, nil)
        }
    }

    /// Adds row `row`'s cell.
    func append(_ raw: UnsafeBufferPointer<UInt8>, row: Int, missing: CellTexts, name: String, place: () -> String) {
        CellBytes.trimmed(raw) { cell in
            let absent = missing.contains(cell)
            switch reading {
            case .numbers:
                guard !absent else { return numbers.append(.nan) }
                if let number = CellBytes.number(cell), number.isFinite { return numbers.append(number) }
                numbers.append(.nan)
                noteError(row, Failure.usage("\(place()): \(name) '\(CellBytes.text(cell))' is not a number"))
            case .boolean:
                guard !absent else { return numbers.append(.nan) }
                if truths!.contains(cell) { return numbers.append(1) }
                if falsehoods!.contains(cell) { return numbers.append(0) }
                numbers.append(.nan)
                noteError(row, Failure.usage("\(place()): \(name) '\(CellBytes.text(cell))' is not a boolean (\((truths!.texts + falsehoods!.texts).joined(separator: ", ")))"))
            case .enumeration:
                codes.append(absent ? -1 : categories!.firstIndex(of: cell).map(Int32.init) ?? -1)
            case .open(let numeric):
                guard !absent else {
                    codes.append(-1)
                    if numeric, allNumbers { numbers.append(.nan) }
                    return
                }
                let text = CellBytes.text(cell)
                var code = distinct[text]
                if code == nil {
                    code = Int32(distinct.count)
                    distinct[text] = code
                }
                codes.append(code!)
                guard numeric, allNumbers else { return }
                if let number = CellBytes.number(cell) {
                    numbers.append(number)
                    if !number.isFinite, firstNonFinite == nil {
                        firstNonFinite = (row, Failure.usage("\(place()): \(name) '\(text)' is not a number"))
                    }
                } else {
                    allNumbers = false
                    numbers = NumberColumn()
                }
            }
        }
    }

    private func noteError(_ row: Int, _ error: Failure) {
        if firstError == nil { firstError = (row, error) }
    }
}

/// The label column as the pass read it: each row's text as a code of its distinct texts
/// (classification) or as a number (regression).
final class LabelValues {
    let regression: Bool
    /// Classification: each row's code; `texts[code]` is the label.
    var codes: [Int32] = []
    var texts: [String] = []
    private var codeOfText: [String: Int32] = [:]
    /// Regression: each row's number.
    var numbers: [Double] = []
    /// Regression: the first label that is not a finite number.
    var firstError: Failure?

    init(regression: Bool) { self.regression = regression }

    func append(_ raw: UnsafeBufferPointer<UInt8>, row: Int, place: () -> String) {
        CellBytes.trimmed(raw) { cell in
            if regression {
                if let number = CellBytes.number(cell), number.isFinite { return numbers.append(number) }
                numbers.append(.nan)
                if firstError == nil { firstError = Failure.usage("\(place()): label '\(CellBytes.text(cell))' is not a number") }
                return
            }
            let text = CellBytes.text(cell)
            if let code = codeOfText[text] { return codes.append(code) }
            let code = Int32(texts.count)
            codeOfText[text] = code
            texts.append(text)
            codes.append(code)
        }
    }
}
