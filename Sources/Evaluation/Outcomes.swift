import Core
import Foundation

/// Turns joined typed columns into a task's `MetricSuite`, with an error naming the file and
/// line for every value that cannot be read: a NaN score, an unknown class, a missing value.
/// Each check visits rows in the labels file's order, so the first problem named is the
/// first label row's.
struct Outcomes {
    let labels: ColumnTable
    let options: EvaluationOptions

    /// How `labels` is read: the label column as the task's kind, the id and slice columns.
    static func labelColumns(_ options: EvaluationOptions) -> [(String, ColumnKind)] {
        [(options.labelColumn, options.task == .regression ? .number : .text)]
            + (options.idColumn.map { [($0, .id)] } ?? [])
            + options.sliceBy.map { ($0, .text) }
    }

    /// How a predictions file is read: its id (required when joining by id) and whichever
    /// prediction, score and (multiclass) probability columns it has.
    static func predictionColumns(_ options: EvaluationOptions) -> (required: [(String, ColumnKind)], optional: [(String, ColumnKind)], prefixed: (prefix: String, kind: ColumnKind)?) {
        (options.idColumn.map { [($0, .id)] } ?? [],
         [(options.predictionColumn, options.task == .regression ? .number : .text), (options.scoreColumn, .number)],
         options.task == .multiclass ? (options.probabilityPrefix, .number) : nil)
    }

    /// The classes of a binary task, negative first, from the labels and the options.
    func binaryClasses() throws -> [String] {
        let truth = labels.texts[options.labelColumn]!
        let distinct = truth.texts.sorted()
        guard distinct.count <= 2 else {
            throw Failure.usage("\(labels.path): the binary task needs two classes in '\(options.labelColumn)' but found \(distinct.count) (\(distinct.prefix(6).joined(separator: ", "))); use --task multiclass")
        }
        let positive: String
        if let chosen = options.positiveLabel {
            positive = chosen
        } else if Set(distinct).isSubset(of: ["0", "1"]) {
            positive = "1"
        } else if let word = distinct.first(where: { $0.lowercased() == "true" }), Set(distinct.map { $0.lowercased() }).isSubset(of: ["true", "false"]) {
            positive = word
        } else if distinct.count == 1, ["false", "0"].contains(distinct[0].lowercased()) {
            positive = distinct[0] == "0" ? "1" : "true"
        } else {
            throw Failure.usage("\(labels.path): cannot tell the positive class of '\(options.labelColumn)' (values: \(distinct.joined(separator: ", "))); set --positive-label")
        }
        let negative = distinct.first { $0 != positive } ?? (positive == "1" ? "0" : positive == "true" ? "false" : "not \(positive)")
        let known = truth.texts.map { $0 == positive || $0 == negative }
        if let row = truth.codes.firstIndex(where: { !known[Int($0)] }) {
            throw Failure.usage("\(labels.place(row)): unknown class label '\(truth.texts[Int(truth.codes[row])])' (classes: \(negative), \(positive))")
        }
        return [negative, positive]
    }

    func binary(_ predictions: ColumnTable, rows: [Int], classes: [String]) throws -> BinaryMetrics {
        let labelColumn = labels.texts[options.labelColumn]!
        let isPositive = labelColumn.texts.map { $0 == classes[1] }
        let truth = labelColumn.codes.map { isPositive[Int($0)] }
        let scores = try predictions.numbers[options.scoreColumn].map { column in
            try rows.map { row -> Double in
                let score = try number(column, predictions, row, options.scoreColumn)
                guard (0...1).contains(score) else {
                    throw Failure.usage("\(predictions.place(row)): \(options.scoreColumn) \(try predictions.cellText(options.scoreColumn, row: row)) is not a probability in [0, 1]")
                }
                return score
            }
        }
        let predicted: [Bool]
        if let column = predictions.texts[options.predictionColumn] {
            let classOfCode = column.texts.map { classes.firstIndex(of: $0) }
            predicted = try rows.map { row in
                guard let index = classOfCode[Int(column.codes[row])] else {
                    throw Failure.usage("\(predictions.place(row)): unknown class label '\(column.texts[Int(column.codes[row])])' in '\(options.predictionColumn)' (classes: \(classes.joined(separator: ", ")))")
                }
                return index == 1
            }
        } else if let scores {
            predicted = scores.map { $0 >= options.threshold }
        } else {
            throw Failure.usage("\(predictions.path) has neither '\(options.scoreColumn)' nor '\(options.predictionColumn)' (its columns: \(predictions.header.joined(separator: ", ")))")
        }
        return BinaryMetrics(classes: classes, truth: truth, predicted: predicted, scores: scores)
    }

    /// Classes of a multiclass task: those of the labels, predictions and probability
    /// columns, sorted as numbers when all are numbers (as scikit-learn sorts them).
    func multiclassClasses(_ predictionTables: [ColumnTable]) -> [String] {
        var all = Set(labels.texts[options.labelColumn]!.texts)
        for table in predictionTables {
            all.formUnion(table.texts[options.predictionColumn]?.texts ?? [])
            all.formUnion(probabilityColumns(table).map(\.label))
        }
        if all.allSatisfy({ Double($0) != nil }) { return all.sorted { Double($0)! < Double($1)! } }
        return all.sorted()
    }

    func probabilityColumns(_ table: ColumnTable) -> [(column: String, label: String)] {
        table.header.filter { $0.hasPrefix(options.probabilityPrefix) }.map { ($0, String($0.dropFirst(options.probabilityPrefix.count))) }
    }

    func multiclass(_ predictions: ColumnTable, rows: [Int], classes: [String]) throws -> MulticlassMetrics {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let labelColumn = labels.texts[options.labelColumn]!
        let classOfLabel = labelColumn.texts.map { index[$0]! }
        let truth = labelColumn.codes.map { classOfLabel[Int($0)] }
        let probabilityColumns = probabilityColumns(predictions)
        var probabilities: [Double]?
        if !probabilityColumns.isEmpty {
            let given = Set(probabilityColumns.map(\.label))
            if let absent = classes.first(where: { !given.contains($0) }) {
                throw Failure.usage("\(predictions.path) has no probability column '\(options.probabilityPrefix)\(absent)' for class '\(absent)'")
            }
            var matrix = [Double](repeating: 0, count: rows.count * classes.count)
            for (column, label) in probabilityColumns {
                let values = predictions.numbers[column]!
                for (position, row) in rows.enumerated() {
                    matrix[position * classes.count + index[label]!] = try number(values, predictions, row, column)
                }
            }
            probabilities = matrix
        }
        let predicted: [Int]
        if let column = predictions.texts[options.predictionColumn] {
            let classOfCode = column.texts.map { index[$0]! }
            predicted = rows.map { classOfCode[Int(column.codes[$0])] }
        } else if let probabilities {
            // The most probable class; the first one on a tie, as numpy's argmax.
            predicted = (0..<rows.count).map { position in
                let slice = probabilities[(position * classes.count)..<((position + 1) * classes.count)]
                return slice.firstIndex(of: slice.max()!)! - position * classes.count
            }
        } else {
            throw Failure.usage("\(predictions.path) has neither '\(options.predictionColumn)' nor '\(options.probabilityPrefix)<class>' columns (its columns: \(predictions.header.joined(separator: ", ")))")
        }
        return MulticlassMetrics(classes: classes, truth: truth, predicted: predicted, probabilities: probabilities)
    }

    func regression(_ predictions: ColumnTable, rows: [Int]) throws -> RegressionMetrics {
        guard let column = predictions.numbers[options.predictionColumn] else {
            throw Failure.usage("\(predictions.path) has no column '\(options.predictionColumn)' (its columns: \(predictions.header.joined(separator: ", ")))")
        }
        let truthColumn = labels.numbers[options.labelColumn]!
        let truth = try truthColumn.indices.map { try number(truthColumn, labels, $0, options.labelColumn) }
        let predicted = try rows.map { try number(column, predictions, $0, options.predictionColumn) }
        return RegressionMetrics(truth: truth, predicted: predicted)
    }

    /// A finite number, or an error naming where the value was.
    private func number(_ values: [Double], _ table: ColumnTable, _ row: Int, _ column: String) throws -> Double {
        let value = values[row]
        guard value.isFinite else {
            throw Failure.usage("\(table.place(row)): \(column) is not a finite number ('\(try table.cellText(column, row: row))')")
        }
        return value
    }
}
