import Foundation

/// Distances between two distributions, as scipy and Evidently define them.
public enum Distances {
    /// The first Wasserstein distance between two samples (scipy's `wasserstein_distance`):
    /// the area between their ECDFs.
    public static func wasserstein(_ u: WeightedSample, _ v: WeightedSample) -> Double {
        guard u.totalWeight > 0, v.totalWeight > 0 else { return .nan }
        var i = 0, j = 0
        var total = 0.0
        var previous: Double?
        var previousGap = 0.0
        let vu = u.values, vv = v.values
        while i < vu.count || j < vv.count {
            let x: Double
            if j >= vv.count || (i < vu.count && vu[i] <= vv[j]) { x = vu[i] } else { x = vv[j] }
            if let previous { total += previousGap * (x - previous) }
            while i < vu.count && vu[i] <= x { i += 1 }
            while j < vv.count && vv[j] <= x { j += 1 }
            previousGap = abs(u.cdfAtIndex(i) - v.cdfAtIndex(j))
            previous = x
        }
        return total
    }

    /// Elementwise relative entropy term x·log(x/y) (scipy's `rel_entr`).
    static func relativeEntropy(_ x: Double, _ y: Double) -> Double {
        if x > 0 && y > 0 { return x * log(x / y) }
        if x == 0 && y >= 0 { return 0 }
        return .infinity
    }

    private static func normalised(_ p: [Double]) -> [Double] {
        let total = p.reduce(0, +)
        return p.map { $0 / total }
    }

    /// The Jensen-Shannon *distance* (scipy's `jensenshannon`): the square root of the
    /// divergence, natural log unless `base` is given.
    public static func jensenShannon(_ p: [Double], _ q: [Double], base: Double? = nil) -> Double {
        let p = normalised(p), q = normalised(q)
        var left = 0.0, right = 0.0
        for index in p.indices {
            let m = (p[index] + q[index]) / 2
            left += relativeEntropy(p[index], m)
            right += relativeEntropy(q[index], m)
        }
        var divergence = left + right
        if let base { divergence /= log(base) }
        return (divergence / 2).squareRoot()
    }

    /// The Jensen-Shannon divergence in bits (TFDV's `jensen_shannon_divergence`).
    public static func jensenShannonDivergence(_ p: [Double], _ q: [Double]) -> Double {
        let distance = jensenShannon(p, q, base: 2)
        return distance * distance
    }

    /// The Kullback-Leibler divergence KL(p ‖ q), natural log (scipy's `entropy(p, q)`).
    public static func kullbackLeibler(_ p: [Double], _ q: [Double]) -> Double {
        let p = normalised(p), q = normalised(q)
        var sum = 0.0
        for index in p.indices { sum += relativeEntropy(p[index], q[index]) }
        return sum
    }

    /// The population stability index Σ (p − q)·ln(p / q) over shares with no zero bin.
    public static func populationStability(_ p: [Double], _ q: [Double]) -> Double {
        var sum = 0.0
        for index in p.indices { sum += (p[index] - q[index]) * log(p[index] / q[index]) }
        return sum
    }

    /// The Hellinger distance sqrt(1 − Σ sqrt(p·q)) of two share vectors (Evidently's
    /// categorical form; the Bhattacharyya coefficient is clipped to [0, 1]).
    public static func hellinger(_ p: [Double], _ q: [Double]) -> Double {
        var coefficient = 0.0
        for index in p.indices { coefficient += (p[index] * q[index]).squareRoot() }
        return (1 - min(max(coefficient, 0), 1)).squareRoot()
    }

    /// The Hellinger distance of two histograms over the same equal-width `edges`, from
    /// densities as Evidently computes its numeric form.
    public static func hellinger(counts p: [Double], _ q: [Double], edges: [Double]) -> Double {
        let totalP = p.reduce(0, +), totalQ = q.reduce(0, +)
        let binWidth = (edges[edges.count - 1] - edges[0]) / Double(edges.count - 1)
        var coefficient = 0.0
        for index in p.indices {
            let width = edges[index + 1] - edges[index]
            let densityP = p[index] / totalP / width
            let densityQ = q[index] / totalQ / width
            coefficient += (densityP * densityQ).squareRoot() * binWidth
        }
        return (1 - min(max(coefficient, 0), 1)).squareRoot()
    }

    /// The L-infinity distance max |p − q| of two share vectors (TFDV's categorical comparator).
    public static func lInfinity(_ p: [Double], _ q: [Double]) -> Double {
        let p = normalised(p), q = normalised(q)
        var best = 0.0
        for index in p.indices { best = max(best, abs(p[index] - q[index])) }
        return best
    }

    /// Evidently's zero-bin rule: a zero share becomes 0.0001, or the smallest non-zero share
    /// divided by 10^6 when that share is itself at most 0.0001.
    public static func fillingZeros(_ shares: [Double]) -> [Double] {
        guard let smallest = shares.filter({ $0 != 0 }).min() else { return shares }
        let fill = smallest <= 0.0001 ? smallest / 1_000_000 : 0.0001
        return shares.map { $0 == 0 ? fill : $0 }
    }
}
