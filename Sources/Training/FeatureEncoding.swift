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

/// How one model feature reads a cell: missing, a number (booleans as 1 and 0) or a category.
/// A class, so a row's encoding refers to each feature's word lists instead of copying them.
final class FeatureCells {
    enum Value {
        case missing
        case number(Double)
        /// The category's index; nil for a category the model does not know.
        case category(Int?)
    }

    let feature: LinearModel.Feature
    private let missing: CellTexts
    private let truths: CellTexts?
    private let falsehoods: CellTexts?
    private let categories: CellTexts?

    init(_ feature: LinearModel.Feature, missing: CellTexts) {
        self.feature = feature
        self.missing = missing
        truths = feature.trueValues.map(CellTexts.init)
        falsehoods = feature.falseValues.map(CellTexts.init)
        categories = feature.categories.map(CellTexts.init)
    }

    /// The value of a cell (white space around it is not part of it); a cell that is
    /// neither missing nor of the feature's kind is an error at `place`.
    func value(_ raw: UnsafeBufferPointer<UInt8>, place: () -> String) throws -> Value {
        try CellBytes.trimmed(raw) { cell in
            if missing.contains(cell) { return .missing }
            if let categories { return .category(categories.firstIndex(of: cell)) }
            if let truths, let falsehoods {
                if truths.contains(cell) { return .number(1) }
                if falsehoods.contains(cell) { return .number(0) }
                throw Failure.usage("\(place()): \(feature.name) '\(CellBytes.text(cell))' is not a boolean (\((truths.texts + falsehoods.texts).joined(separator: ", ")))")
            }
            guard let number = CellBytes.number(cell), number.isFinite else {
                throw Failure.usage("\(place()): \(feature.name) '\(CellBytes.text(cell))' is not a number")
            }
            return .number(number)
        }
    }

    /// A number's design value: standardised with the training mean and scale.
    func standardised(_ number: Double) -> Double {
        (number - feature.mean!) / feature.scale!
    }
}

/// Turns rows into the model's design rows, exactly as training encoded them: a leading 1
/// for the intercept, then each feature's standardised number (0 when missing) or one-hot
/// block (all zeros for a missing or unknown category).
struct RowEncoder {
    let width: Int
    private let cells: [FeatureCells]
    private let offsets: [Int]

    init(features: [LinearModel.Feature], missingValues: [String]) {
        let missing = CellTexts(missingValues)
        cells = features.map { FeatureCells($0, missing: missing) }
        var offsets: [Int] = []
        var offset = 1
        for feature in features {
            offsets.append(offset)
            offset += feature.width
        }
        self.offsets = offsets
        width = offset
    }

    /// Starts a design row: the intercept's 1, every other value 0.
    func start(_ row: UnsafeMutableBufferPointer<Double>) {
        row.update(repeating: 0)
        row[0] = 1
    }

    /// Sets feature `index`'s values in a started row from the cell's raw bytes.
    func set(_ index: Int, _ raw: UnsafeBufferPointer<UInt8>, in row: UnsafeMutableBufferPointer<Double>, place: () -> String) throws {
        let feature = cells[index]
        switch try feature.value(raw, place: place) {
        case .missing, .category(nil): break
        case .number(let number): row[offsets[index]] = feature.standardised(number)
        case .category(let category?): row[offsets[index] + category] = 1
        }
    }
}
