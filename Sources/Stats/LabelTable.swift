import Foundation

/// Exact counts of up to `capacity` distinct labels, looked up by the bytes of a field
/// without building a `String` or running Swift's seeded hasher: the profiler's fast path
/// for categorical columns. Open addressing over the labels' 64-bit hashes.
///
/// Memory follows the labels actually seen (a wide table has many columns of few labels):
/// the slots start at 16 and double while more than half are used, and the labels' bytes
/// share one array.
struct LabelTable {
    let capacity: Int
    private var slots: [Int32] = []
    private var mask = 0
    /// Per label: its hash, where its bytes end in `bytes`, and its count.
    private(set) var hashes: [UInt64] = []
    private var ends: [Int] = []
    private var counts: [Int] = []
    private var bytes: [UInt8] = []

    /// Nothing is allocated before the first label, so a column without labels costs nothing.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Counts `field` (whose `Hashing.hash` is `hash`); false when it is a new label and the
    /// table is full, so the caller counts it elsewhere.
    @inline(__always)
    mutating func add(_ field: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        if slots.isEmpty { resize(to: 16) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { break }
            if hashes[entry] == hash && holds(entry, field) {
                counts[entry] += 1
                return true
            }
            slot = (slot + 1) & mask
        }
        guard hashes.count < capacity else { return false }
        slots[slot] = Int32(hashes.count)
        hashes.append(hash)
        bytes.append(contentsOf: field)
        ends.append(bytes.count)
        counts.append(1)
        if hashes.count * 2 > slots.count { resize(to: slots.count * 2) }
        return true
    }

    private func label(_ entry: Int) -> ArraySlice<UInt8> {
        bytes[(entry == 0 ? 0 : ends[entry - 1])..<ends[entry]]
    }

    @inline(__always)
    private func holds(_ entry: Int, _ field: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = entry == 0 ? 0 : ends[entry - 1]
        guard ends[entry] - start == field.count else { return false }
        if field.isEmpty { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, field.baseAddress!, field.count) == 0 }
    }

    private mutating func resize(to size: Int) {
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// The counts as a mergeable summary.
    func frequentItems(capacity summaryCapacity: Int) -> FrequentItems<String> {
        var items = FrequentItems<String>(capacity: summaryCapacity)
        for entry in hashes.indices {
            items.add(String(decoding: label(entry), as: UTF8.self), count: counts[entry])
        }
        return items
    }
}
