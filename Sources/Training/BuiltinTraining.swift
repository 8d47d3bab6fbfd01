import Core
import Foundation
import Tabular

/// The built-in baseline trainers: deterministic, Swift only, so the example runs anywhere.
public enum BuiltinTraining {
    /// Fits `kind` on `dataPath` (label column `label`), using `schemaPath` to tell numbers
    /// from categories when given. Logistic regression on a label with more than two
    /// classes is multinomial (softmax), as scikit-learn's `LogisticRegression` is.
    public static func train(_ kind: BuiltinTrainer, data dataPath: String, schema schemaPath: String?, label: String, options: BuiltinOptions) throws -> LinearModel {
        guard options.l2 > 0, options.l2.isFinite else {
            throw Failure.usage("l2 must be a positive number (got \(options.l2))")
        }
        let schema = try schemaPath.map { try TableSchema.load(path: $0) }
        let table = try TextColumns.read(dataPath)
        guard let labels = table.column(label)?.map(FeatureEncoder.trimmed) else {
            throw Failure.usage("\(dataPath) has no label column '\(label)' (its columns: \(table.header.joined(separator: ", ")))")
        }
        guard table.rowCount > 0 else { throw Failure.usage("\(dataPath) has no rows to train on") }
        let missing = Set(schema?.missingValues ?? [""])
        let plan = try FeaturePlanner.plan(table, schema: schema, label: label, options: options)
        let design = try FeatureEncoder.design(table, features: plan.features, missing: missing)
        var model = LinearModel(kind: kind, label: label, classes: nil, idColumn: plan.idColumn, missingValues: Array(missing).sorted(), features: plan.features, training: .init(rows: table.rowCount, l2: options.l2, iterations: 1, skippedColumns: plan.skipped))
        switch kind {
        case .linearRegression:
            let y = try labels.enumerated().map { row, text -> Double in
                guard let value = Double(text), value.isFinite else {
                    throw Failure.usage("\(dataPath) line \(table.lines[row]): label '\(text)' is not a number")
                }
                return value
            }
            guard let solved = RidgeSolver.fit(design, y, l2: options.l2) else {
                throw Failure.runtime("the ridge system is singular; raise l2")
            }
            model.setWeights([solved])
        case .logisticRegression:
            let classes = try logisticClasses(labels, table: table, label: label, positive: options.positiveLabel)
            model.classes = classes
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
            let fit: (weights: [[Double]], iterations: Int)?
            if classes.count == 2 {
                fit = LogisticSolver.fit(design, labels.map { $0 == classes[1] ? 1.0 : 0.0 }, l2: options.l2, maxIterations: options.maxIterations).map { ([$0.beta], $0.iterations) }
            } else {
                fit = MultinomialSolver.fit(design, labels.map { index[$0]! }, classes: classes.count, l2: options.l2, maxIterations: options.maxIterations).map { ($0.weights, $0.iterations) }
            }
            guard let fit else {
                throw Failure.runtime("logistic regression did not converge (the Hessian is singular); raise l2")
            }
            model.setWeights(fit.weights)
            model.training.iterations = fit.iterations
        }
        return model
    }

    /// Binary: the negative then the positive class. More than two classes: all, sorted.
    static func logisticClasses(_ labels: [String], table: TextColumns, label: String, positive: String?) throws -> [String] {
        let distinct = Set(labels).sorted()
        guard distinct.count >= 2 else {
            throw Failure.usage("\(table.path): logistic regression needs at least two classes in '\(label)', found \(distinct.count) (\(distinct.joined(separator: ", ")))")
        }
        guard distinct.count == 2 else {
            if let positive {
                throw Failure.usage("\(table.path): positive_label '\(positive)' applies to a binary label, but '\(label)' has \(distinct.count) classes (\(distinct.prefix(6).joined(separator: ", "))); remove positive_label for a multiclass model")
            }
            return distinct
        }
        let chosen = positive ?? distinct.first { ["1", "true"].contains($0.lowercased()) }
        guard let chosen, distinct.contains(chosen) else {
            throw Failure.usage("\(table.path): cannot tell the positive class of '\(label)' (values: \(distinct.joined(separator: ", "))); set positive_label")
        }
        return [distinct.first { $0 != chosen }!, chosen]
    }
}

extension LinearModel {
    /// Stores fitted linear terms (see `weightRows`): one row is version 1, several rows
    /// (one per class) a version 2 multinomial model.
    mutating func setWeights(_ rows: [[Double]]) {
        let multinomial = rows.count > 1
        version = multinomial ? 2 : 1
        intercept = multinomial ? nil : rows[0][0]
        intercepts = multinomial ? rows.map { $0[0] } : nil
        var offset = 1
        for index in features.indices {
            let width = features[index].width
            let blocks = rows.map { Array($0[offset..<(offset + width)]) }
            offset += width
            if multinomial {
                features[index].classCoefficients = blocks
            } else if features[index].kind == .numeric {
                features[index].coefficient = blocks[0][0]
            } else {
                features[index].coefficients = blocks[0]
            }
        }
    }

    /// Predictions for rows given as column → text (a behavioural check's examples):
    /// the positive class's probability (binary), the predicted class's probability
    /// (multinomial) or the value (regression).
    public func predict(records: [[String: String]]) throws -> [Double] {
        try labelledPredictions(records: records).map(\.value)
    }

    /// `predict(records:)` with the predicted class of a classifier.
    public func labelledPredictions(records: [[String: String]]) throws -> [(value: Double, label: String?)] {
        let width = FeatureEncoder.width(features)
        let missing = Set(missingValues)
        let rows = try records.enumerated().map { index, record in
            var row = [Double](repeating: 0, count: width)
            row[0] = 1
            var offset = 1
            for feature in features {
                try FeatureEncoder.encode(feature, record[feature.name] ?? "", missing: missing, into: &row, at: offset) { "example \(index + 1)" }
                offset += feature.width
            }
            return row
        }
        return outputs(Design(rows: records.count, columns: width, values: rows.flatMap { $0 })).map { output in
            guard let classes else { return (output.values[0], nil) }
            return isMultinomial ? (output.values[output.predicted], classes[output.predicted]) : (output.values[0], classes[output.predicted])
        }
    }

    /// Writes predictions for every row of `dataPath` to `outputPath` as CSV: the id column
    /// (when the data has it), `prediction`, then for binary logistic regression `score`
    /// (the positive class's probability) and for multinomial `proba_<class>` per class.
    @discardableResult
    public func predict(data dataPath: String, to outputPath: String) throws -> Int {
        let table = try TextColumns.read(dataPath)
        let outputs = outputs(try FeatureEncoder.design(table, features: features, missing: Set(missingValues)))
        let ids = idColumn.flatMap(table.column)
        let valueColumns: [String]
        switch (classes, isMultinomial) {
        case (let classes?, true): valueColumns = classes.map { "proba_\($0)" }
        case (_?, false): valueColumns = ["score"]
        case (nil, _): valueColumns = []
        }
        var text = CSVText.line((ids != nil ? [idColumn!] : []) + ["prediction"] + valueColumns)
        for (row, output) in outputs.enumerated() {
            let prediction = classes.map { $0[output.predicted] } ?? "\(output.values[0])"
            text += CSVText.line((ids.map { [$0[row]] } ?? []) + [prediction] + (classes != nil ? output.values.map { "\($0)" } : []))
        }
        try AtomicFile.write(text, to: outputPath)
        return outputs.count
    }

    /// Each row's outputs: the regression value, the positive class's probability (binary,
    /// predicted positive from 0.5) or every class's probability (multinomial, predicted
    /// the most probable, the first on a tie).
    private func outputs(_ design: Design) -> [(values: [Double], predicted: Int)] {
        let linear = weightRows.map { design.times($0) }
        return (0..<design.rows).map { row in
            switch (kind, isMultinomial) {
            case (.linearRegression, _):
                return ([linear[0][row]], 0)
            case (.logisticRegression, false):
                let score = LogisticSolver.sigmoid(linear[0][row])
                return ([score], score >= 0.5 ? 1 : 0)
            case (.logisticRegression, true):
                let probabilities = MultinomialSolver.softmax(ArraySlice(linear.map { $0[row] }))
                return (probabilities, probabilities.indices.max { probabilities[$0] < probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 > $1) }!)
            }
        }
    }
}
