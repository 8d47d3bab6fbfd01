/// Exact counts of up to `capacity` distinct numbers, found by `Hashing.hash` through a
/// `SlotIndex`: what the profiler counts during a pass instead of `FrequentItems<Double>`,
/// whose dictionary ran Swift's seeded hasher on every value (about 6% of profiling).
///
/// Numbers match as `==` does and as a `Dictionary` key does (0 and -0 are one number, and
/// hash alike); a number is kept as first seen, as a dictionary keeps its first key.
struct NumberCountTable {
    let capacity: Int
    private var index = SlotIndex()
    /// The numbers with their counts, side by side so that counting one reads one place.
    private var entries: [(value: Double, count: Int)] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The numbers counted.
    var count: Int { entries.count }

    /// Counts `x` (never NaN) `times` times; false, counting nothing, when `x` is new and
    /// the table holds `capacity` numbers already.
    @inline(__always)
    mutating func add(_ x: Double, times: Int = 1) -> Bool {
        let found = index.find(Hashing.hash(x)) { entry in entries.withUnsafeBufferPointer { $0[entry].value == x } }
        if let entry = found.entry {
            entries.withUnsafeMutableBufferPointer { $0[entry].count &+= times }
            return true
        }
        guard entries.count < capacity else { return false }
        entries.append((x, times))
        index.insert(at: found.slot, entries: entries.count) { [entries] in Hashing.hash(entries[$0].value) }
        return true
    }

    /// The counts by number.
    var counted: [Double: Int] {
        Dictionary(uniqueKeysWithValues: entries.lazy.map { ($0.value, $0.count) })
    }
}
