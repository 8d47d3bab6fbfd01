/// Count, mean, variance, minimum and maximum of a stream, numerically stable (Welford)
/// and mergeable (Chan, Golub and LeVeque), so shards combine into the whole.
public struct RunningMoments: Codable, Equatable, Sendable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    /// Sum of squared deviations from the mean.
    public private(set) var m2: Double = 0
    public private(set) var minimum: Double = .infinity
    public private(set) var maximum: Double = -.infinity

    public init() {}

    /// Adds one value.
    @inline(__always)
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        if x < minimum { minimum = x }
        if x > maximum { maximum = x }
    }

    /// Combines with the moments of another part of the stream.
    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// Population variance (divides by n, like numpy's default); nil when empty.
    public var populationVariance: Double? { count > 0 ? m2 / Double(count) : nil }
    /// Sample variance (divides by n − 1, like pandas); nil below two values.
    public var sampleVariance: Double? { count > 1 ? m2 / Double(count - 1) : nil }
}
