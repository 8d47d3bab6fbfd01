/// Data hygiene found before training: features that leak the label, and holdout rows
/// that are also training rows. Either makes the holdout's metrics say more than the model
/// can do on new data.
public struct HygieneSummary: Codable, Equatable, Sendable {
    /// The data the checks read (paths as the report shows them).
    public var trainingData: String
    public var holdoutData: String?
    /// The label column.
    public var label: String
    /// Feature columns examined for leakage.
    public var columnsChecked: Int
    /// Every feature that leaks the label, with its evidence; empty when none does.
    public var leakage: [LeakageFinding]
    /// Holdout rows found in the training data; nil when there is no holdout.
    public var holdoutOverlap: HoldoutOverlap?

    public init(trainingData: String, holdoutData: String? = nil, label: String, columnsChecked: Int, leakage: [LeakageFinding] = [], holdoutOverlap: HoldoutOverlap? = nil) {
        self.trainingData = trainingData
        self.holdoutData = holdoutData
        self.label = label
        self.columnsChecked = columnsChecked
        self.leakage = leakage
        self.holdoutOverlap = holdoutOverlap
    }
}

/// One feature that gives the label away on the training data.
public struct LeakageFinding: Codable, Equatable, Sendable {
    /// How the feature leaks.
    public enum Kind: String, Codable, Sendable {
        /// The same text as the label in every row.
        case identical
        /// Each of its values goes with one label value only (a relabelling of the label).
        case determines
        /// A number whose ranges per class do not overlap: thresholds split the classes.
        case separates
        /// A number that is an exact linear function of a numeric label (|r| = 1).
        case linear
    }

    public var column: String
    public var kind: Kind
    /// Rows where both the feature and the label have a value.
    public var rows: Int
    /// What was seen, for a person: "equal to 'churned' in all 600 rows".
    public var evidence: String

    public init(column: String, kind: Kind, rows: Int, evidence: String) {
        self.column = column
        self.kind = kind
        self.rows = rows
        self.evidence = evidence
    }
}

/// Holdout rows whose fingerprint (over `columns`) is also a training row's.
public struct HoldoutOverlap: Codable, Equatable, Sendable {
    /// One holdout row found in the training data, by line in each file.
    public struct Example: Codable, Equatable, Sendable {
        public var holdoutLine: Int
        public var trainingLine: Int

        public init(holdoutLine: Int, trainingLine: Int) {
            self.holdoutLine = holdoutLine
            self.trainingLine = trainingLine
        }
    }

    /// The columns compared: those both files have, less the id column and `exclude`.
    public var columns: [String]
    public var holdoutRows: Int
    public var trainingRows: Int
    /// Holdout rows that are also in the training data.
    public var overlappingRows: Int
    /// The first few, with their lines.
    public var examples: [Example]

    public var fraction: Double { holdoutRows == 0 ? 0 : Double(overlappingRows) / Double(holdoutRows) }

    public init(columns: [String], holdoutRows: Int, trainingRows: Int, overlappingRows: Int, examples: [Example]) {
        self.columns = columns
        self.holdoutRows = holdoutRows
        self.trainingRows = trainingRows
        self.overlappingRows = overlappingRows
        self.examples = examples
    }
}
