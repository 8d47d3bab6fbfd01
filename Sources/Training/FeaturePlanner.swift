import Core
import Foundation
import Tabular

/// Decides how each column enters the model, from the schema when there is one: before
/// the pass, which columns to read and how (`reading`); after it, the features with their
/// encoding (`plan`) and the design matrix (`design`).
enum FeaturePlanner {
    /// The id column copied into prediction files: the option, else a one-column primary key.
    static func idColumn(_ schema: TableSchema?, _ options: BuiltinOptions) -> String? {
        options.idColumn ?? (schema?.primaryKey.count == 1 ? schema?.primaryKey.first : nil)
    }

    /// Which columns of `header` the pass reads, and how; the columns left out with the
    /// reason (excluded, the id, a date).
    static func reading(_ header: [String], schema: TableSchema?, label: String, options: BuiltinOptions) -> (columns: [Int: ColumnReading], skipped: [String: String]) {
        let idColumn = idColumn(schema, options)
        var columns: [Int: ColumnReading] = [:]
        var skipped: [String: String] = [:]
        for (index, name) in header.enumerated() where name != label {
            if let chosen = options.features, !chosen.contains(name) { continue }
            if options.exclude.contains(name) { skipped[name] = "excluded by configuration"; continue }
            if name == idColumn, options.features == nil { skipped[name] = "the id column"; continue }
            let field = schema?.fields.first { $0.name == name }
            switch field?.type {
            case .integer?, .number?, .year?:
                columns[index] = .numbers
            case .boolean?:
                columns[index] = .boolean(trueValues: field!.trueValues, falseValues: field!.falseValues)
            case .date?, .datetime?, .time?, .yearmonth?:
                skipped[name] = "a \(field!.type.rawValue) column; the built-in trainers use numbers and categories"
            case .string?, .any?, nil:
                if let enumeration = field?.constraints.enumValues {
                    columns[index] = .enumeration(enumeration)
                } else {
                    columns[index] = .open(numeric: field == nil)
                }
            }
        }
        return (columns, skipped)
    }

    /// The features of the columns read, in column order; open columns with more distinct
    /// values than `maxCategories` are left out with the count.
    static func plan(_ table: TrainingTable, skipped: [String: String], options: BuiltinOptions) throws -> (features: [LinearModel.Feature], skipped: [String: String]) {
        if let features = options.features, let absent = features.first(where: { !table.header.contains($0) }) {
            throw Failure.usage("\(table.path) has no feature column '\(absent)' (its columns: \(table.header.joined(separator: ", ")))")
        }
        var features: [LinearModel.Feature] = []
        var skipped = skipped
        for index in table.columns.keys.sorted() {
            let name = table.header[index], values = table.columns[index]!
            switch values.reading {
            case .numbers:
                features.append(numeric(name, values.numbers))
            case .boolean(let truths, let falsehoods):
                features.append(numeric(name, values.numbers, trueValues: truths, falseValues: falsehoods))
            case .enumeration(let categories):
                features.append(.init(name: name, kind: .categorical, categories: categories))
            case .open(let numeric):
                if numeric, values.allNumbers, !values.distinct.isEmpty {
                    features.append(self.numeric(name, values.numbers))
                    continue
                }
                let categories = values.distinct.keys.sorted()
                if categories.count > options.maxCategories {
                    skipped[name] = "\(categories.count) distinct values, more than max_categories (\(options.maxCategories))"
                } else {
                    features.append(.init(name: name, kind: .categorical, categories: categories))
                }
            }
        }
        guard !features.isEmpty else {
            throw Failure.usage("\(table.path): no usable feature columns (skipped: \(skipped.keys.sorted().joined(separator: ", ")))")
        }
        return (features, skipped)
    }

    /// The first cell of a feature that is not of its kind, by row, then feature order.
    static func firstError(_ table: TrainingTable, _ features: [LinearModel.Feature]) -> Failure? {
        var first: (row: Int, error: Failure)?
        for feature in features {
            let values = table.columns[table.header.firstIndex(of: feature.name)!]!
            let candidate = feature.kind == .numeric ? values.firstError ?? values.firstNonFinite : nil
            if let candidate, first.map({ candidate.row < $0.row }) ?? true { first = candidate }
        }
        return first?.error
    }

    /// The design matrix of the features, handing each column's storage over as it goes
    /// (numbers standardised in place, or a column's levels once each), so the table and
    /// the design share the memory.
    static func design(_ table: TrainingTable, _ features: [LinearModel.Feature]) -> Design {
        Design(rows: table.rowCount, blockCount: features.count) { index in
            let feature = features[index]
            let values = table.columns[table.header.firstIndex(of: feature.name)!]!
            switch feature.kind {
            case .numeric:
                return values.numbers.block { $0.isNaN ? 0 : ($0 - feature.mean!) / feature.scale! }
            case .categorical:
                var codes = values.codes
                values.codes = []
                if case .open = values.reading {
                    // Codes count values in order of appearance; the categories are sorted.
                    let categories = feature.categories!
                    var sortedCode = [Int32](repeating: -1, count: values.distinct.count)
                    for (text, code) in values.distinct { sortedCode[Int(code)] = Int32(categories.firstIndex(of: text)!) }
                    for row in codes.indices where codes[row] >= 0 { codes[row] = sortedCode[Int(codes[row])] }
                }
                return .oneHot(codes, width: feature.width)
            }
        }
    }

    /// A standardised numeric feature: mean and population standard deviation of the
    /// present values (`NaN` marks a missing one), summed in row order.
    private static func numeric(_ name: String, _ values: NumberColumn, trueValues: [String]? = nil, falseValues: [String]? = nil) -> LinearModel.Feature {
        var sum = 0.0, count = 0
        values.forEach { value in
            guard !value.isNaN else { return }
            sum += value
            count += 1
        }
        let mean = count == 0 ? 0 : sum / Double(count)
        var squares = 0.0
        values.forEach { value in if !value.isNaN { squares += (value - mean) * (value - mean) } }
        let variance = count == 0 ? 0 : squares / Double(count)
        // scikit-learn's StandardScaler leaves a constant column unscaled.
        let scale = variance > 0 ? variance.squareRoot() : 1
        return .init(name: name, kind: .numeric, mean: mean, scale: scale, trueValues: trueValues, falseValues: falseValues)
    }
}
