/// Exact counts of up to `capacity` distinct labels, looked up by the bytes of a field
/// without building a `String` or running Swift's seeded hasher: the profiler's fast path
/// for categorical columns. Open addressing over the labels' 64-bit hashes.
struct LabelTable {
    let capacity: Int
    private var slots: [Int32]
    private var mask: Int
    private var hashes: [UInt64] = []
    private var labels: [[UInt8]] = []
    private var counts: [Int] = []

    /// The slots are allocated by the first label, so a column without labels costs nothing.
    init(capacity: Int) {
        self.capacity = capacity
        slots = []
        mask = 0
    }

    private mutating func allocateSlots() {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Counts `bytes` (whose `Hashing.hash` is `hash`); false when it is a new label and the
    /// table is full, so the caller counts it elsewhere.
    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        if slots.isEmpty { allocateSlots() }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash && labels[entry].elementsEqual(bytes) {
                counts[entry] += 1
                return true
            }
            slot = (slot + 1) & mask
        }
        guard labels.count < capacity else { return false }
        slots[slot] = Int32(labels.count)
        hashes.append(hash)
        labels.append(Array(bytes))
        counts.append(1)
        return true
    }

    /// The counts as a mergeable summary.
    func frequentItems(capacity summaryCapacity: Int) -> FrequentItems<String> {
        var items = FrequentItems<String>(capacity: summaryCapacity)
        for index in labels.indices {
            items.add(String(decoding: labels[index], as: UTF8.self), count: counts[index])
        }
        return items
    }
}
