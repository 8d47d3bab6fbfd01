// Short plain numbers read eight digits at a time: the common cells of a numeric file
// (`-8.922596`, `51538.09`, `547`) without a loop per digit.

/// Up to eight ASCII digits read at once from one 64-bit load (SIMD within a register, as
/// in Lemire's "parse eight digits" trick): a lane is one byte, the cell's first byte in the
/// lowest lane.
public enum EightDigits {
    /// The value of the digits in the lowest `count` (1...8) lanes of `word`; nil when one
    /// of them is not an ASCII digit. The lanes above `count` are ignored.
    @inlinable @inline(__always)
    public static func value(_ word: UInt64, count: Int) -> UInt64? {
        // Move the digits to the top lanes and fill the lanes below with '0': leading zeros,
        // so the same value as eight digits.
        let unused = UInt64(truncatingIfNeeded: 8 &- count) &* 8
        let below = (1 as UInt64 &<< unused) &- 1
        let digits = (word &<< unused) | (0x3030_3030_3030_3030 & below)
        // A digit lane is 0x30...0x39: its high nibble is 3, and stays 3 after adding 6. A
        // lane that carries into the next one fails the test itself.
        let highNibbles = digits & 0xF0F0_F0F0_F0F0_F0F0
        let plusSix = (digits &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0
        guard highNibbles | (plusSix &>> 4) == 0x3333_3333_3333_3333 else { return nil }
        // Pairs of digits, then pairs of pairs, each step one multiplication: lane 2k holds
        // 10 d(2k) + d(2k+1); then the four pairs are weighted 10^6, 10^4, 10^2, 1.
        var v = digits &- 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v &>> 8)
        let outer = (v & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 &<< 32))
        let inner = ((v &>> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 &<< 32))
        return (outer &+ inner) &>> 32
    }

    /// The high bit of each lane of `word` that is zero, exactly (no borrow between lanes).
    @inlinable @inline(__always)
    public static func zeroLanes(_ word: UInt64) -> UInt64 {
        ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word) & 0x8080_8080_8080_8080
    }

    /// The eight bytes at `pointer`, the first in the lowest lane.
    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }
}

extension NumberSyntax {
    /// The common short number, `[+-]?d{1,7}.d{1,8}` or `[+-]?d{1,8}`, read in at most two
    /// eight-byte loads; nil for anything else (white space, an exponent, more digits, not
    /// a number), which `double` then decides. When it gives a value it is `double`'s,
    /// bit for bit: at most 15 digits and 8 decimals are Clinger's exact case, one division
    /// of two exact doubles.
    ///
    /// Reads up to `TableReader.fieldPadding` bytes past the cell's end, so `bytes` must be
    /// followed by that many readable bytes (`TableReader.fieldsArePadded`); it does not use
    /// them.
    @inlinable @inline(__always)
    public static func shortDecimal(padded bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        let first = base[0]
        let signed = first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
        let start = signed ? base + 1 : base
        let count = signed ? bytes.count &- 1 : bytes.count
        let word = EightDigits.load(start)
        // The point's lane; 8 when none of the first eight bytes is one.
        let point = EightDigits.zeroLanes(word ^ 0x2E2E_2E2E_2E2E_2E2E).trailingZeroBitCount &>> 3
        let value: Double
        if point >= count {
            // No point in the cell: an integer of one to eight digits (point <= 8).
            guard count > 0, let integer = EightDigits.value(word, count: count) else { return nil }
            value = Double(integer)
        } else {
            let decimals = count &- point &- 1
            guard point > 0, point < 8, decimals > 0, decimals <= 8,
                  let integer = EightDigits.value(word, count: point),
                  let fraction = EightDigits.value(EightDigits.load(start + (point &+ 1)), count: decimals)
            else { return nil }
            let (scale, exactScale) = powerOfTen(decimals)
            // Below 10^15, so exact as a double: Clinger's case, as `double` takes it.
            value = Double(integer &* scale &+ fraction) / exactScale
        }
        return first == UInt8(ascii: "-") ? -value : value
    }

    /// The common short integer, `[+-]?d{1,8}`, in one eight-byte load; nil for anything
    /// else, which `integer` then decides. Reads past the cell as `shortDecimal` does.
    @inlinable @inline(__always)
    public static func shortInteger(padded bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        let first = base[0]
        let signed = first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
        let count = signed ? bytes.count &- 1 : bytes.count
        guard count > 0, count <= 8, let magnitude = EightDigits.value(EightDigits.load(signed ? base + 1 : base), count: count) else { return nil }
        return first == UInt8(ascii: "-") ? -Int64(magnitude) : Int64(magnitude)
    }

    /// 10^power for power in 1...8, as an integer and as an exact double. A switch of
    /// constants, which the compiler turns into tables without a one-time initialisation.
    @inlinable @inline(__always)
    static func powerOfTen(_ power: Int) -> (UInt64, Double) {
        switch power {
        case 1: return (10, 1e1)
        case 2: return (100, 1e2)
        case 3: return (1000, 1e3)
        case 4: return (10000, 1e4)
        case 5: return (100_000, 1e5)
        case 6: return (1_000_000, 1e6)
        case 7: return (10_000_000, 1e7)
        default: return (100_000_000, 1e8)
        }
    }
}
