import CNumberScan

// Short plain numbers read in one SIMD register: the common cells of a numeric file
// (`-8.922596`, `51538.09`, `547`) classified and combined without a loop per digit, by
// `CNumberScan` (SSE2, inlined; see number_scan.h).

extension NumberSyntax {
    /// The short plain number, `[+-]?d*(.d*)?` with 1 to 15 digits and at most 16 bytes after
    /// the sign; nil for anything else (white space, an exponent, more digits, not a
    /// number), which `double` then decides. When it gives a value it is `double`'s, bit for
    /// bit: at most 15 digits and a power of ten within 15 are Clinger's exact case, one
    /// division of two exact doubles.
    ///
    /// Reads up to `TableReader.fieldPadding` bytes past the cell's end, so `bytes` must be
    /// followed by that many readable bytes (`TableReader.fieldsArePadded`); it does not use
    /// them.
    @inlinable @inline(__always)
    public static func shortDecimal(padded bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = bytes.baseAddress else { return nil }
        var value = 0.0
        return sluice_short_decimal(base, bytes.count, &value, 0) != 0 ? value : nil
    }

    /// Whether `shortDecimal` reads the cell, without combining its digits into a value: for
    /// a column where every finite number passes. Reads past the cell as `shortDecimal` does.
    @inlinable @inline(__always)
    public static func isShortDecimal(padded bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return sluice_is_short_decimal(base, bytes.count, 0) != 0
    }

    /// The short integer, `[+-]?d{1,15}`; nil for anything else, which `integer` then
    /// decides. Reads past the cell as `shortDecimal` does.
    @inlinable @inline(__always)
    public static func shortInteger(padded bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let base = bytes.baseAddress else { return nil }
        var value: Int64 = 0
        return sluice_short_integer(base, bytes.count, &value, 0) != 0 ? value : nil
    }

    /// Whether `shortInteger` reads the cell, without combining its digits.
    @inlinable @inline(__always)
    public static func isShortInteger(padded bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return sluice_is_short_integer(base, bytes.count, 0) != 0
    }
}
