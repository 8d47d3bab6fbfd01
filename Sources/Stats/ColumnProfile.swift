import Foundation

/// How a column's values are treated.
public enum ColumnKind: String, Codable, Sendable {
    /// Numbers: moments, quantiles, histograms.
    case numeric
    /// Labels: value counts.
    case categorical
    /// No non-missing value at all.
    case empty
}

/// The mergeable statistics of one column, plus a summary derived from them for readers.
///
/// Numbers feed the moments, the quantile sketch and (while there are few distinct ones)
/// exact value counts; other values feed label counts. Without a declared type a column is
/// numeric when every non-missing value is a number.
public struct ColumnProfile: Codable, Equatable, Sendable {
    public var name: String
    /// The Table Schema type, when a schema declared one.
    public var declaredType: String?
    /// Whether the declared type makes the column numeric (nil when undeclared).
    public var declaredNumeric: Bool?
    /// Values that are present (not a missing-value marker).
    public var count = 0
    /// Values equal to a missing-value marker, or absent from a short row.
    public var missing = 0
    /// Values left out of the statistics: those of a declared numeric column that are not
    /// finite numbers, and NaN or infinities in a column of no declared type.
    public var invalid = 0
    public var numbers = RunningMoments()
    public var zeros = 0
    public var quantileSketch: KLLSketch
    /// Counts of numeric values, abandoned beyond `numberCountCapacity` distinct numbers.
    public var numberCounts: FrequentItems<Double>
    /// Non-numeric values (all values of a declared non-numeric column).
    public var labels = 0
    public var labelCounts: FrequentItems<String>
    public var distinctSketch = HyperLogLog()
    /// Derived for readers; recomputed after building or merging.
    public var summary: ColumnSummary?

    /// Distinct numbers whose counts are kept exactly; enough for few-valued numeric columns.
    public static let numberCountCapacity = 1024

    public init(name: String, declaredType: String? = nil, declaredNumeric: Bool? = nil, categoryCapacity: Int, sketchK: Int) {
        self.name = name
        self.declaredType = declaredType
        self.declaredNumeric = declaredNumeric
        quantileSketch = KLLSketch(k: sketchK)
        numberCounts = FrequentItems(capacity: Self.numberCountCapacity, abandonOnOverflow: true)
        labelCounts = FrequentItems(capacity: categoryCapacity)
    }

    /// The column's kind from its declared type or, failing that, from what it held.
    public var kind: ColumnKind {
        if let declaredNumeric { return declaredNumeric ? .numeric : .categorical }
        if count == 0 { return .empty }
        return labels == 0 ? .numeric : .categorical
    }

    /// Counts by label for a categorical reading of the column: label counts plus the numbers
    /// written in canonical form (numbers are spelled as Swift prints them, so "1.50" reads
    /// "1.5"). Numbers beyond the exact-count capacity make the counts approximate.
    public var categoryCounts: FrequentItems<String> {
        var merged = labelCounts
        if numbers.count > 0 {
            var numeric = FrequentItems<String>(capacity: labelCounts.capacity)
            for (value, n) in numberCounts.counts { numeric.add(Self.label(value), count: n) }
            merged.merge(numeric)
        }
        return merged
    }

    /// How a number is spelled as a category label (integers without ".0").
    public static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Whether the counts of values cover every value exactly.
    public var countsAreExact: Bool {
        switch kind {
        case .numeric: return numberCounts.state == .exact
        case .categorical: return labelCounts.state == .exact && (numbers.count == 0 || numberCounts.state == .exact)
        case .empty: return true
        }
    }

    /// The number of distinct values: exact when the counts are, else the HyperLogLog estimate.
    public var distinctValues: (value: Double, exact: Bool) {
        if countsAreExact {
            let n = kind == .categorical ? categoryCounts.counts.count : numberCounts.counts.count
            return (Double(n), true)
        }
        return (distinctSketch.estimate.rounded(), false)
    }

    /// Combines with the profile of the same column over other rows.
    public mutating func merge(_ other: ColumnProfile) throws {
        if declaredType != other.declaredType {
            throw MergeError(message: "column \(name) has type \(declaredType ?? "inferred") in one profile and \(other.declaredType ?? "inferred") in another")
        }
        count += other.count
        missing += other.missing
        invalid += other.invalid
        numbers.merge(other.numbers)
        zeros += other.zeros
        quantileSketch.merge(other.quantileSketch)
        numberCounts.merge(other.numberCounts)
        labels += other.labels
        labelCounts.merge(other.labelCounts)
        distinctSketch.merge(other.distinctSketch)
    }

    /// Recomputes `summary` from the mergeable statistics.
    public mutating func refreshSummary(topLimit: Int = 20, histogramBins: Int = 20) {
        labelCounts.trim()
        summary = ColumnSummary(self, topLimit: topLimit, histogramBins: histogramBins)
    }
}

/// Profiles that cannot be combined.
public struct MergeError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Counts over bins: `counts[i]` values fall in [edges[i], edges[i+1]) (the last bin closed).
public struct Histogram: Codable, Equatable, Sendable {
    public var edges: [Double]
    public var counts: [Double]
}

/// One value and how often it occurs.
public struct ValueCount: Codable, Equatable, Sendable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// What a reader of a profile wants to see about a column, derived from its sketches.
public struct ColumnSummary: Codable, Equatable, Sendable {
    public var kind: ColumnKind
    public var mean: Double?
    /// Sample variance (n − 1).
    public var variance: Double?
    public var standardDeviation: Double?
    public var minimum: Double?
    public var maximum: Double?
    /// Quantiles at 1, 5, 25, 50, 75, 95 and 99% (keys `p01`...`p99`).
    public var quantiles: [String: Double]?
    /// Equal-width bins between minimum and maximum.
    public var histogram: Histogram?
    /// Bins at the deciles, so each holds about a tenth of the values.
    public var quantileHistogram: Histogram?
    /// True when quantiles and histogram counts come from a compacted sketch
    /// (within the sketch's rank-error bound) rather than every value.
    public var approximate: Bool
    public var topValues: [ValueCount]
    public var topValuesExact: Bool
    public var distinct: Double
    public var distinctExact: Bool

    init(_ column: ColumnProfile, topLimit: Int, histogramBins: Int) {
        kind = column.kind
        let counts = column.kind == .numeric ? column.numberCounts.top(topLimit).map { ValueCount(value: ColumnProfile.label($0.value), count: $0.count) }
            : column.categoryCounts.top(topLimit).map { ValueCount(value: $0.value, count: $0.count) }
        topValues = counts
        topValuesExact = column.countsAreExact
        let distinctValues = column.distinctValues
        distinct = distinctValues.value
        distinctExact = distinctValues.exact
        approximate = false
        guard column.numbers.count > 0 else { return }
        let moments = column.numbers
        mean = moments.mean
        variance = moments.sampleVariance
        standardDeviation = moments.sampleVariance.map { $0.squareRoot() }
        minimum = moments.minimum
        maximum = moments.maximum
        // Exact value counts, when kept, give exact quantiles and histograms.
        let numberCounts = column.numberCounts
        let sample = numberCounts.state == .exact && numberCounts.counts.values.reduce(0, +) == moments.count
            ? WeightedSample(points: numberCounts.counts.map { ($0.key, Double($0.value)) }, count: moments.count, exact: true)
            : column.quantileSketch.sample
        var q: [String: Double] = [:]
        for p in [1, 5, 25, 50, 75, 95, 99] { q[String(format: "p%02d", p)] = sample.quantile(Double(p) / 100) }
        quantiles = q
        let edges = moments.minimum == moments.maximum ? [moments.minimum, moments.maximum]
            : Binning.linspace(moments.minimum, moments.maximum, count: histogramBins + 1)
        histogram = Histogram(edges: edges, counts: Binning.counts(sample, edges: edges))
        var deciles = [moments.minimum]
        for d in 1...9 { deciles.append(sample.quantile(Double(d) / 10)) }
        deciles.append(moments.maximum)
        quantileHistogram = Histogram(edges: deciles, counts: Binning.counts(sample, edges: deciles))
        approximate = !sample.isExact
    }
}
