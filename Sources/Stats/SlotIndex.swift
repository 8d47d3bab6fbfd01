/// The slots of an open-addressing hash index over entries numbered 0, 1, 2, ... by their
/// 64-bit hashes (`Hashing`), with linear probing. The profiler's count tables keep their
/// entries in arrays of their own and find them through it, without Swift's seeded hasher.
///
/// A slot holds the upper half of its entry's hash beside the entry's number, so a probe
/// passes over other entries without reading them (one memory access fewer per value).
/// Nothing is allocated before the first entry; the slots start at 16 and double while more
/// than half are used, so memory follows the entries actually seen.
struct SlotIndex {
    /// Per slot: the entry's number + 1 in the lower 32 bits (0: empty), the upper 32 bits
    /// of its hash above them.
    private var slots: [UInt64] = []
    private var mask = 0

    private static let upperHalf: UInt64 = 0xFFFF_FFFF_0000_0000

    /// The entry with `hash` for which `matches` holds, else the empty slot where it goes.
    @inline(__always)
    func find(_ hash: UInt64, matches: (Int) -> Bool) -> (entry: Int?, slot: Int) {
        if slots.isEmpty { return (nil, 0) }
        let tag = hash & Self.upperHalf
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let value = slots[slot]
                if value == 0 { return (nil, slot) }
                if value & Self.upperHalf == tag {
                    let entry = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) &- 1
                    if matches(entry) { return (entry, slot) }
                }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// Puts entry number `entries - 1` into the empty `slot` that `find` gave; `hash` gives
    /// any entry's hash, for growing.
    @inline(__always)
    mutating func insert(at slot: Int, entries: Int, hash: (Int) -> UInt64) {
        if slots.isEmpty { return rebuild(size: 16, entries: entries, hash: hash) }
        slots[slot] = hash(entries - 1) & Self.upperHalf | UInt64(entries)
        if entries * 2 > slots.count { rebuild(size: slots.count * 2, entries: entries, hash: hash) }
    }

    private mutating func rebuild(size: Int, entries: Int, hash: (Int) -> UInt64) {
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for entry in 0..<entries {
            let entryHash = hash(entry)
            var slot = Int(truncatingIfNeeded: entryHash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entryHash & Self.upperHalf | UInt64(entry + 1)
        }
    }
}
