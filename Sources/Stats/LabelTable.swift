import Foundation

/// Exact counts of up to `capacity` distinct labels, looked up by the bytes of a field
/// without building a `String` or running Swift's seeded hasher: the profiler's fast path
/// for categorical columns.
///
/// Memory follows the labels actually seen (a wide table has many columns of few labels):
/// the index grows with the labels (`SlotIndex`), and the labels' bytes share one array.
struct LabelTable {
    /// A label: its hash, where its bytes lie in `bytes`, and its count, side by side so
    /// that counting a label reads one place.
    private struct Entry {
        let hash: UInt64
        let start: Int
        let length: Int
        var count: Int
    }

    let capacity: Int
    private var index = SlotIndex()
    private var entries: [Entry] = []
    private var bytes: [UInt8] = []

    /// Nothing is allocated before the first label, so a column without labels costs nothing.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The labels counted.
    var count: Int { entries.count }

    /// The labels' hashes (`Hashing.hash` of their bytes).
    var hashes: [UInt64] { entries.map(\.hash) }

    /// Counts `field` (whose `Hashing.hash` is `hash`) `times` times and returns its entry
    /// number; nil when it is a new label and the table is full, so the caller counts it
    /// elsewhere.
    @inline(__always) @discardableResult
    mutating func add(_ field: UnsafeBufferPointer<UInt8>, hash: UInt64, times: Int = 1) -> Int? {
        let found = index.find(hash) { holds($0, field) }
        if let entry = found.entry {
            entries.withUnsafeMutableBufferPointer { $0[entry].count &+= times }
            return entry
        }
        guard entries.count < capacity else { return nil }
        entries.append(Entry(hash: hash, start: bytes.count, length: field.count, count: times))
        bytes.append(contentsOf: field)
        index.insert(at: found.slot, entries: entries.count) { [entries] in entries[$0].hash }
        return entries.count - 1
    }

    /// The bytes of label number `entry`.
    func label(_ entry: Int) -> ArraySlice<UInt8> {
        bytes[entries[entry].start..<(entries[entry].start + entries[entry].length)]
    }

    /// How often label number `entry` was counted.
    func count(of entry: Int) -> Int { entries[entry].count }

    /// A Misra-Gries purge: keeps the labels counted more than `cut` times, each `cut` times
    /// less, and returns each old entry's new number (nil for those dropped).
    mutating func purge(cut: Int) -> [Int?] {
        var kept = LabelTable(capacity: capacity)
        let renumbered = entries.indices.map { entry -> Int? in
            guard entries[entry].count > cut else { return nil }
            return label(entry).withUnsafeBufferPointer { kept.add($0, hash: entries[entry].hash, times: entries[entry].count - cut) }
        }
        self = kept
        return renumbered
    }

    @inline(__always)
    private func holds(_ entry: Int, _ field: UnsafeBufferPointer<UInt8>) -> Bool {
        let (start, length) = entries.withUnsafeBufferPointer { ($0[entry].start, $0[entry].length) }
        guard length == field.count else { return false }
        if field.isEmpty { return true }
        return bytes.withUnsafeBufferPointer { Self.equal($0.baseAddress! + start, field.baseAddress!, count: field.count) }
    }

    /// Whether `count` bytes at `a` and `b` are equal, eight at a time: labels are short,
    /// and a call to `memcmp` per value was 1.4% of profiling.
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            if UnsafeRawPointer(a + offset).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + offset).loadUnaligned(as: UInt64.self) { return false }
            offset += 8
        }
        while offset < count {
            if a[offset] != b[offset] { return false }
            offset += 1
        }
        return true
    }

    /// The counts as a mergeable summary.
    func frequentItems(capacity summaryCapacity: Int) -> FrequentItems<String> {
        var items = FrequentItems<String>(capacity: summaryCapacity)
        for entry in entries.indices {
            items.add(String(decoding: label(entry), as: UTF8.self), count: entries[entry].count)
        }
        return items
    }
}
