/// The slots of an open-addressing hash index over entries numbered 0, 1, 2, ... by their
/// 64-bit hashes (`Hashing`), with linear probing. The profiler's count tables keep their
/// entries in arrays of their own and find them through it, without Swift's seeded hasher.
///
/// Nothing is allocated before the first entry; the slots start at 16 and double while more
/// than half are used, so memory follows the entries actually seen.
struct SlotIndex {
    private var slots: [Int32] = []
    private var mask = 0

    /// The entry with `hash` for which `matches` holds, else the empty slot where it goes.
    @inline(__always)
    func find(_ hash: UInt64, matches: (Int) -> Bool) -> (entry: Int?, slot: Int) {
        if slots.isEmpty { return (nil, 0) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return (nil, slot) }
            if matches(entry) { return (entry, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// Puts entry number `entries - 1` into the empty `slot` that `find` gave; `hash` gives
    /// any entry's hash, for growing.
    @inline(__always)
    mutating func insert(at slot: Int, entries: Int, hash: (Int) -> UInt64) {
        if slots.isEmpty { return rebuild(size: 16, entries: entries, hash: hash) }
        slots[slot] = Int32(entries - 1)
        if entries * 2 > slots.count { rebuild(size: slots.count * 2, entries: entries, hash: hash) }
    }

    private mutating func rebuild(size: Int, entries: Int, hash: (Int) -> UInt64) {
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for entry in 0..<entries {
            var slot = Int(truncatingIfNeeded: hash(entry)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }
}
