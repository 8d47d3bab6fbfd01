import Core
import Foundation

/// Turns joined text columns into a task's `MetricSuite`, with an error naming the file and
/// line for every value that cannot be read: a NaN score, an unknown class, a missing value.
struct Outcomes {
    let labels: ColumnTable
    let options: EvaluationOptions

    /// The classes of a binary task, negative first, from the labels and the options.
    func binaryClasses() throws -> [String] {
        let truth = labels.columns[options.labelColumn]!
        let distinct = Array(Set(truth)).sorted()
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
        for (row, value) in truth.enumerated() where value != positive && value != negative {
            throw Failure.usage("\(labels.place(row)): unknown class label '\(value)' (classes: \(negative), \(positive))")
        }
        return [negative, positive]
    }

    func binary(_ predictions: ColumnTable, rows: [Int], classes: [String]) throws -> BinaryMetrics {
        let truth = labels.columns[options.labelColumn]!.map { $0 == classes[1] }
        let scores = try predictions.columns[options.scoreColumn].map { column in
            try rows.map { row -> Double in
                let score = try number(column[row], predictions, row, options.scoreColumn)
                guard (0...1).contains(score) else {
                    throw Failure.usage("\(predictions.place(row)): \(options.scoreColumn) \(column[row]) is not a probability in [0, 1]")
                }
                return score
            }
        }
        let predicted: [Bool]
        if let column = predictions.columns[options.predictionColumn] {
            predicted = try rows.map { row in
                guard let index = classes.firstIndex(of: column[row]) else {
                    throw Failure.usage("\(predictions.place(row)): unknown class label '\(column[row])' in '\(options.predictionColumn)' (classes: \(classes.joined(separator: ", ")))")
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
        var all = Set(labels.columns[options.labelColumn]!)
        for table in predictionTables {
            all.formUnion(table.columns[options.predictionColumn] ?? [])
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
        let truth = labels.columns[options.labelColumn]!.map { index[$0]! }
        let probabilityColumns = probabilityColumns(predictions)
        var probabilities: [Double]?
        if !probabilityColumns.isEmpty {
            let given = Set(probabilityColumns.map(\.label))
            if let absent = classes.first(where: { !given.contains($0) }) {
                throw Failure.usage("\(predictions.path) has no probability column '\(options.probabilityPrefix)\(absent)' for class '\(absent)'")
            }
            var matrix = [Double](repeating: 0, count: rows.count * classes.count)
            for (column, label) in probabilityColumns {
                let values = predictions.columns[column]!
                for (position, row) in rows.enumerated() {
                    matrix[position * classes.count + index[label]!] = try number(values[row], predictions, row, column)
                }
            }
            probabilities = matrix
        }
        let predicted: [Int]
        if let column = predictions.columns[options.predictionColumn] {
            predicted = rows.map { index[column[$0]]! }
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
        guard let column = predictions.columns[options.predictionColumn] else {
            throw Failure.usage("\(predictions.path) has no column '\(options.predictionColumn)' (its columns: \(predictions.header.joined(separator: ", ")))")
        }
        let truthColumn = labels.columns[options.labelColumn]!
        let truth = try truthColumn.indices.map { try number(truthColumn[$0], labels, $0, options.labelColumn) }
        let predicted = try rows.map { try number(column[$0], predictions, $0, options.predictionColumn) }
        return RegressionMetrics(truth: truth, predicted: predicted)
    }

    /// A finite number, or an error naming where the value was.
    private func number(_ text: String, _ table: ColumnTable, _ row: Int, _ column: String) throws -> Double {
        guard let value = Double(text), value.isFinite else {
            throw Failure.usage("\(table.place(row)): \(column) is not a finite number ('\(text)')")
        }
        return value
    }
}
