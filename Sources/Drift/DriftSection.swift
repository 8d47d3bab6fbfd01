import Config
import ReportModel
import Tabular

/// The `drift:` section of `sluice.yml`: how `sluice run` compares reference and current data.
///
/// ```yaml
/// drift:
///   method: auto                   # or one method for every feature
///   methods: {region: psi}         # per feature
///   threshold: 0.1                 # for every feature, instead of each method's default
///   thresholds: {annual_income: 0.2}
///   drift_share: 0.5
///   exclude: [label]               # never compared (the primary key and dates already are)
/// ```
public struct DriftSection: Decodable, Equatable, Sendable {
    /// A method for every feature; nil (or `auto`) is Evidently's automatic choice.
    public var method: DriftMethod?
    public var methods: [String: DriftMethod]
    public var threshold: Double?
    public var thresholds: [String: Double]
    public var driftShare: Double
    /// Features to compare; empty compares every column not excluded.
    public var columns: [String]
    /// Columns never compared, such as the label (target drift is not feature drift).
    public var exclude: [String]
    public var exactLimit: Int

    public init() {
        method = nil
        methods = [:]
        threshold = nil
        thresholds = [:]
        driftShare = 0.5
        columns = []
        exclude = []
        exactLimit = DriftOptions.defaultExactValueLimit
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let name = try c.decodeIfPresent(String.self, forKey: .method), name != "auto" {
            guard let method = DriftMethod(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .method, in: c, debugDescription: "unknown drift method '\(name)'; expected auto or one of \(DriftMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.method = method
        }
        methods = try c.decodeIfPresent([String: DriftMethod].self, forKey: .methods) ?? [:]
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold)
        thresholds = try c.decodeIfPresent([String: Double].self, forKey: .thresholds) ?? [:]
        driftShare = try c.decodeIfPresent(Double.self, forKey: .driftShare) ?? 0.5
        columns = try c.decodeIfPresent([String].self, forKey: .columns) ?? []
        exclude = try c.decodeIfPresent([String].self, forKey: .exclude) ?? []
        exactLimit = try c.decodeIfPresent(Int.self, forKey: .exactLimit) ?? DriftOptions.defaultExactValueLimit
        guard (0...1).contains(driftShare) else {
            throw DecodingError.dataCorruptedError(forKey: .driftShare, in: c, debugDescription: "drift_share must be between 0 and 1, got \(driftShare)")
        }
    }

    enum CodingKeys: String, CodingKey {
        case method, methods, threshold, thresholds, columns, exclude
        case driftShare = "drift_share"
        case exactLimit = "exact_limit"
    }

    /// The detector's options, reading data with `schema` when there is one.
    public func options(schema: TableSchema?) -> DriftOptions {
        var options = DriftOptions(method: method, columnMethods: methods, threshold: threshold, columnThresholds: thresholds, driftShare: driftShare, columns: columns, exactValueLimit: exactLimit)
        if let schema { options.apply(schema: schema) }
        options.excludedColumns.formUnion(exclude)
        return options
    }
}

extension DriftMethod: ConfigChoice {}
