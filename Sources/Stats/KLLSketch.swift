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

    /// Sorts by the bits of each number in eight byte-wide counting passes (least significant
    /// byte first; a pass is skipped when every item has the same byte there). Comparison
    /// sorts of random numbers mispredict about half of their branches, which made a
    /// quicksort of the compaction buffer a fifth of `drift`'s time (docs/performance.md);
    /// these passes have no data-dependent branches. Order is that of `<` on numbers (-0
    /// before 0; NaN is never added).
    static func sort(_ items: UnsafeMutableBufferPointer<Double>) {
        let n = items.count
        guard n > 1 else { return }
        items.withMemoryRebound(to: UInt64.self) { keys in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { scratch in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8 * 256) { counts in
                    counts.initialize(repeating: 0)
                    for index in 0..<n {
                        // Flipping the sign bit of positives and every bit of negatives makes
                        // unsigned order equal numeric order.
                        let key = keys[index] ^ (UInt64(bitPattern: Int64(bitPattern: keys[index]) >> 63) | 1 << 63)
                        keys[index] = key
                        for byte in 0..<8 { counts[byte &* 256 &+ Int((key >> UInt64(byte &* 8)) & 0xFF)] &+= 1 }
                    }
                    var source = keys.baseAddress!, target = scratch.baseAddress!
                    for byte in 0..<8 {
                        let base = byte * 256, shift = UInt64(byte * 8)
                        if counts[base + Int((source[0] >> shift) & 0xFF)] == UInt32(n) { continue }
                        var total: UInt32 = 0
                        for bucket in base..<(base + 256) {
                            let count = counts[bucket]
                            counts[bucket] = total
                            total &+= count
                        }
                        for index in 0..<n {
                            let key = source[index]
                            let bucket = base &+ Int((key >> shift) & 0xFF)
                            target[Int(counts[bucket])] = key
                            counts[bucket] &+= 1
                        }
                        swap(&source, &target)
                    }
                    for index in 0..<n {
                        let key = source[index]
                        keys[index] = key >> 63 == 1 ? key ^ (1 << 63) : ~key
                    }
                }
            }
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

extension KLLSketch {
    // Format 2 writes each level as packed base64 (`PackedEncoding`); format 1 wrote arrays
    // of numbers, which are still read.
    private enum CodingKeys: String, CodingKey { case k, count, levels, coinState }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        k = try container.decode(Int.self, forKey: .k)
        count = try container.decode(Int.self, forKey: .count)
        coinState = try container.decode(UInt64.self, forKey: .coinState)
        if ProfileFormatVersion.of(decoder) == 1 {
            levels = try container.decode([[Double]].self, forKey: .levels)
        } else {
            levels = try container.decode([String].self, forKey: .levels).map { text in
                guard let items = PackedEncoding.decodeDoubles(text) else {
                    throw DecodingError.dataCorruptedError(forKey: .levels, in: container, debugDescription: "expected each KLL level as base64 of little-endian 8-byte doubles")
                }
                return items
            }
        }
        guard k >= 8, !levels.isEmpty, count >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .levels, in: container, debugDescription: "expected k of at least 8 and at least one level")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(k, forKey: .k)
        try container.encode(count, forKey: .count)
        try container.encode(coinState, forKey: .coinState)
        try container.encode(levels.map(PackedEncoding.encode), forKey: .levels)
    }
}
