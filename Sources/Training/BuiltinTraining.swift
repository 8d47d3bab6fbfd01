import Core
import Foundation
import Tabular

/// The built-in baseline trainers: deterministic, Swift only, so the example runs anywhere.
public enum BuiltinTraining {
    /// Fits `kind` on `dataPath` (label column `label`), using `schemaPath` to tell numbers
    /// from categories when given.
    public static func train(_ kind: BuiltinTrainer, data dataPath: String, schema schemaPath: String?, label: String, options: BuiltinOptions) throws -> LinearModel {
        guard options.l2 > 0, options.l2.isFinite else {
            throw Failure.usage("l2 must be a positive number (got \(options.l2))")
        }
        let schema = try schemaPath.map { try TableSchema.load(path: $0) }
        let table = try TextColumns.read(dataPath)
        guard let labels = table.column(label) else {
            throw Failure.usage("\(dataPath) has no label column '\(label)' (its columns: \(table.header.joined(separator: ", ")))")
        }
        guard table.rowCount > 0 else { throw Failure.usage("\(dataPath) has no rows to train on") }
        let missing = Set(schema?.missingValues ?? [""])
        let plan = try FeaturePlanner.plan(table, schema: schema, label: label, options: options)
        let design = try FeatureEncoder.design(table, features: plan.features, missing: missing)
        var classes: [String]?
        let beta: [Double]
        var iterations = 1
        switch kind {
        case .linearRegression:
            let y = try labels.enumerated().map { row, text -> Double in
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw Failure.usage("\(dataPath) line \(table.lines[row]): label '\(text)' is not a number")
                }
                return value
            }
            guard let solved = RidgeSolver.fit(design, y, l2: options.l2) else {
                throw Failure.runtime("the ridge system is singular; raise l2")
            }
            beta = solved
        case .logisticRegression:
            let pair = try binaryClasses(labels, table: table, label: label, positive: options.positiveLabel)
            classes = pair
            let y = labels.map { $0.trimmingCharacters(in: .whitespaces) == pair[1] ? 1.0 : 0.0 }
            guard let solved = LogisticSolver.fit(design, y, l2: options.l2, maxIterations: options.maxIterations) else {
                throw Failure.runtime("logistic regression did not converge (the Hessian is singular); raise l2")
            }
            beta = solved.beta
            iterations = solved.iterations
        }
        var features = plan.features
        var offset = 1
        for index in features.indices {
            switch features[index].kind {
            case .numeric:
                features[index].coefficient = beta[offset]
                offset += 1
            case .categorical:
                let count = features[index].categories!.count
                features[index].coefficients = Array(beta[offset..<(offset + count)])
                offset += count
            }
        }
        return LinearModel(kind: kind, label: label, classes: classes, idColumn: plan.idColumn, missingValues: Array(missing).sorted(), intercept: beta[0], features: features, training: .init(rows: table.rowCount, l2: options.l2, iterations: iterations, skippedColumns: plan.skipped))
    }

    /// The negative and positive class of a binary label column.
    static func binaryClasses(_ labels: [String], table: TextColumns, label: String, positive: String?) throws -> [String] {
        let distinct = Set(labels.map { $0.trimmingCharacters(in: .whitespaces) }).sorted()
        guard distinct.count == 2 else {
            throw Failure.usage("\(table.path): logistic regression needs exactly two classes in '\(label)', found \(distinct.count) (\(distinct.prefix(6).joined(separator: ", ")))")
        }
        let chosen = positive ?? distinct.first { ["1", "true"].contains($0.lowercased()) }
        guard let chosen, distinct.contains(chosen) else {
            throw Failure.usage("\(table.path): cannot tell the positive class of '\(label)' (values: \(distinct.joined(separator: ", "))); set positive_label")
        }
        return [distinct.first { $0 != chosen }!, chosen]
    }
}

extension LinearModel {
    /// Predictions for rows given as column → text (a behavioural check's examples):
    /// the positive class's probability, or the value for regression.
    public func predict(records: [[String: String]]) throws -> [Double] {
        let width = FeatureEncoder.width(features)
        let missing = Set(missingValues)
        return try records.enumerated().map { index, record in
            var row = [Double](repeating: 0, count: width)
            row[0] = 1
            var offset = 1
            for feature in features {
                try FeatureEncoder.encode(feature, record[feature.name] ?? "", missing: missing, into: &row, at: offset) { "example \(index + 1)" }
                offset += feature.kind == .numeric ? 1 : feature.categories!.count
            }
            return output(Design(rows: 1, columns: width, values: row).times(coefficientVector)[0])
        }
    }

    /// `predict(records:)` with the predicted class of a classifier (score 0.5 and above: positive).
    public func labelledPredictions(records: [[String: String]]) throws -> [(value: Double, label: String?)] {
        try predict(records: records).map { value in (value, classes.map { value >= 0.5 ? $0[1] : $0[0] }) }
    }

    /// Writes predictions for every row of `dataPath` to `outputPath` as CSV: the id column
    /// (when the data has it), `prediction`, and for logistic regression `score`.
    @discardableResult
    public func predict(data dataPath: String, to outputPath: String) throws -> Int {
        let table = try TextColumns.read(dataPath)
        let design = try FeatureEncoder.design(table, features: features, missing: Set(missingValues))
        let outputs = design.times(coefficientVector).map(output)
        let ids = idColumn.flatMap(table.column)
        var text = CSVText.line((ids != nil ? [idColumn!] : []) + (kind == .logisticRegression ? ["prediction", "score"] : ["prediction"]))
        for (row, value) in outputs.enumerated() {
            var fields = ids.map { [$0[row]] } ?? []
            if let classes {
                fields += [value >= 0.5 ? classes[1] : classes[0], "\(value)"]
            } else {
                fields.append("\(value)")
            }
            text += CSVText.line(fields)
        }
        try AtomicFile.write(text, to: outputPath)
        return outputs.count
    }

    /// Intercept then coefficients in design-matrix order.
    var coefficientVector: [Double] {
        [intercept] + features.flatMap { $0.kind == .numeric ? [$0.coefficient!] : $0.coefficients! }
    }

    private func output(_ linear: Double) -> Double {
        kind == .logisticRegression ? LogisticSolver.sigmoid(linear) : linear
    }
}
