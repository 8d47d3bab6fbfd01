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
    /// first) over a window of 16 bits that starts at the highest bit in which any two
    /// numbers differ (24 when that bit is the sign or high in the exponent, whose bits say
    /// little), then runs of numbers equal in the window by the bits below it (insertion
    /// for runs of up to 32, the same way for longer ones). Comparison sorts of random
    /// numbers mispredict about half of their branches, which made a quicksort of the
    /// compaction buffer a fifth of `drift`'s time (docs/performance.md); the passes have
    /// no data-dependent branches, and a window where the numbers differ takes two or three
    /// passes where whole bytes of the upper half took three or four. Order is that of `<`
    /// on numbers (-0 before 0; NaN is never added).
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
            // order equal numeric order.
            let first = orderedKey(keys[0])
            var differing: UInt64 = 0
            for index in 0..<n {
                let key = orderedKey(keys[index])
                keys[index] = key
                differing |= key ^ first
            }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { scratch in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 3 * 256) { counts in
                    sortKeys(keys.baseAddress!, spare: scratch.baseAddress!, count: n, differing: differing, counts: counts.baseAddress!)
                }
            }
            for index in 0..<n {
                let key = keys[index]
                keys[index] = key >> 63 == 1 ? key ^ (1 << 63) : ~key
            }
        }
    }

    /// The key whose unsigned order is the numeric order of the double with these bits.
    @inline(__always)
    private static func orderedKey(_ bits: UInt64) -> UInt64 {
        bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | 1 << 63)
    }

    /// Sorts `count` keys in place (`spare` as scratch, 768 `counts`), `differing` marking
    /// the bits in which any of them differs from another: the window's passes, then the
    /// runs equal in the window by the bits below it.
    private static func sortKeys(_ keys: UnsafeMutablePointer<UInt64>, spare: UnsafeMutablePointer<UInt64>, count n: Int, differing: UInt64, counts: UnsafeMutablePointer<UInt32>) {
        guard differing != 0 else { return }
        let top = 63 - differing.leadingZeroBitCount
        // From bit 59 up the window's top byte is the sign and the exponent's high bits,
        // which take few values: a third byte keeps the window's resolution.
        let bytes = top >= 59 ? 3 : 2
        let shift = max(top + 1 - 8 * bytes, 0)
        let sorted = countingPasses(keys, spare, count: n, shift: UInt64(shift), bytes: bytes, differing: differing, counts: counts)
        if sorted != keys { keys.update(from: sorted, count: n) }
        guard shift > 0, differing & ((1 << UInt64(shift)) &- 1) != 0 else { return }
        var start = 0
        while start < n {
            let prefix = keys[start] >> UInt64(shift)
            var end = start &+ 1
            while end < n && keys[end] >> UInt64(shift) == prefix { end &+= 1 }
            if end &- start > 32 {
                var runDiffering: UInt64 = 0
                for index in start..<end { runDiffering |= keys[index] ^ keys[start] }
                sortKeys(keys + start, spare: spare + start, count: end - start, differing: runDiffering, counts: counts)
            } else if end &- start > 1 {
                insertionSort(keys, start..<end)
            }
            start = end
        }
    }

    /// Stable counting passes over `count` keys by the `bytes` bytes from bit `shift` up
    /// that `differing` marks, between `keys` and `spare` (`counts`: 256 a byte); returns
    /// whichever of the two holds the result.
    @inline(__always)
    private static func countingPasses(_ keys: UnsafeMutablePointer<UInt64>, _ spare: UnsafeMutablePointer<UInt64>, count n: Int, shift: UInt64, bytes: Int, differing: UInt64, counts: UnsafeMutablePointer<UInt32>) -> UnsafeMutablePointer<UInt64> {
        counts.initialize(repeating: 0, count: bytes * 256)
        if bytes == 2 {
            for index in 0..<n {
                let digits = keys[index] >> shift
                counts[Int(digits & 0xFF)] &+= 1
                counts[256 &+ Int((digits >> 8) & 0xFF)] &+= 1
            }
        } else {
            for index in 0..<n {
                let digits = keys[index] >> shift
                counts[Int(digits & 0xFF)] &+= 1
                counts[256 &+ Int((digits >> 8) & 0xFF)] &+= 1
                counts[512 &+ Int((digits >> 16) & 0xFF)] &+= 1
            }
        }
        var source = keys, target = spare
        for byte in 0..<bytes where (differing >> (shift + UInt64(byte * 8))) & 0xFF != 0 {
            let byteShift = shift + UInt64(byte * 8), base = byte * 256
            var total: UInt32 = 0
            for bucket in base..<(base + 256) {
                let count = counts[bucket]
                counts[bucket] = total
                total &+= count
            }
            for index in 0..<n {
                let key = source[index]
                let bucket = base &+ Int((key >> byteShift) & 0xFF)
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
    /// even) up into `next`, keeping it sorted; `next` takes them in the room it kept from
    /// its last compaction (allocating an array per level and compaction was a tenth of
    /// the sketch's time). An odd item out stays behind, so weights are conserved exactly.
    private static func promote(_ items: inout [Double], side: Int, into next: inout [Double]) {
        let keep = items.count % 2
        let first = keep + side, promotedCount = (items.count - first + 1) / 2
        let kept = next.count
        next.reserveCapacity(kept + promotedCount)
        for index in stride(from: first, to: items.count, by: 2) { next.append(items[index]) }
        if kept > 0 {
            // Merged from the back, the promoted items copied out first; on ties `next`'s
            // own item goes first, as `mergeSorted` orders them.
            withUnsafeTemporaryAllocation(of: Double.self, capacity: promotedCount) { promoted in
                next.withUnsafeMutableBufferPointer { next in
                    _ = promoted.initialize(from: UnsafeBufferPointer(rebasing: next[kept...]))
                    var i = kept - 1, j = promotedCount - 1, slot = kept + promotedCount - 1
                    while j >= 0 {
                        if i >= 0 && next[i] > promoted[j] {
                            next[slot] = next[i]
                            i -= 1
                        } else {
                            next[slot] = promoted[j]
                            j -= 1
                        }
                        slot -= 1
                    }
                }
            }
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
