import Foundation

/// A KLL quantile sketch (Karnin, Lang and Liberty 2016): mergeable, in memory that grows
/// only with log(n).
///
/// Items live in levels; an item at level h stands for 2^h values. When a level is full it
/// is sorted and every other item (a coin picks odd or even) moves up one level. Level
/// capacities shrink by 2/3 below the top (capacity `k`), with at least 8 per level; level 0
/// buffers k raw values.
///
/// Error bound: the normalised rank error of a CDF or quantile query is at most
/// `rankErrorBound(k)` = 2.446 / k^0.9433 with 99% confidence (the KLL analysis as calibrated
/// by Apache DataSketches; 0.86% at the default k = 400). While fewer than k values have been
/// added nothing is compacted and answers are exact (`isExact`). The coin is a seeded
/// generator stored in the sketch, so profiles are reproducible.
public struct KLLSketch: Codable, Equatable, Sendable {
    /// Capacity of the top level; accuracy grows with it.
    public let k: Int
    /// The number of values added.
    public private(set) var count: Int = 0
    /// `levels[h]` holds items of weight 2^h.
    public private(set) var levels: [[Double]] = [[]]
    private var coinState: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The default top-level capacity.
    public static let defaultK = 400

    /// The stated normalised rank error (99% confidence) for top-level capacity `k`.
    public static func rankErrorBound(k: Int) -> Double {
        2.446 / pow(Double(k), 0.9433)
    }

    public init(k: Int = KLLSketch.defaultK) {
        self.k = max(k, 8) // level 0 grows on first use, so an empty column costs nothing
    }

    /// True while every value is retained with weight 1.
    public var isExact: Bool { levels.count == 1 }

    /// Adds one value (NaN is ignored).
    @inline(__always)
    public mutating func add(_ x: Double) {
        if x.isNaN { return }
        count += 1
        levels[0].append(x)
        if levels[0].count >= k { compress() }
    }

    /// Adds values with their multiplicities at once: a value seen c times goes to the levels
    /// of c's binary digits (weight 2^h at level h), so weights stay exact, then full levels
    /// compact as usual. Values are taken in ascending order, so the result is reproducible.
    public mutating func add(counts: [Double: Int]) {
        for (value, multiplicity) in counts.sorted(by: { $0.key < $1.key }) where !value.isNaN && multiplicity > 0 {
            count += multiplicity
            var remaining = multiplicity, h = 0
            while remaining > 0 {
                if remaining & 1 == 1 {
                    while levels.count <= h { levels.append([]) }
                    levels[h].append(value)
                }
                remaining >>= 1
                h += 1
            }
        }
        compress()
    }

    /// Adds everything another sketch saw.
    public mutating func merge(_ other: KLLSketch) {
        guard other.count > 0 else { return }
        while levels.count < other.levels.count { levels.append([]) }
        for (h, items) in other.levels.enumerated() {
            levels[h] = h == 0 ? levels[h] + items : Self.mergeSorted(levels[h], items)
        }
        count += other.count
        coinState ^= other.coinState &* 0xBF58_476D_1CE4_E5B9
        compress()
    }

    /// The retained items as a weighted sample.
    public var sample: WeightedSample {
        var points: [(value: Double, weight: Double)] = []
        points.reserveCapacity(levels.reduce(0) { $0 + $1.count })
        for (h, items) in levels.enumerated() {
            let weight = Double(1 << h)
            for item in items { points.append((item, weight)) }
        }
        return WeightedSample(points: points, count: count, exact: isExact)
    }

    /// Level h holds up to k·(2/3)^(depth below the top) items, at least 8. Level 0 is the
    /// exception: it buffers k raw values, so compaction work is amortised over k additions;
    /// holding more unit-weight items there only makes answers more accurate.
    private func capacity(level: Int) -> Int {
        if level == 0 { return k }
        let depth = levels.count - 1 - level
        return max(8, Int((Double(k) * pow(2.0 / 3.0, Double(depth))).rounded(.up)))
    }

    /// An unstable in-place quicksort (median of three, insertion sort for short runs):
    /// compaction sorts small buffers of doubles all the time, and the standard library's
    /// stable merge sort is several times slower at that.
    static func sort(_ items: UnsafeMutableBufferPointer<Double>) {
        var low = 0, high = items.count - 1
        while high - low > 16 {
            let mid = low + (high - low) / 2
            if items[mid] < items[low] { items.swapAt(mid, low) }
            if items[high] < items[low] { items.swapAt(high, low) }
            if items[high] < items[mid] { items.swapAt(high, mid) }
            let pivot = items[mid]
            var i = low, j = high
            while i <= j {
                while items[i] < pivot { i += 1 }
                while items[j] > pivot { j -= 1 }
                if i <= j {
                    items.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Recurse into the smaller side, loop on the larger: stack depth O(log n).
            if j - low < high - i {
                sort(UnsafeMutableBufferPointer(rebasing: items[low...j]))
                low = i
            } else {
                sort(UnsafeMutableBufferPointer(rebasing: items[i...high]))
                high = j
            }
        }
        if high <= low { return }
        for index in (low + 1)...high {
            let value = items[index]
            var position = index - 1
            while position >= low && items[position] > value {
                items[position + 1] = items[position]
                position -= 1
            }
            items[position + 1] = value
        }
    }

    private mutating func coin() -> Int {
        coinState ^= coinState << 13
        coinState ^= coinState >> 7
        coinState ^= coinState << 17
        return Int(coinState & 1)
    }

    /// Compacts every full level, bottom up. Levels above 0 are kept sorted (promoted items
    /// are merged in), so only the raw buffer at level 0 is ever sorted.
    private mutating func compress() {
        var h = 0
        while h < levels.count {
            if levels[h].count >= capacity(level: h) {
                if h + 1 == levels.count { levels.append([]) }
                if h == 0 { levels[0].withUnsafeMutableBufferPointer { Self.sort($0) } }
                // An odd item out stays behind, so weights are conserved exactly.
                let keep = levels[h].count % 2
                var promoted: [Double] = []
                promoted.reserveCapacity(levels[h].count / 2)
                var index = keep + coin()
                while index < levels[h].count {
                    promoted.append(levels[h][index])
                    index += 2
                }
                levels[h].removeSubrange(keep...)
                levels[h + 1] = Self.mergeSorted(levels[h + 1], promoted)
            }
            h += 1
        }
    }

    /// Merges two ascending arrays into one.
    private static func mergeSorted(_ a: [Double], _ b: [Double]) -> [Double] {
        if a.isEmpty { return b }
        var out: [Double] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] <= b[j] { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }
}
