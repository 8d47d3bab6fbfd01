import Foundation

/// Parses numbers straight from field bytes, without building a `String` first.
///
/// These are the hot path of validation and profiling: a numeric-heavy file spends most of
/// its time here.
public enum NumberSyntax {
    /// Whether `bytes` is a plain decimal number: `[+-]?digits[.digits][(e|E)[+-]?digits]`,
    /// with digits on at least one side of the point.
    public static func isDecimal<C: Collection>(_ bytes: C, allowLeadingPlus: Bool = true) -> Bool where C.Element == UInt8 {
        var i = bytes.startIndex
        let end = bytes.endIndex
        if i == end { return false }
        if bytes[i] == UInt8(ascii: "-") || (allowLeadingPlus && bytes[i] == UInt8(ascii: "+")) { i = bytes.index(after: i) }
        var digits = 0
        while i != end, isDigit(bytes[i]) { digits += 1; i = bytes.index(after: i) }
        if i != end, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            while i != end, isDigit(bytes[i]) { digits += 1; i = bytes.index(after: i) }
        }
        if digits == 0 { return false }
        if i != end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i != end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i = bytes.index(after: i) }
            var exponentDigits = 0
            while i != end, isDigit(bytes[i]) { exponentDigits += 1; i = bytes.index(after: i) }
            if exponentDigits == 0 { return false }
        }
        return i == end
    }

    /// Parses an optionally signed base-10 integer; nil on any other character or overflow.
    @inline(__always)
    public static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let n = bytes.count
        if n == 0 { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if bytes[0] == UInt8(ascii: "+") { i = 1 }
        if i == n { return nil }
        if n &- i <= 18 {
            // At most 18 digits cannot overflow: no checks per digit.
            var magnitude: Int64 = 0
            while i < n {
                let digit = bytes[i] &- UInt8(ascii: "0")
                if digit > 9 { return nil }
                magnitude = magnitude &* 10 &+ Int64(digit)
                i &+= 1
            }
            return negative ? -magnitude : magnitude
        }
        var value: Int64 = 0
        while i < n {
            let digit = bytes[i] &- UInt8(ascii: "0")
            if digit > 9 { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(Int64(digit)) : times10.addingReportingOverflow(Int64(digit))
            if o1 || o2 { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// Parses a plain decimal number (see `isDecimal`), correctly rounded (bit-identical to
    /// strtod); nil otherwise.
    ///
    /// The digits are read once into a 64-bit significand and a decimal exponent; the
    /// Eisel-Lemire algorithm (`eiselLemire`) turns them into the nearest double with one or
    /// two 64x64-bit multiplications and no division. strtod is called only when it cannot
    /// decide: subnormal or out-of-range results and some numbers of more than 19 digits.
    @inline(__always)
    public static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        var i = 0
        var negative = false
        if i < n, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if i < n, bytes[i] == UInt8(ascii: "+") { i += 1 }
        // Digits are counted from positions after each run, not per digit: this loop is the
        // innermost of a numeric file. Past 19 digits the significand wraps; those numbers
        // are read again by `manyDigits`.
        var significand: UInt64 = 0
        let integerStart = i
        while i < n, case let digit = bytes[i] &- UInt8(ascii: "0"), digit < 10 {
            significand = significand &* 10 &+ UInt64(digit)
            i &+= 1
        }
        var digits = i - integerStart
        var scale = 0
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n, case let digit = bytes[i] &- UInt8(ascii: "0"), digit < 10 {
                significand = significand &* 10 &+ UInt64(digit)
                i &+= 1
            }
            scale = i - fractionStart
            digits += scale
        }
        guard digits > 0 else { return nil }
        let significandEnd = i
        var exponent = 0
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < n, bytes[i] == UInt8(ascii: "-") { negativeExponent = true; i += 1 } else if i < n, bytes[i] == UInt8(ascii: "+") { i += 1 }
            let start = i
            while i < n, case let digit = bytes[i] &- UInt8(ascii: "0"), digit < 10 {
                // Saturates far beyond any double's range, which strtod then decides.
                if exponent < 1_000_000 { exponent = exponent &* 10 &+ Int(digit) }
                i &+= 1
            }
            guard i > start else { return nil }
            if negativeExponent { exponent = -exponent }
        }
        guard i == n else { return nil }
        let value: Double?
        if digits <= 19 {
            value = nearest(significand, exponent - scale)
        } else {
            value = manyDigits(UnsafeBufferPointer(rebasing: bytes[integerStart..<significandEnd]), exponent: exponent)
        }
        guard let value else { return withCString(bytes) { strtod($0, nil) } }
        return negative ? -value : value
    }

    /// The double nearest to `significand` x 10^`power`; nil when only strtod can tell.
    @inline(__always)
    static func nearest(_ significand: UInt64, _ power: Int) -> Double? {
        if let value = clinger(significand, power) { return value }
        if significand == 0 { return 0 }
        return eiselLemire(significand, power)
    }

    /// Clinger's fast path: an integer of at most 53 bits and a power of ten within ±22 are
    /// both exact doubles, so one IEEE multiplication or division rounds the exact product or
    /// quotient once, correctly. Covers the plain decimals of most data (`123.4567`) in a few
    /// instructions; nil for anything else (`eiselLemire` then).
    @inline(__always)
    static func clinger(_ significand: UInt64, _ power: Int) -> Double? {
        guard significand <= 1 << 53, power >= -22, power <= 22 else { return nil }
        let scale = exactPowersOfTen.withUnsafeBufferPointer { $0[power < 0 ? -power : power] }
        return power < 0 ? Double(significand) / scale : Double(significand) * scale
    }

    /// The Eisel-Lemire algorithm (Lemire, "Number Parsing at a Gigabyte per Second", 2021):
    /// the significand, shifted to use all 64 bits, times a 128-bit approximation of 5^power
    /// (`powersOfFive`) gives the leading bits of the exact product; the power of two is
    /// computed from `power` and the shift. The approximation can be off in the lowest bits
    /// only, so when those bits are all ones the next 64 bits of 5^power are multiplied in.
    /// nil when the result is subnormal or beyond the table's range, or when the product is
    /// still ambiguous (which Mushtak and Lemire prove never happens; kept as a safety net).
    /// `significand` is not zero.
    @inline(__always)
    static func eiselLemire(_ significand: UInt64, _ power: Int) -> Double? {
        guard power >= smallestPowerOfFive, power <= largestPowerOfFive else { return nil }
        let shift = significand.leadingZeroBitCount
        let normalised = significand &<< UInt64(shift)
        let index = 2 &* (power &- smallestPowerOfFive)
        var (upper, lower) = powersOfFive.withUnsafeBufferPointer { table in
            normalised.multipliedFullWidth(by: table[index])
        }
        // 9 bits below the 53 + 1 (rounding) + 1 (the product's top bit may be 0) we keep.
        let lowBits: UInt64 = 0x1FF
        if upper & lowBits == lowBits {
            let next = powersOfFive.withUnsafeBufferPointer { table in
                normalised.multipliedFullWidth(by: table[index &+ 1]).high
            }
            let (sum, carry) = lower.addingReportingOverflow(next)
            lower = sum
            if carry { upper &+= 1 }
            if upper & lowBits == lowBits, lower == .max { return nil }
        }
        let upperBit = Int(upper &>> 63)
        var mantissa = upper &>> UInt64(upperBit &+ 9)
        // floor(log2(10^power)) + 63 for |power| within the table, then the IEEE bias.
        var binaryExponent = ((217_706 &* power) &>> 16) &+ 63 &+ upperBit &- shift &+ 1023
        guard binaryExponent > 0 else { return nil }
        // Exactly halfway between two doubles: only possible for small powers, and then the
        // product is exact; round to even rather than up.
        if lower <= 1, power >= -4, power <= 23, mantissa & 3 == 1,
           mantissa &<< UInt64(upperBit &+ 9) == upper {
            mantissa &= ~1
        }
        mantissa &+= mantissa & 1
        mantissa &>>= 1
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            binaryExponent &+= 1
        }
        if binaryExponent >= 0x7FF { return .infinity }
        return Double(bitPattern: (mantissa & ~(1 << 52)) | UInt64(binaryExponent) &<< 52)
    }

    /// More than 19 digits: the first 19 significant ones make the significand. When a
    /// non-zero digit was cut, the value lies between that significand and the next, and
    /// when both round to the same double that is the answer; otherwise nil (strtod).
    /// `digits` is the number without sign and exponent.
    static func manyDigits(_ digits: UnsafeBufferPointer<UInt8>, exponent: Int) -> Double? {
        var significand: UInt64 = 0
        var taken = 0
        var power = exponent
        var afterPoint = false
        var truncated = false
        for byte in digits {
            if byte == UInt8(ascii: ".") { afterPoint = true; continue }
            let digit = byte &- UInt8(ascii: "0")
            if significand == 0 && digit == 0 {
                if afterPoint { power -= 1 }
            } else if taken < 19 {
                significand = significand * 10 + UInt64(digit)
                taken += 1
                if afterPoint { power -= 1 }
            } else {
                if !afterPoint { power += 1 }
                if digit != 0 { truncated = true }
            }
        }
        guard truncated else { return nearest(significand, power) }
        guard let low = eiselLemire(significand, power), let high = eiselLemire(significand + 1, power),
              low == high else { return nil }
        return low
    }

    /// NaN and infinities as Python's `Decimal` (and pandas) spell them: `nan`, `inf`,
    /// `infinity`, any case, optionally signed; nil for anything else.
    public static func nonFinite(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count >= 3, bytes.count <= 9 else { return nil }
        var sign = 1.0
        var start = 0
        if bytes[0] == UInt8(ascii: "-") { sign = -1; start = 1 } else if bytes[0] == UInt8(ascii: "+") { start = 1 }
        func spells(_ word: StaticString) -> Bool {
            guard bytes.count - start == word.utf8CodeUnitCount else { return false }
            for index in 0..<word.utf8CodeUnitCount where bytes[start + index] | 0x20 != word.utf8Start[index] { return false }
            return true
        }
        if spells("nan") { return .nan }
        if spells("inf") || spells("infinity") { return sign * .infinity }
        return nil
    }

    /// 10^power for power in 0...22, every one exactly representable as a Double. Written as
    /// literals so the table is a constant (no one-time initialisation per call).
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Calls `body` with a NUL-terminated copy of `bytes`, on the stack when short.
    static func withCString<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<CChar>) -> R) -> R {
        if bytes.count < 64 {
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { scratch in
                let base = scratch.baseAddress!
                bytes.withMemoryRebound(to: CChar.self) { source in
                    if let start = source.baseAddress { base.update(from: start, count: source.count) }
                }
                base[bytes.count] = 0
                return body(base)
            }
        }
        var copy = [CChar](repeating: 0, count: bytes.count + 1)
        bytes.withMemoryRebound(to: CChar.self) { source in
            for index in 0..<source.count { copy[index] = source[index] }
        }
        return copy.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }
}
