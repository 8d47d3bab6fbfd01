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

    /// Parses a plain decimal number (see `isDecimal`), correctly rounded; nil otherwise.
    @inline(__always)
    public static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        // Short numbers, integers included, are the common case and exact: skip strtod.
        if let exact = shortDecimal(bytes) { return exact }
        guard isDecimal(bytes) else { return nil }
        return withCString(bytes) { strtod($0, nil) }
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

    /// Clinger's fast path: with at most 15 significant digits and a decimal exponent within
    /// ±22, the digits and the power of ten are both exact doubles, so one IEEE division or
    /// multiplication is correctly rounded, as strtod would be. nil when it does not apply.
    @inline(__always)
    static func shortDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        var i = 0
        var negative = false
        if i < n, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if i < n, bytes[i] == UInt8(ascii: "+") { i += 1 }
        // Digits are counted from positions after each run, not per digit: this loop is the
        // innermost of a numeric file.
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < n, case let digit = bytes[i] &- UInt8(ascii: "0"), digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i &+= 1
        }
        var digits = i - integerStart
        var scale = 0
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n, case let digit = bytes[i] &- UInt8(ascii: "0"), digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                i &+= 1
            }
            scale = i - fractionStart
            digits += scale
        }
        guard digits > 0, digits <= 15 else { return nil }
        var exponent = 0
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < n, bytes[i] == UInt8(ascii: "-") { negativeExponent = true; i += 1 } else if i < n, bytes[i] == UInt8(ascii: "+") { i += 1 }
            let start = i
            while i < n, i - start < 4, case let digit = bytes[i] &- UInt8(ascii: "0"), digit < 10 {
                exponent = exponent * 10 + Int(digit)
                i += 1
            }
            guard i > start else { return nil }
            if negativeExponent { exponent = -exponent }
        }
        guard i == n else { return nil }
        let power = exponent - scale
        guard power >= -22, power <= 22 else { return nil }
        var value = Double(mantissa)
        value = power < 0 ? value / exactPowersOfTen[-power] : value * exactPowersOfTen[power]
        return negative ? -value : value
    }

    /// 10^0 ... 10^22, every one exactly representable as a Double.
    static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

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
