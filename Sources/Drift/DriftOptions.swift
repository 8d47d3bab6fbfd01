import Core
import ReportModel
import Stats
import Tabular

/// How `DriftDetector` compares reference and current data.
public struct DriftOptions: Sendable {
    /// The method for every feature, or nil for Evidently's automatic choice.
    public var method: DriftMethod?
    /// Methods for named features, overriding `method`.
    public var columnMethods: [String: DriftMethod]
    /// A threshold for every feature, overriding each method's default.
    public var threshold: Double?
    /// Thresholds for named features.
    public var columnThresholds: [String: Double]
    /// The share of drifted features at which the dataset counts as drifted.
    public var driftShare: Double
    /// Features to compare; empty compares every column.
    public var columns: [String]
    /// Columns never compared: identifiers and timestamps (see `apply(schema:)`).
    public var excludedColumns: Set<String> = []
    /// Raw numbers kept per column and side for exact methods; beyond it methods work from
    /// the quantile sketch. 100 000 numbers cost 0.8 MB per column and side.
    public var exactValueLimit: Int
    /// How data files are read (missing-value markers, declared types).
    public var profileOptions: ProfileOptions
    /// Progress of reading each data file (quiet unless a command turns it on).
    public var progress = ProgressReporter(mode: .quiet)

    /// The default `exactValueLimit`.
    public static let defaultExactValueLimit = 100_000

    public init(method: DriftMethod? = nil, columnMethods: [String: DriftMethod] = [:], threshold: Double? = nil, columnThresholds: [String: Double] = [:], driftShare: Double = 0.5, columns: [String] = [], exactValueLimit: Int = DriftOptions.defaultExactValueLimit, profileOptions: ProfileOptions = ProfileOptions()) {
        self.method = method
        self.columnMethods = columnMethods
        self.threshold = threshold
        self.columnThresholds = columnThresholds
        self.driftShare = driftShare
        self.columns = columns
        self.exactValueLimit = exactValueLimit
        self.profileOptions = profileOptions
    }

    /// Reads data files with `schema`'s types and missing values, and leaves out the columns
    /// that are not features, as Evidently does: the primary key (identifiers) and dates,
    /// times and datetimes.
    public mutating func apply(schema: TableSchema) {
        profileOptions = ProfileOptions(schema: schema)
        excludedColumns = Set(schema.primaryKey)
        for field in schema.fields where [FieldType.date, .datetime, .time].contains(field.type) {
            excludedColumns.insert(field.name)
        }
    }
}
