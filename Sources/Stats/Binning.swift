import Foundation

/// Bin edges and counts as numpy computes them, so binned distances match Evidently's.
public enum Binning {
    /// numpy's `linspace(start, stop, count)` with the endpoint forced to `stop`.
    public static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let divisions = Double(count - 1)
        let delta = stop - start
        let step = delta / divisions
        var out = (0..<count).map { index -> Double in
            step == 0 ? (Double(index) / divisions) * delta + start : Double(index) * step + start
        }
        out[count - 1] = stop
        return out
    }

    /// numpy's `histogram_bin_edges(x, bins="sturges")` for a sample of `size` values in
    /// [minimum, maximum]: ceil(log2(size) + 1) equal-width bins (one bin ±0.5 wide when
    /// the range is empty). For an integer sample numpy widens bins to at least 1.
    public static func sturgesEdges(minimum: Double, maximum: Double, size: Int, integral: Bool = false) -> [Double] {
        var first = minimum, last = maximum
        if first == last {
            first -= 0.5
            last += 0.5
        }
        let range = maximum - minimum
        var bins = 1
        if range > 0 {
            var width = range / (log2(Double(size)) + 1)
            if integral && width < 1 { width = 1 }
            bins = Int((range / width).rounded(.up))
        }
        return linspace(first, last, count: bins + 1)
    }

    /// Counts per bin over `edges` as `numpy.histogram(x, edges)`: [e_i, e_i+1), the last bin
    /// closed; values outside the edges are not counted. Sketch points count with their weight.
    public static func counts(_ sample: WeightedSample, edges: [Double]) -> [Double] {
        guard edges.count >= 2 else { return [] }
        var counts = [Double](repeating: 0, count: edges.count - 1)
        for bin in 0..<(edges.count - 1) {
            let low = sample.indexBelow(edges[bin])
            let high = bin == edges.count - 2 ? sample.indexAtMost(edges[bin + 1]) : sample.indexBelow(edges[bin + 1])
            counts[bin] = sample.cumulative[high] - sample.cumulative[low]
        }
        return counts
    }

    /// Counts per bin with open outer bins: (-inf, c_1], (c_1, c_2], ..., (c_k, +inf), for
    /// interior `cuts`. Used by PSI on reference quantiles.
    public static func countsOpenEnded(_ sample: WeightedSample, cuts: [Double]) -> [Double] {
        var counts: [Double] = []
        var previous = 0
        for cut in cuts {
            let index = sample.indexAtMost(cut)
            counts.append(sample.cumulative[index] - sample.cumulative[previous])
            previous = index
        }
        counts.append(sample.totalWeight - sample.cumulative[previous])
        return counts
    }
}
