import Core
import Foundation

/// The built-in trainers.
public enum BuiltinTrainer: String, Codable, Sendable, CaseIterable {
    case logisticRegression = "logistic-regression"
    case linearRegression = "linear-regression"
}

/// A built-in model as written to `model.json` (documented in docs/commands/train.md).
///
/// Features are encoded exactly as at training time: numeric (and boolean, as 0/1) columns
/// standardised with the training mean and population standard deviation, a missing value
/// becoming 0 (the mean); categorical columns one-hot over the listed categories, an
/// unknown or missing category becoming all zeros.
///
/// Version 1 holds one linear term (`intercept` and each feature's `coefficient` or
/// `coefficients`): linear regression and binary logistic regression. Version 2 adds the
/// multinomial logistic regression of a label with more than two classes: one intercept
/// per class (`intercepts`) and per feature one coefficient block per class
/// (`class_coefficients`). Models that need no version 2 field are still written as
/// version 1, so files from older Sluice versions and for older readers stay the same.
public struct LinearModel: Codable, Equatable, Sendable {
    public static let formatName = "sluice.linear-model"

    /// One input column and its coefficients.
    public struct Feature: Codable, Equatable, Sendable {
        public enum Kind: String, Codable, Sendable { case numeric, categorical }
        public var name: String
        public var kind: Kind
        /// Numeric: training mean and scale (standard deviation, 1 when constant).
        public var mean: Double?
        public var scale: Double?
        public var coefficient: Double?
        /// Numeric columns that are booleans: the texts read as 1 and as 0.
        public var trueValues: [String]?
        public var falseValues: [String]?
        /// Categorical: the categories and one coefficient each.
        public var categories: [String]?
        public var coefficients: [Double]?
        /// Multinomial (version 2): for each class, in `classes` order, this feature's block
        /// (one number for a numeric feature, one per category for a categorical one).
        public var classCoefficients: [[Double]]?

        enum CodingKeys: String, CodingKey {
            case name, kind, mean, scale, coefficient, categories, coefficients
            case trueValues = "true_values", falseValues = "false_values", classCoefficients = "class_coefficients"
        }

        /// Columns this feature takes in the design matrix.
        var width: Int { kind == .numeric ? 1 : categories!.count }

        /// Whether the encoding fields its kind needs are present.
        var isEncodable: Bool { kind == .numeric ? mean != nil && scale != nil : categories != nil }
    }

    /// Facts about the training run, for lineage.
    public struct Training: Codable, Equatable, Sendable {
        /// The rows the model learnt from.
        public var rows: Int
        /// Rows of the data left out because their label was missing (nil: none).
        public var unlabelledRows: Int?
        public var l2: Double
        public var iterations: Int
        /// Columns left out, with the reason (a date, too many categories, an id).
        public var skippedColumns: [String: String]

        enum CodingKeys: String, CodingKey {
            case rows, l2, iterations
            case unlabelledRows = "unlabelled_rows"
            case skippedColumns = "skipped_columns"
        }
    }

    public var format = LinearModel.formatName
    /// 1, or 2 for a multinomial model (see above).
    public var version = 1
    public var kind: BuiltinTrainer
    /// The label column it was trained on.
    public var label: String
    /// Binary logistic regression: the negative then the positive class. Multinomial: every
    /// class, sorted.
    public var classes: [String]?
    /// A column copied into prediction files so they can be joined by id.
    public var idColumn: String?
    /// Cell texts that mean "missing".
    public var missingValues: [String]
    /// Version 1: the intercept of the one linear term.
    public var intercept: Double?
    /// Version 2, multinomial: one intercept per class, in `classes` order.
    public var intercepts: [Double]?
    public var features: [Feature]
    public var training: Training

    enum CodingKeys: String, CodingKey {
        case format, version, kind, label, classes, intercept, intercepts, features, training
        case idColumn = "id_column", missingValues = "missing_values"
    }

    /// Whether this is a multinomial (softmax) model with one linear term per class.
    public var isMultinomial: Bool { intercepts != nil }

    /// The linear terms, each the intercept then coefficients in design-matrix order: one
    /// for a version 1 model, one per class for a multinomial one.
    var weightRows: [[Double]] {
        if let intercepts {
            return intercepts.indices.map { k in [intercepts[k]] + features.flatMap { $0.classCoefficients![k] } }
        }
        return [[intercept!] + features.flatMap { $0.kind == .numeric ? [$0.coefficient!] : $0.coefficients! }]
    }

    /// Whether the fields present are exactly those of this model's version and kind, with
    /// blocks as wide as the features they belong to.
    var isWellFormed: Bool {
        switch (version, intercepts, intercept) {
        case (1, nil, _?):
            return features.allSatisfy { feature in
                feature.isEncodable && feature.classCoefficients == nil
                    && (feature.kind == .numeric ? feature.coefficient != nil : feature.coefficients?.count == feature.width)
            }
        case (2, let intercepts?, nil):
            return kind == .logisticRegression && classes?.count == intercepts.count && intercepts.count > 2
                && features.allSatisfy { feature in
                    feature.isEncodable && feature.coefficient == nil && feature.coefficients == nil
                        && feature.classCoefficients?.count == intercepts.count && feature.classCoefficients!.allSatisfy { $0.count == feature.width }
                }
        default:
            return false
        }
    }

    /// Reads a model file; anything but a Sluice built-in model is a usage error.
    public static func load(_ path: String) throws -> LinearModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.usage("cannot read the model file \(path)")
        }
        do {
            let model = try JSONOutput.decoder().decode(LinearModel.self, from: data)
            guard model.format == formatName, [1, 2].contains(model.version) else {
                throw Failure.usage("\(path) is not a Sluice built-in model this version reads (format \(model.format) version \(model.version); it reads \(formatName) versions 1 and 2)")
            }
            guard model.isWellFormed else {
                throw Failure.usage("\(path): the \(formatName) version \(model.version) model's coefficients do not match its features and classes (see docs/commands/train.md)")
            }
            return model
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure.usage("\(path) is not a Sluice built-in model file: \(error)")
        }
    }

    /// Writes the model as sorted-key JSON, atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(try JSONOutput.string(self), to: path)
    }
}
