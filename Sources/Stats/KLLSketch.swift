import Foundation

/// A KLL quantile sketch (Karnin, Lang and Liberty 2016): mergeable, in memory that grows
/// only with log(n).
///
/// Items live in levels; an item at level h stands for 2^h values. When a level is full it
/// is sorted and every other item (a coin picks odd or even) moves up one level. Level
/// capacities shrink by 2/3 below the top (capacity `k`), with at least 8 per level.
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
        self.k = max(k, 8)
        levels[0].reserveCapacity(self.k)
    }

    /// True while every value is retained with weight 1.
    public var isExact: Bool { levels.count == 1 }

    /// Adds one value (NaN is ignored).
    @inline(__always)
    public mutating func add(_ x: Double) {
        if x.isNaN { return }
        count += 1
        levels[0].append(x)
        if levels[0].count >= capacity(level: 0) { compress() }
    }

    /// Adds everything another sketch saw.
    public mutating func merge(_ other: KLLSketch) {
        guard other.count > 0 else { return }
        while levels.count < other.levels.count { levels.append([]) }
        for (h, items) in other.levels.enumerated() { levels[h].append(contentsOf: items) }
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
        return WeightedSample(points: points, count: count)
    }

    private func capacity(level: Int) -> Int {
        let depth = levels.count - 1 - level
        return max(8, Int((Double(k) * pow(2.0 / 3.0, Double(depth))).rounded(.up)))
    }

    private mutating func coin() -> Int {
        coinState ^= coinState << 13
        coinState ^= coinState >> 7
        coinState ^= coinState << 17
        return Int(coinState & 1)
    }

    private mutating func compress() {
        var h = 0
        while h < levels.count {
            if levels[h].count >= capacity(level: h) {
                if h + 1 == levels.count { levels.append([]) }
                var items = levels[h]
                items.sort()
                // An odd item out stays behind, so weights are conserved exactly.
                let keep = items.count % 2
                let offset = coin()
                var index = keep + offset
                while index < items.count {
                    levels[h + 1].append(items[index])
                    index += 2
                }
                levels[h] = keep == 1 ? [items[0]] : []
                levels[h].reserveCapacity(capacity(level: h))
            }
            h += 1
        }
    }
}
