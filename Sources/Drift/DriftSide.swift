import Core
import Stats
import Tabular

/// One side of a comparison: the column profiles and, for a data file, the raw numbers of
/// each column that had at most `DriftOptions.exactValueLimit` of them.
public struct DriftSide: Sendable {
    /// The file it came from, as given.
    public let path: String
    public let profile: Profile
    /// Raw numbers by column, for exact methods.
    public let retained: [String: [Double]]

    /// A side made from a profile: methods that need raw values work from its sketches.
    public init(path: String, profile: Profile) {
        self.path = path
        self.profile = profile
        retained = [:]
    }

    /// Reads `path`: a Sluice profile (JSON) or a data file, profiled in one pass keeping
    /// raw numbers up to the limit.
    public static func load(path: String, options: DriftOptions) throws -> DriftSide {
        if Profile.isProfile(path: path) {
            return DriftSide(path: path, profile: try Profile.read(path: path))
        }
        var profileOptions = options.profileOptions
        profileOptions.retainedValueLimit = options.exactValueLimit
        let (profile, profiler) = try Profiler.profile(TableSource(path: path), options: profileOptions,
                                                       observers: [ReadProgress("drift \(path)", path: path, reporter: options.progress)])
        var retained: [String: [Double]] = [:]
        for column in profile.columns {
            if let values = profiler.retainedValues(column.name) { retained[column.name] = values }
        }
        return DriftSide(path: path, profile: profile, retained: retained)
    }

    init(path: String, profile: Profile, retained: [String: [Double]]) {
        self.path = path
        self.profile = profile
        self.retained = retained
    }

    /// The numbers of `column` as a sample: exact from the raw values when they were kept,
    /// from exact value counts (few distinct numbers), or from a sketch that never
    /// compacted; else the sketch's weighted items.
    func sample(_ column: ColumnProfile) -> WeightedSample {
        if let raw = retained[column.name], raw.count == column.numbers.count { return WeightedSample(exact: raw) }
        let counts = column.numberCounts
        if counts.state == .exact, counts.counts.values.reduce(0, +) == column.numbers.count {
            return WeightedSample(points: counts.counts.map { ($0.key, Double($0.value)) }, count: column.numbers.count, exact: true)
        }
        if column.quantileSketch.isExact { return WeightedSample(exact: column.quantileSketch.levels[0]) }
        return column.quantileSketch.sample
    }
}
