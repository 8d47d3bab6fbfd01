import Core
import Foundation
import Tabular

/// Options of the built-in trainers (the `train:` keys `l2`, `features`, `exclude`, ...).
public struct BuiltinOptions: Equatable, Sendable, Codable {
    /// Strength of the L2 penalty on the coefficients (scikit-learn: `C = 1 / l2` for
    /// LogisticRegression, `alpha = l2` for Ridge). Must be positive.
    public var l2 = 1.0
    public var maxIterations = 100
    /// The columns to use; nil uses every column but the label, the id and `exclude`.
    public var features: [String]?
    public var exclude: [String] = []
    /// A text column with more distinct values than this is left out (an id, free text).
    public var maxCategories = 50
    /// Logistic regression: the positive class (default: 1 or true).
    public var positiveLabel: String?
    /// Copied into prediction files for joining; default: the schema's primary key.
    public var idColumn: String?

    public init() {}
}

/// Decides how each column enters the model, from the schema when there is one.
enum FeaturePlanner {
    static func plan(_ table: TextColumns, schema: TableSchema?, label: String, options: BuiltinOptions) throws -> (features: [LinearModel.Feature], skipped: [String: String], idColumn: String?) {
        let missing = Set(schema?.missingValues ?? [""])
        let idColumn = options.idColumn ?? (schema?.primaryKey.count == 1 ? schema?.primaryKey.first : nil)
        if let features = options.features, let absent = features.first(where: { !table.header.contains($0) }) {
            throw Failure.usage("\(table.path) has no feature column '\(absent)' (its columns: \(table.header.joined(separator: ", ")))")
        }
        var features: [LinearModel.Feature] = []
        var skipped: [String: String] = [:]
        for (index, name) in table.header.enumerated() where name != label {
            if let chosen = options.features, !chosen.contains(name) { continue }
            if options.exclude.contains(name) { skipped[name] = "excluded by configuration"; continue }
            if name == idColumn, options.features == nil { skipped[name] = "the id column"; continue }
            let values = table.columns[index].filter { !missing.contains($0) }
            let field = schema?.fields.first { $0.name == name }
            switch field?.type {
            case .integer?, .number?, .year?:
                features.append(numeric(name, values.compactMap { Double($0) }))
            case .boolean?:
                let truths = field!.trueValues, falsehoods = field!.falseValues
                features.append(numeric(name, values.map { truths.contains($0) ? 1 : 0 }, trueValues: truths, falseValues: falsehoods))
            case .date?, .datetime?, .time?, .yearmonth?:
                skipped[name] = "a \(field!.type.rawValue) column; the built-in trainers use numbers and categories"
            case .string?, .any?, nil:
                if let enumeration = field?.constraints.enumValues {
                    features.append(.init(name: name, kind: .categorical, categories: enumeration))
                } else if field == nil, !values.isEmpty, values.allSatisfy({ Double($0) != nil }) {
                    features.append(numeric(name, values.map { Double($0)! }))
                } else {
                    let categories = Set(values).sorted()
                    if categories.count > options.maxCategories {
                        skipped[name] = "\(categories.count) distinct values, more than max_categories (\(options.maxCategories))"
                    } else {
                        features.append(.init(name: name, kind: .categorical, categories: categories))
                    }
                }
            }
        }
        guard !features.isEmpty else {
            throw Failure.usage("\(table.path): no usable feature columns (skipped: \(skipped.keys.sorted().joined(separator: ", ")))")
        }
        return (features, skipped, idColumn)
    }

    /// A standardised numeric feature: mean and population standard deviation of the values.
    private static func numeric(_ name: String, _ values: [Double], trueValues: [String]? = nil, falseValues: [String]? = nil) -> LinearModel.Feature {
        let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        // scikit-learn's StandardScaler leaves a constant column unscaled.
        let scale = variance > 0 ? variance.squareRoot() : 1
        return .init(name: name, kind: .numeric, mean: mean, scale: scale, trueValues: trueValues, falseValues: falseValues)
    }
}

/// Turns rows into the model's design matrix, exactly as training did.
enum FeatureEncoder {
    static func width(_ features: [LinearModel.Feature]) -> Int {
        1 + features.reduce(0) { $0 + $1.width }
    }

    /// The design matrix of `table`'s rows; a feature column the table lacks is an error.
    static func design(_ table: TextColumns, features: [LinearModel.Feature], missing: Set<String>) throws -> Design {
        let columns = try features.map { feature -> [String] in
            guard let column = table.column(feature.name) else {
                throw Failure.usage("\(table.path) has no column '\(feature.name)', which the model uses")
            }
            return column
        }
        let width = width(features)
        var values = [Double](repeating: 0, count: table.rowCount * width)
        for row in 0..<table.rowCount {
            let base = row * width
            values[base] = 1
            var offset = 1
            for (feature, column) in zip(features, columns) {
                try encode(feature, column[row], missing: missing, into: &values, at: base + offset) { "\(table.path) line \(table.lines[row])" }
                offset += feature.width
            }
        }
        return Design(rows: table.rowCount, columns: width, values: values)
    }

    /// Writes one cell's encoding at `position`: a standardised number or a one-hot block.
    static func encode(_ feature: LinearModel.Feature, _ text: String, missing: Set<String>, into values: inout [Double], at position: Int, place: () -> String) throws {
        let cell = trimmed(text)
        if missing.contains(cell) { return }
        switch feature.kind {
        case .numeric:
            let number: Double
            if let truths = feature.trueValues, let falsehoods = feature.falseValues {
                guard truths.contains(cell) || falsehoods.contains(cell) else {
                    throw Failure.usage("\(place()): \(feature.name) '\(cell)' is not a boolean (\((truths + falsehoods).joined(separator: ", ")))")
                }
                number = truths.contains(cell) ? 1 : 0
            } else {
                guard let parsed = Double(cell), parsed.isFinite else {
                    throw Failure.usage("\(place()): \(feature.name) '\(cell)' is not a number")
                }
                number = parsed
            }
            values[position] = (number - feature.mean!) / feature.scale!
        case .categorical:
            if let index = feature.categories!.firstIndex(of: cell) { values[position + index] = 1 }
        }
    }

    /// A cell without surrounding white space (`.whitespaces`, as before). Most cells have
    /// none, so they are returned as they are: Foundation's trimming on every cell was a
    /// third of the encoding's time.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        // A byte from 0x21 to 0x7F starts or ends no white space; anything else is checked.
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
