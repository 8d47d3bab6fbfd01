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

        enum CodingKeys: String, CodingKey {
            case name, kind, mean, scale, coefficient, categories, coefficients
            case trueValues = "true_values", falseValues = "false_values"
        }
    }

    /// Facts about the training run, for lineage.
    public struct Training: Codable, Equatable, Sendable {
        public var rows: Int
        public var l2: Double
        public var iterations: Int
        /// Columns left out, with the reason (a date, too many categories, an id).
        public var skippedColumns: [String: String]

        enum CodingKeys: String, CodingKey {
            case rows, l2, iterations
            case skippedColumns = "skipped_columns"
        }
    }

    public var format = LinearModel.formatName
    public var version = 1
    public var kind: BuiltinTrainer
    /// The label column it was trained on.
    public var label: String
    /// Logistic regression: the negative then the positive class.
    public var classes: [String]?
    /// A column copied into prediction files so they can be joined by id.
    public var idColumn: String?
    /// Cell texts that mean "missing".
    public var missingValues: [String]
    public var intercept: Double
    public var features: [Feature]
    public var training: Training

    enum CodingKeys: String, CodingKey {
        case format, version, kind, label, classes, intercept, features, training
        case idColumn = "id_column", missingValues = "missing_values"
    }

    /// Reads a model file; anything but a Sluice built-in model is a usage error.
    public static func load(_ path: String) throws -> LinearModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.usage("cannot read the model file \(path)")
        }
        do {
            let model = try JSONOutput.decoder().decode(LinearModel.self, from: data)
            guard model.format == formatName, model.version == 1 else {
                throw Failure.usage("\(path) is not a Sluice built-in model (format \(model.format) version \(model.version))")
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
