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
    /// True when every observation is present (unit weights).
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
    public init(points: [(value: Double, weight: Double)], count: Int) {
        let sorted = points.sorted { $0.value < $1.value }
        values = sorted.map(\.value)
        var prefix = [Double](repeating: 0, count: sorted.count + 1)
        for (index, point) in sorted.enumerated() { prefix[index + 1] = prefix[index] + point.weight }
        cumulative = prefix
        self.count = count
        isExact = sorted.allSatisfy { $0.weight == 1 } && sorted.count == count
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

    /// The q-quantile. For a raw sample it is numpy's default (linear interpolation between
    /// order statistics); for a sketch, the smallest point whose cumulative share reaches q.
    public func quantile(_ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        if isExact {
            let position = q * Double(values.count - 1)
            let low = Int(position.rounded(.down))
            let high = min(low + 1, values.count - 1)
            let t = position - Double(low)
            let a = values[low], b = values[high]
            // numpy's _lerp: exact at both ends.
            return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
        }
        let target = q * totalWeight
        for index in values.indices where cumulative[index + 1] >= target { return values[index] }
        return values[values.count - 1]
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
