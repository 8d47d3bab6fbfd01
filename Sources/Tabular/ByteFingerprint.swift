/// 64-bit fingerprints of byte strings, for telling values apart without keeping them: a
/// table of fingerprints holds 8 bytes per value whatever the values' length. Two distinct
/// values collide with probability about 2^-64 per pair (10^-7 for ten million values).
/// The same bytes give the same fingerprint in every process and on every machine.
public enum ByteFingerprint {
    /// Hashes bytes (wyhash-style multiply-mix over 8-byte words).
    @inlinable
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0x243F_6A88_85A3_08D3) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return finish(h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail ^ 0xA076_1D64_78BD_642F)
        }
        return finish(h)
    }

    /// Folds one 64-bit word into a state (the high and low halves of a 128-bit product).
    @inlinable @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        let product = x.multipliedFullWidth(by: 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }

    /// SplitMix64's finaliser: every input bit reaches every output bit.
    @inlinable @inline(__always)
    public static func finish(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
