import Tabular

/// 64-bit fingerprints of values for `unique` and `primaryKey` checks: a table of hashes
/// keeps memory to 8-16 bytes per distinct value whatever the values' length. Two distinct
/// values collide with probability about 2^-64 per pair (10^-7 for ten million rows).
enum Fingerprint {
    /// Hashes bytes (`Tabular.ByteFingerprint`, shared with the other readers of fingerprints).
    @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0x243F_6A88_85A3_08D3) -> UInt64 {
        ByteFingerprint.of(bytes, seed: seed)
    }

    /// Hashes a typed value, so that `1.0` and `1` of a number field are the same value.
    static func of(_ value: CellValue, bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        switch value {
        case .text: return of(bytes)
        // The constants keep small values away from mix's fixed point (mix(0) == 0).
        case .integer(let v), .date(let v), .year(let v), .yearmonth(let v): return finish(mix(UInt64(bitPattern: v) ^ 0x452_821E_638D_0137))
        case .number(let v), .datetime(let v), .time(let v): return finish(mix(v.bitPattern ^ 0xBE54_66CF_34E9_0C6C))
        case .boolean(let v): return v ? 0x5555_5555 : 0xAAAA_AAAA
        }
    }

    /// Combines the fingerprints of the cells of a composite key, in order.
    /// A key part with no value (missing, or not of its type); every such part is equal.
    static let absent: UInt64 = 0x9D1C_3A5B_E47F_2601

    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        finish(mix(a &* 0x9E37_79B9_7F4A_7C15 ^ b))
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 { ByteFingerprint.mix(x) }

    @inline(__always)
    static func finish(_ x: UInt64) -> UInt64 { ByteFingerprint.finish(x) }
}

/// An open-addressing set of 64-bit fingerprints (8 bytes a slot, at most 70% full).
struct FingerprintSet {
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init() {
        slots = Array(repeating: 0, count: 1024)
        mask = 1023
    }

    /// Inserts `fingerprint`; returns false when it was already present.
    @inline(__always)
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        let key = fingerprint == 0 ? 1 : fingerprint  // 0 marks an empty slot
        var index = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { break }
            if slot == key { return false }
            index = (index + 1) & mask
        }
        slots[index] = key
        count += 1
        if count * 10 > slots.count * 7 { grow() }
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        for key in old where key != 0 {
            var index = Int(truncatingIfNeeded: key) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = key
        }
    }
}
