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
    /// Level 0: up to k raw values in arrival order. Held apart from the levels above it so
    /// that adding a value touches one array, not an array inside an array.
    private var buffer: [Double] = []
    /// `upper[h - 1]` holds the items of weight 2^h, ascending (levels 1 and up).
    private var upper: [[Double]] = []
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

    /// `levels[h]` holds items of weight 2^h (level 0 unsorted, the others ascending).
    public var levels: [[Double]] { [buffer] + upper }

    /// True while every value is retained with weight 1.
    public var isExact: Bool { upper.isEmpty }

    /// Adds one value (NaN is ignored).
    @inline(__always)
    public mutating func add(_ x: Double) {
        if x.isNaN { return }
        count += 1
        if buffer.isEmpty { buffer.reserveCapacity(k) }
        buffer.append(x)
        if buffer.count >= k { compress() }
    }

    /// Adds `values` in order, as adding each in turn would (NaN is ignored), copying them
    /// into level 0 as much as fits before each compaction.
    public mutating func add(contentsOf values: UnsafeBufferPointer<Double>) {
        var next = 0
        while next < values.count {
            if buffer.isEmpty { buffer.reserveCapacity(k) }
            let before = buffer.count
            let end = min(values.count, next + max(k - buffer.count, 1))
            let part = UnsafeBufferPointer(rebasing: values[next..<end])
            if part.contains(where: { $0.isNaN }) {
                for x in part where !x.isNaN { buffer.append(x) }
            } else {
                buffer.append(contentsOf: part)
            }
            count += buffer.count - before
            next = end
            if buffer.count >= k { compress() }
        }
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
                    if h == 0 {
                        buffer.append(value)
                    } else {
                        while upper.count < h { upper.append([]) }
                        upper[h - 1].append(value)
                    }
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
        while upper.count < other.upper.count { upper.append([]) }
        buffer += other.buffer
        for (index, items) in other.upper.enumerated() {
            upper[index] = Self.mergeSorted(upper[index], items)
        }
        count += other.count
        coinState ^= other.coinState &* 0xBF58_476D_1CE4_E5B9
        compress()
    }

    /// The retained items as a weighted sample.
    public var sample: WeightedSample {
        var points: [(value: Double, weight: Double)] = []
        points.reserveCapacity(upper.reduce(buffer.count) { $0 + $1.count })
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
        let depth = upper.count - level
        let shrink = depth < Self.twoThirdsPowers.count ? Self.twoThirdsPowers[depth] : pow(2.0 / 3.0, Double(depth))
        return max(8, Int((Double(k) * shrink).rounded(.up)))
    }

    /// (2/3)^depth as `pow` gives it, for the depths a sketch reaches: a compaction asks for
    /// every level's capacity, and calling `pow` for each was measurable.
    private static let twoThirdsPowers: [Double] = (0..<64).map { pow(2.0 / 3.0, Double($0)) }

    /// Sorts by the bits of each number: byte-wide counting passes (least significant byte
    /// first) over the upper 32 bits, one pass for each byte in which the items differ, then
    /// runs of items equal in those bits by the lower 32 (insertion for short runs, the same
    /// passes for long ones). Comparison sorts of random numbers mispredict about half of
    /// their branches, which made a quicksort of the compaction buffer a fifth of `drift`'s
    /// time (docs/performance.md); the passes have no data-dependent branches, and numbers
    /// of one column rarely agree in their upper 32 bits, so the lower four passes are
    /// mostly saved. Order is that of `<` on numbers (-0 before 0; NaN is never added).
    static func sort(_ items: UnsafeMutableBufferPointer<Double>) {
        let n = items.count
        guard n > 1 else { return }
        // A column that arrives in order (ids, timestamps) needs no passes; other input
        // shows a descent within its first few items.
        var previous = orderedKey(items[0].bitPattern), index = 1
        while index < n {
            let key = orderedKey(items[index].bitPattern)
            if key < previous { break }
            previous = key
            index &+= 1
        }
        if index == n { return }
        items.withMemoryRebound(to: UInt64.self) { keys in
            // Flipping the sign bit of positives and every bit of negatives makes unsigned
            // order equal numeric order. Bytes in which every key agrees (a column's sign
            // and exponent, the zero low bytes of whole numbers) need no pass.
            let first = orderedKey(keys[0])
            var differing: UInt64 = 0
            for index in 0..<n {
                let key = orderedKey(keys[index])
                keys[index] = key
                differing |= key ^ first
            }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { scratch in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * 256) { counts in
                    let counts = counts.baseAddress!
                    let sorted = countingPasses(keys.baseAddress!, scratch.baseAddress!, count: n, upperHalf: true, differing: differing, counts: counts)
                    let spare = sorted == keys.baseAddress! ? scratch.baseAddress! : keys.baseAddress!
                    if differing & 0xFFFF_FFFF != 0 {
                        var start = 0
                        while start < n {
                            let upper = sorted[start] >> 32
                            var end = start &+ 1
                            while end < n && sorted[end] >> 32 == upper { end &+= 1 }
                            if end &- start > 32 {
                                var runDiffering: UInt64 = 0
                                for index in start..<end { runDiffering |= sorted[index] ^ sorted[start] }
                                let run = countingPasses(sorted + start, spare + start, count: end - start, upperHalf: false, differing: runDiffering, counts: counts)
                                if run != sorted + start { (sorted + start).update(from: run, count: end - start) }
                            } else if end &- start > 1 {
                                insertionSort(sorted, start..<end)
                            }
                            start = end
                        }
                    }
                    for index in 0..<n {
                        let key = sorted[index]
                        keys[index] = key >> 63 == 1 ? key ^ (1 << 63) : ~key
                    }
                }
            }
        }
    }

    /// The key whose unsigned order is the numeric order of the double with these bits.
    @inline(__always)
    private static func orderedKey(_ bits: UInt64) -> UInt64 {
        bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | 1 << 63)
    }

    /// Stable counting passes over `count` keys by the bytes of one half (upper or lower 32
    /// bits) that `differing` marks, between `keys` and `spare` (1024 `counts` of scratch);
    /// returns whichever of the two holds the result.
    @inline(__always)
    private static func countingPasses(_ keys: UnsafeMutablePointer<UInt64>, _ spare: UnsafeMutablePointer<UInt64>, count n: Int, upperHalf: Bool, differing: UInt64, counts: UnsafeMutablePointer<UInt32>) -> UnsafeMutablePointer<UInt64> {
        let low: UInt64 = upperHalf ? 32 : 0
        counts.initialize(repeating: 0, count: 4 * 256)
        for index in 0..<n {
            let key = keys[index] >> low
            counts[Int(key & 0xFF)] &+= 1
            counts[256 &+ Int((key >> 8) & 0xFF)] &+= 1
            counts[512 &+ Int((key >> 16) & 0xFF)] &+= 1
            counts[768 &+ Int((key >> 24) & 0xFF)] &+= 1
        }
        var source = keys, target = spare
        for byte in 0..<4 where (differing >> (low + UInt64(byte * 8))) & 0xFF != 0 {
            let shift = low + UInt64(byte * 8), base = byte * 256
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
        return source
    }

    /// Sorts a short run of keys in place.
    private static func insertionSort(_ keys: UnsafeMutablePointer<UInt64>, _ run: Range<Int>) {
        for index in run.dropFirst() {
            let key = keys[index]
            var slot = index
            while slot > run.lowerBound && keys[slot - 1] > key {
                keys[slot] = keys[slot - 1]
                slot -= 1
            }
            keys[slot] = key
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
        while h <= upper.count {
            if (h == 0 ? buffer.count : upper[h - 1].count) >= capacity(level: h) {
                if h == upper.count { upper.append([]) }
                if h == 0 {
                    buffer.withUnsafeMutableBufferPointer { Self.sort($0) }
                    let side = coin()
                    Self.promote(&buffer, side: side, into: &upper[0])
                } else {
                    var items: [Double] = []
                    swap(&items, &upper[h - 1])
                    let side = coin()
                    Self.promote(&items, side: side, into: &upper[h])
                    swap(&items, &upper[h - 1])
                }
            }
            h += 1
        }
    }

    /// Moves every other item of a full sorted level (`side`, a coin's 0 or 1, picks odd or
    /// even) up into `next`, keeping it sorted; an empty `next` takes them in place, in the
    /// room it kept from its last compaction. An odd item out stays behind, so weights are
    /// conserved exactly.
    private static func promote(_ items: inout [Double], side: Int, into next: inout [Double]) {
        let keep = items.count % 2
        let first = keep + side, promotedCount = (items.count - first + 1) / 2
        if next.isEmpty {
            next.reserveCapacity(promotedCount)
            for index in stride(from: first, to: items.count, by: 2) { next.append(items[index]) }
        } else {
            // Merged straight from every other item, taking `next`'s first on ties as
            // `mergeSorted` does.
            var out: [Double] = []
            out.reserveCapacity(next.count + promotedCount)
            var i = 0, j = first
            while i < next.count && j < items.count {
                if next[i] <= items[j] { out.append(next[i]); i += 1 } else { out.append(items[j]); j += 2 }
            }
            out.append(contentsOf: next[i...])
            while j < items.count { out.append(items[j]); j += 2 }
            next = out
        }
        items.removeSubrange(keep...)
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
        let levels: [[Double]]
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
        buffer = levels[0]
        upper = Array(levels.dropFirst())
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(k, forKey: .k)
        try container.encode(count, forKey: .count)
        try container.encode(coinState, forKey: .coinState)
        try container.encode(levels.map(PackedEncoding.encode), forKey: .levels)
    }
}
