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
        let (encoded, table) = try encode(dataPath, schema: schema, label: label, regression: kind == .linearRegression, options: options)
        let design = encoded.design
        let missingValues = schema?.missingValues ?? [""]
        var model = LinearModel(kind: kind, label: label, classes: nil, idColumn: FeaturePlanner.idColumn(schema, options), missingValues: Array(Set(missingValues)).sorted(), features: encoded.features, training: .init(rows: table.rowCount, unlabelledRows: table.unlabelledRows > 0 ? table.unlabelledRows : nil, l2: options.l2, iterations: 1, skippedColumns: encoded.skipped))
        switch kind {
        case .linearRegression:
            if let error = table.label.firstError { throw error }
            guard let solved = RidgeSolver.fit(design, table.label.numbers, l2: options.l2) else {
                throw Failure.runtime("the ridge system is singular; raise l2")
            }
            model.setWeights([solved])
        case .logisticRegression:
            let labels = table.label
            let classes = try logisticClasses(labels.texts, table: table, label: label, positive: options.positiveLabel)
            model.classes = classes
            // Each label code's class index.
            let classOfCode = labels.texts.map { text in Int(classes.firstIndex(of: text)!) }
            let fit: (weights: [[Double]], iterations: Int)?
            if classes.count == 2 {
                fit = LogisticSolver.fit(design, labels.codes.map { classOfCode[Int($0)] == 1 ? 1.0 : 0.0 }, l2: options.l2, maxIterations: options.maxIterations).map { ([$0.beta], $0.iterations) }
            } else {
                fit = MultinomialSolver.fit(design, labels.codes.map { classOfCode[Int($0)] }, classes: classes.count, l2: options.l2, maxIterations: options.maxIterations).map { ($0.weights, $0.iterations) }
            }
            guard let fit else {
                throw Failure.runtime("logistic regression did not converge (the Hessian is singular); raise l2")
            }
            model.setWeights(fit.weights)
            model.training.iterations = fit.iterations
        }
        return model
    }

    /// Reads `dataPath` once and encodes it: the features, the columns left out and the
    /// design matrix, with the table's label values. Errors come in the order a user fixes
    /// them: the label column, no rows, the feature columns, then the first bad cell.
    static func encode(_ dataPath: String, schema: TableSchema?, label: String, regression: Bool, options: BuiltinOptions) throws -> (encoded: (features: [LinearModel.Feature], skipped: [String: String], design: Design), table: TrainingTable) {
        var skipped: [String: String] = [:]
        let table = try TrainingTable.read(dataPath, label: label, regression: regression, reading: { header in
            let reading = FeaturePlanner.reading(header, schema: schema, label: label, options: options)
            skipped = reading.skipped
            return reading.columns
        }, missingValues: schema?.missingValues ?? [""])
        guard table.rowCount > 0 else {
            if table.unlabelledRows > 0 { throw Failure.usage("\(dataPath): none of its \(table.unlabelledRows) rows has a value in the label column '\(label)'; nothing to train on") }
            throw Failure.usage("\(dataPath) has no rows to train on")
        }
        let plan = try FeaturePlanner.plan(table, skipped: skipped, options: options)
        if let error = FeaturePlanner.firstError(table, plan.features) { throw error }
        return ((plan.features, plan.skipped, FeaturePlanner.design(table, plan.features)), table)
    }

    /// Binary: the negative then the positive class. More than two classes: all, sorted.
    static func logisticClasses(_ labels: [String], table: TrainingTable, label: String, positive: String?) throws -> [String] {
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
        let encoder = RowEncoder(features: features, missingValues: missingValues)
        let weights = weightRows
        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: encoder.width)
        defer { row.deallocate() }
        return try records.enumerated().map { index, record in
            encoder.start(row)
            for (feature, column) in features.enumerated() {
                var text = record[column.name] ?? ""
                try text.withUTF8 { try encoder.set(feature, $0, in: row, place: { "example \(index + 1)" }) }
            }
            var values: [Double] = []
            let predicted = outputs(UnsafeBufferPointer(row), weights, into: &values)
            guard let classes else { return (values[0], nil) }
            return isMultinomial ? (values[predicted], classes[predicted]) : (values[0], classes[predicted])
        }
    }

    /// Writes predictions for every row of `dataPath` to `outputPath` as CSV: the id column
    /// (when the data has it), `prediction`, then for binary logistic regression `score`
    /// (the positive class's probability) and for multinomial `proba_<class>` per class.
    /// Rows stream from the reader to the writer one at a time, so memory stays flat for
    /// any number of rows; on an error no file is left behind.
    @discardableResult
    public func predict(data dataPath: String, to outputPath: String) throws -> Int {
        let reader = try TableReader(TableSource(path: dataPath))
        let columns = try features.map { feature -> Int in
            guard let index = reader.header.firstIndex(of: feature.name) else {
                throw Failure.usage("\(dataPath) has no column '\(feature.name)', which the model uses")
            }
            return index
        }
        let idIndex = idColumn.flatMap { reader.header.firstIndex(of: $0) }
        let valueColumns: [String]
        switch (classes, isMultinomial) {
        case (let classes?, true): valueColumns = classes.map { "proba_\($0)" }
        case (_?, false): valueColumns = ["score"]
        case (nil, _): valueColumns = []
        }
        let writer = try CSVWriter(path: outputPath, header: (idIndex != nil ? [idColumn!] : []) + ["prediction"] + valueColumns)
        let encoder = RowEncoder(features: features, missingValues: missingValues)
        let weights = weightRows
        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: encoder.width)
        defer { row.deallocate() }
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var values: [Double] = []
        // Made once: a closure made for each cell retains what it captures each time.
        let place = { "\(dataPath) line \(reader.line)" }
        do {
            // Fields go to the writer one by one: no array or string per row but the
            // numbers' texts.
            while try reader.next() {
                if reader.fieldCount == 0 { continue }
                encoder.start(row)
                for (feature, column) in columns.enumerated() {
                    try encoder.set(feature, column < reader.fieldCount ? reader.field(column) : empty, in: row, place: place)
                }
                let predicted = outputs(UnsafeBufferPointer(row), weights, into: &values)
                if let idIndex {
                    // The id as `TableReader.string` gives it (invalid UTF-8 repaired).
                    let id = idIndex < reader.fieldCount ? reader.field(idIndex) : empty
                    if CellBytes.isASCII(id) { writer.field(id) } else { writer.field(CellBytes.text(id)) }
                }
                writer.field(classes.map { $0[predicted] } ?? values[0].description)
                if classes != nil { for value in values { writer.field(value.description) } }
                try writer.endRecord()
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return writer.recordCount
    }

    /// One design row's outputs, written into `values` (the predicted class returned): the
    /// regression value, the positive class's probability (binary, predicted positive from
    /// 0.5) or every class's probability (multinomial, predicted the most probable, the
    /// first on a tie). `weights` is `weightRows`.
    private func outputs(_ row: UnsafeBufferPointer<Double>, _ weights: [[Double]], into values: inout [Double]) -> Int {
        func linear(_ beta: [Double]) -> Double {
            var sum = 0.0
            for i in 0..<row.count { sum += row[i] * beta[i] }
            return sum
        }
        values.removeAll(keepingCapacity: true)
        switch (kind, isMultinomial) {
        case (.linearRegression, _):
            values.append(linear(weights[0]))
            return 0
        case (.logisticRegression, false):
            let score = LogisticSolver.sigmoid(linear(weights[0]))
            values.append(score)
            return score >= 0.5 ? 1 : 0
        case (.logisticRegression, true):
            values = MultinomialSolver.softmax(weights.map(linear)[...])
            return values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }!
        }
    }
}
