/// A sorted sample in which each point carries a weight: a raw sample (every weight 1) or
/// the retained items of a quantile sketch (each standing for 2^level values). Tests and
/// distances work on this one shape, so they run the same on raw values and on sketches.
public struct WeightedSample: Sendable, Equatable {
    /// The points, ascending.
    public let values: [Double]
    /// Prefix sums of the weights: `cumulative[i]` is the weight of `values[0..<i]`.
    public let cumulative: [Double]
    /// The number of observations the sample stands for.
    public let count: Int
    /// True when every observation is represented with its true multiplicity (raw values,
    /// or exact value counts), so tests on it are exact; false for a compacted sketch.
    public let isExact: Bool

    /// A raw sample; sorts a copy of `values`.
    public init(exact values: [Double]) {
        let sorted = values.sorted()
        self.values = sorted
        var prefix = [Double](repeating: 0, count: sorted.count + 1)
        for index in sorted.indices { prefix[index + 1] = Double(index + 1) }
        cumulative = prefix
        count = sorted.count
        isExact = true
    }

    /// Weighted points (any order); `count` is the number of observations they stand for.
    /// `exact` says whether the weights are true multiplicities (value counts) rather than
    /// a sketch's approximation.
    public init(points: [(value: Double, weight: Double)], count: Int, exact: Bool) {
        let sorted = points.sorted { $0.value < $1.value }
        values = sorted.map(\.value)
        var prefix = [Double](repeating: 0, count: sorted.count + 1)
        for (index, point) in sorted.enumerated() { prefix[index + 1] = prefix[index] + point.weight }
        cumulative = prefix
        self.count = count
        isExact = exact
    }

    /// The total weight.
    public var totalWeight: Double { cumulative.last ?? 0 }

    /// The ECDF after the first `index` points.
    @inline(__always)
    public func cdfAtIndex(_ index: Int) -> Double { cumulative[index] / totalWeight }

    /// Number of points with value <= x (`searchsorted(..., "right")`).
    public func indexAtMost(_ x: Double) -> Int {
        var low = 0, high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Number of points with value < x (`searchsorted(..., "left")`).
    public func indexBelow(_ x: Double) -> Int {
        var low = 0, high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] < x { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The share of the weight at values <= x.
    public func cdf(_ x: Double) -> Double { totalWeight > 0 ? cdfAtIndex(indexAtMost(x)) : .nan }

    /// The q-quantile. For an exact sample it is numpy's default (linear interpolation
    /// between order statistics); for a sketch, the smallest point whose cumulative share
    /// reaches q.
    public func quantile(_ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        if isExact {
            let position = q * (totalWeight - 1)
            let low = position.rounded(.down)
            let t = position - low
            let a = orderStatistic(low), b = orderStatistic(min(low + 1, totalWeight - 1))
            // numpy's _lerp: exact at both ends.
            return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
        }
        let target = q * totalWeight
        for index in values.indices where cumulative[index + 1] >= target { return values[index] }
        return values[values.count - 1]
    }

    /// The k-th smallest observation (0-based), counting each point `weight` times.
    private func orderStatistic(_ k: Double) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid + 1] > k { high = mid } else { low = mid + 1 }
        }
        return values[low]
    }

    /// The number of distinct values among the points.
    public var distinctCount: Int {
        var distinct = 0
        var previous: Double?
        for value in values where value != previous {
            distinct += 1
            previous = value
        }
        return distinct
    }
}
