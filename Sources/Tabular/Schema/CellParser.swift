import Foundation

/// A field's options compiled into the one parser its cells need.
///
/// A class with plain stored properties, so the hot loop holds one reference and parsing
/// a cell copies nothing and touches no reference counts.
public final class CellParser: Equatable, @unchecked Sendable {
    enum Kind: Equatable {
        case text, email, uri, uuid, binary, any
        case integer, number, boolean
        case date, datetime, time, year, yearmonth
    }

    enum TemporalFormat: Equatable, Sendable {
        /// ISO 8601, as frictionless's `default`.
        case iso
        /// Common unambiguous layouts, as frictionless's `any`.
        case any
        case pattern(TemporalPattern)
    }

    /// How a number is written: separators and whether text may surround it.
    struct NumberStyle: Equatable, Sendable {
        var decimal: UInt8 = UInt8(ascii: ".")
        var group: [UInt8] = []
        var bare = true
    }

    let kind: Kind
    let style: NumberStyle
    /// Plain `123.45`: the fast path.
    let plainNumbers: Bool
    let trues: [[UInt8]]
    let falses: [[UInt8]]
    let temporal: TemporalFormat

    public static func == (a: CellParser, b: CellParser) -> Bool {
        a.kind == b.kind && a.style == b.style && a.trues == b.trues && a.falses == b.falses && a.temporal == b.temporal
    }

    init(type: FieldType, format rawFormat: String, trueValues: [String], falseValues: [String], decimalChar: String, groupChar: String, bareNumber: Bool) throws(SchemaFieldError) {
        let format = rawFormat.hasPrefix("fmt:") ? String(rawFormat.dropFirst(4)) : rawFormat
        func onlyDefault() throws(SchemaFieldError) {
            guard format == "default" || format.isEmpty else {
                throw SchemaFieldError(property: "format", message: "type \(type.rawValue) has no format \"\(rawFormat)\"; expected \"default\"")
            }
        }
        let decimal = Array(decimalChar.utf8)
        guard decimal.count == 1 else {
            throw SchemaFieldError(property: "decimalChar", message: "expected one ASCII character, got \"\(decimalChar)\"")
        }
        style = NumberStyle(decimal: decimal[0], group: Array(groupChar.utf8), bare: bareNumber)
        plainNumbers = style == NumberStyle()
        trues = trueValues.map { Array($0.utf8) }
        falses = falseValues.map { Array($0.utf8) }
        var temporal = TemporalFormat.iso
        switch type {
        case .string:
            switch format {
            case "default", "": kind = .text
            case "email": kind = .email
            case "uri": kind = .uri
            case "uuid": kind = .uuid
            case "binary": kind = .binary
            default:
                throw SchemaFieldError(property: "format", message: "unknown string format \"\(rawFormat)\"; expected one of default, email, uri, uuid, binary")
            }
        case .any: try onlyDefault(); kind = .any
        case .integer: try onlyDefault(); kind = .integer
        case .number: try onlyDefault(); kind = .number
        case .boolean: try onlyDefault(); kind = .boolean
        case .year: try onlyDefault(); kind = .year
        case .yearmonth: try onlyDefault(); kind = .yearmonth
        case .date, .datetime, .time:
            kind = type == .date ? .date : (type == .datetime ? .datetime : .time)
            switch format {
            case "default", "": temporal = .iso
            case "any": temporal = .any
            default:
                do { temporal = .pattern(try TemporalPattern(format)) } catch {
                    throw SchemaFieldError(property: "format", message: "the date pattern \"\(rawFormat)\" uses \(error.directive), which Sluice does not read; expected \"default\", \"any\" or a pattern of \(TemporalPattern.supportedDirectives)")
                }
            }
        }
        self.temporal = temporal
    }

    /// Reads a cell as the field's type; nil when it is not of the type.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> CellValue? {
        switch kind {
        case .number:
            return number(bytes).map { .number($0) }
        case .integer:
            return integer(bytes).map { .integer($0) }
        case .text, .any:
            return .text
        case .email:
            return CellSyntax.isEmail(bytes) ? .text : nil
        case .uri:
            return CellSyntax.isURI(bytes) ? .text : nil
        case .uuid:
            return CellSyntax.isUUID(bytes) ? .text : nil
        case .binary:
            return CellSyntax.isBase64(bytes) ? .text : nil
        case .boolean:
            for value in trues where CellSyntax.equal(bytes, value) { return .boolean(true) }
            for value in falses where CellSyntax.equal(bytes, value) { return .boolean(false) }
            return nil
        case .date:
            return CellSyntax.date(bytes, temporal).map { .date($0) }
        case .datetime:
            return CellSyntax.datetime(bytes, temporal).map { .datetime($0) }
        case .time:
            return CellSyntax.time(bytes, temporal).map { .time($0) }
        case .year:
            guard bytes.count == 4, let year = NumberSyntax.integer(bytes), year >= 0 else { return nil }
            return .year(year)
        case .yearmonth:
            return CellSyntax.yearmonth(bytes).map { .yearmonth($0) }
        }
    }
}

extension CellParser {
    /// The value `parse` gives a stored value's text (`StoredValue`, from Parquet), told
    /// without reading the text; nil when only the text can tell (then parse the field's
    /// bytes as usual, which also words any type error).
    @inline(__always)
    public func value(of stored: StoredValue) -> CellValue? {
        switch (kind, stored) {
        case (.text, _), (.any, _):
            return .text
        case (.integer, .integer(let x)) where plainNumbers:
            return .integer(x)
        case (.number, _) where plainNumbers:
            return stored.number.map { .number($0) }
        case (.boolean, .boolean(let x)):
            let text = x ? ParquetText.trueText : ParquetText.falseText
            if trues.contains(text) { return .boolean(true) }
            if falses.contains(text) { return .boolean(false) }
            return nil
        default:
            return nil
        }
    }

    /// Whether cells are read as numbers (`number`, `integer`), and which: lets a caller
    /// compile its per-cell work for the type once instead of switching on each value.
    public enum NumericKind: Sendable {
        case number, integer
    }

    /// The numeric kind of this field's cells, or nil for other types.
    public var numericKind: NumericKind? {
        switch kind {
        case .number: return .number
        case .integer: return .integer
        default: return nil
        }
    }

    /// Reads a `number` cell, as `parse` does, without wrapping it in a `CellValue`.
    @inline(__always)
    public func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if plainNumbers {
            let trimmed = CellSyntax.trimmed(bytes)
            if let value = NumberSyntax.double(trimmed) { return value }
            return NumberSyntax.nonFinite(trimmed)
        }
        return CellSyntax.number(bytes, style)
    }

    /// Reads an `integer` cell, as `parse` does, without wrapping it in a `CellValue`.
    @inline(__always)
    public func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        if plainNumbers { return NumberSyntax.integer(CellSyntax.trimmed(bytes)) }
        return CellSyntax.integer(bytes, style)
    }

    /// Whether numbers are written plainly (`123.45`: no group or other decimal separator,
    /// no surrounding text), so `NumberSyntax`'s readers give this field's values.
    public var readsPlainNumbers: Bool { plainNumbers }

    /// Whether cells of this field are always well-typed (plain `string` and `any`), so
    /// that without constraints only their presence needs checking.
    public var acceptsEveryCell: Bool { kind == .text || kind == .any }

    /// The only cells a `boolean` field accepts, its true and false values as bytes; nil
    /// for other fields.
    public var booleanWords: [[UInt8]]? { kind == .boolean ? trues + falses : nil }

    /// Whether this is a `date` field in the ISO format (`isISODate` tells its usual cells).
    public var readsISODates: Bool { kind == .date && temporal == .iso }

    /// Whether a cell of the form `YYYY-MM-DD` (ten bytes, every digit) is a date, as
    /// `parse` decides for a field that `readsISODates`, without counting its days; nil for
    /// any other form, which only `parse` decides.
    @inline(__always)
    public static func isISODate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        CellSyntax.isoDatePartsOfTenBytes(bytes)?.isDay
    }
}

/// Byte-level readers for each type's cells, following what frictionless accepts.
enum CellSyntax {
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ other: [UInt8]) -> Bool {
        guard bytes.count == other.count else { return false }
        for index in 0..<other.count where bytes[index] != other[index] { return false }
        return true
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// The bytes without surrounding ASCII white space (Python's `str.strip`, for numbers).
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        // Most cells neither start nor end with white space (all of it is <= 0x20).
        if let first = bytes.first, first > 0x20, bytes[bytes.count &- 1] > 0x20 { return bytes }
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        if start == 0 && end == bytes.count { return bytes }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    // MARK: Numbers

    /// A number written with separators or surrounding text.
    static func number(_ raw: UnsafeBufferPointer<UInt8>, _ style: CellParser.NumberStyle) -> Double? {
        normalised(trimmed(raw), style) { plain in NumberSyntax.double(plain) ?? NumberSyntax.nonFinite(plain) }
    }

    /// An integer written with separators or surrounding text.
    static func integer(_ raw: UnsafeBufferPointer<UInt8>, _ style: CellParser.NumberStyle) -> Int64? {
        normalised(trimmed(raw), style) { NumberSyntax.integer($0) }
    }

    /// Rewrites a number with separators or surrounding text into plain form on the stack,
    /// then reads it with `body`. Mirrors frictionless: strip leading text that is not a
    /// digit or `-` and trailing non-digits (unless bare), drop group separators, refuse a
    /// `.` when the decimal separator is something else.
    static func normalised<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ style: CellParser.NumberStyle, _ body: (UnsafeBufferPointer<UInt8>) -> R?) -> R? {
        var start = 0
        var end = bytes.count
        if !style.bare {
            while start < end, bytes[start] != UInt8(ascii: "-"), !NumberSyntax.isDigit(bytes[start]) { start += 1 }
            while end > start, !NumberSyntax.isDigit(bytes[end - 1]) { end -= 1 }
        }
        let length = end - start
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(length, 1)) { scratch -> R? in
            var count = 0
            var index = start
            let group = style.group
            while index < end {
                let c = bytes[index]
                if !group.isEmpty, c == group[0], index + group.count <= end,
                   equal(UnsafeBufferPointer(rebasing: bytes[index..<(index + group.count)]), group) {
                    index += group.count
                    continue
                }
                if c == style.decimal {
                    scratch[count] = UInt8(ascii: ".")
                } else if c == UInt8(ascii: ".") && style.decimal != UInt8(ascii: ".") {
                    return nil
                } else {
                    scratch[count] = c
                }
                count += 1
                index += 1
            }
            return body(UnsafeBufferPointer(start: scratch.baseAddress, count: count))
        }
    }

    // MARK: Strings

    /// `local@domain.tld`: one `@`, no spaces, a dotted domain of letters, digits and hyphens
    /// whose last label has two or more letters.
    static func isEmail(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else { return false }
        for index in 0..<at {
            let c = bytes[index]
            if isSpace(c) || c == UInt8(ascii: "@") || c < 0x20 { return false }
        }
        var labelLength = 0
        var labels = 0
        var lastLabelLetters = true
        for index in (at + 1)..<bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: ".") {
                if labelLength == 0 { return false }
                labels += 1
                labelLength = 0
                lastLabelLetters = true
                continue
            }
            let isLetter = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
            guard isLetter || NumberSyntax.isDigit(c) || c == UInt8(ascii: "-") || c >= 0x80 else { return false }
            if !isLetter && c < 0x80 { lastLabelLetters = false }
            labelLength += 1
        }
        return labels >= 1 && labelLength >= 2 && lastLabelLetters
    }

    /// `scheme:rest`, the scheme a letter followed by letters, digits, `+`, `-` or `.`, and
    /// no white space anywhere.
    static func isURI(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon < bytes.count - 1 else { return false }
        for index in 0..<colon {
            let c = bytes[index]
            let isLetter = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
            if index == 0 ? !isLetter : !(isLetter || NumberSyntax.isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")) { return false }
        }
        return !bytes.contains(where: { isSpace($0) || $0 < 0x20 })
    }

    /// `8-4-4-4-12` hexadecimal digits.
    static func isUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 36 else { return false }
        for index in 0..<36 {
            let c = bytes[index]
            if index == 8 || index == 13 || index == 18 || index == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !(NumberSyntax.isDigit(c) || ((c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f"))) {
                return false
            }
        }
        return true
    }

    /// Base64 as Python's lenient `b64decode` reads it: characters outside the alphabet are
    /// skipped, and what remains must come in groups of four.
    static func isBase64(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var count = 0
        for c in bytes {
            let isLetter = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
            if isLetter || NumberSyntax.isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "/") || c == UInt8(ascii: "=") { count += 1 }
        }
        return count % 4 == 0
    }

    // MARK: Dates and times

    /// Layouts tried, in order, for the `any` format (month before day, as dateutil reads).
    static let anyDateLayouts: [TemporalPattern] = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y", "%b %d %Y", "%b %d, %Y"].map { try! TemporalPattern($0) }
    static let anyTimeLayouts: [TemporalPattern] = ["%H:%M:%S", "%H:%M", "%H:%M:%S.%f"].map { try! TemporalPattern($0) }
    static let anyDatetimeLayouts: [TemporalPattern] = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"].map { try! TemporalPattern($0) }

    static func date(_ bytes: UnsafeBufferPointer<UInt8>, _ format: CellParser.TemporalFormat) -> Int64? {
        switch format {
        case .iso:
            if case .some(let days) = isoDateOfTenBytes(bytes) { return days }
            return isoDate.match(bytes)?.days
        case .pattern(let pattern):
            return pattern.match(bytes)?.days
        case .any:
            for layout in anyDateLayouts { if let days = layout.match(bytes)?.days { return days } }
            if let seconds = datetime(bytes, .any) { return Int64((seconds / 86_400).rounded(.down)) }
            return nil
        }
    }

    static let isoDate = try! TemporalPattern("%Y-%m-%d")

    /// A date of the form `YYYY-MM-DD` with every digit present, which nearly every date cell
    /// has, read without walking `isoDate`'s tokens: the same parts, so `.some` of the same
    /// day or the same nil. `.none` for any other form, which `isoDate` then reads.
    @inline(__always)
    static func isoDateOfTenBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64?? {
        guard let parts = isoDatePartsOfTenBytes(bytes) else { return .none }
        // `days` refuses a month outside 1-12 and a day outside the month, as `match` does.
        return .some(parts.days)
    }

    /// The parts of a `YYYY-MM-DD` cell with every digit present; nil for any other form.
    @inline(__always)
    static func isoDatePartsOfTenBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> TemporalParts? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        // A byte that is not a digit gives a value above 9 (the subtraction wraps).
        @inline(__always) func digit(_ index: Int) -> Int64 { Int64(bytes[index] &- UInt8(ascii: "0")) }
        let (y0, y1, y2, y3, m0, m1, d0, d1) = (digit(0), digit(1), digit(2), digit(3), digit(5), digit(6), digit(8), digit(9))
        guard y0 < 10, y1 < 10, y2 < 10, y3 < 10, m0 < 10, m1 < 10, d0 < 10, d1 < 10 else { return nil }
        return TemporalParts(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)
    }

    static func datetime(_ bytes: UnsafeBufferPointer<UInt8>, _ format: CellParser.TemporalFormat) -> Double? {
        switch format {
        case .iso:
            return ISOTemporal.datetime(bytes)
        case .pattern(let pattern):
            return pattern.match(bytes).flatMap(seconds)
        case .any:
            if let value = ISOTemporal.datetime(bytes) { return value }
            for layout in anyDatetimeLayouts + anyDateLayouts {
                if let value = layout.match(bytes).flatMap(seconds) { return value }
            }
            return nil
        }
    }

    static func time(_ bytes: UnsafeBufferPointer<UInt8>, _ format: CellParser.TemporalFormat) -> Double? {
        switch format {
        case .iso:
            return ISOTemporal.time(bytes)
        case .pattern(let pattern):
            return pattern.match(bytes)?.secondsOfDay
        case .any:
            if let value = ISOTemporal.time(bytes) { return value }
            for layout in anyTimeLayouts { if let value = layout.match(bytes)?.secondsOfDay { return value } }
            return nil
        }
    }

    private static func seconds(_ parts: TemporalParts) -> Double? {
        parts.days.map { Double($0) * 86_400 + parts.secondsOfDay }
    }

    /// `YYYY-M` or `YYYY-MM` with a month from 1 to 12.
    static func yearmonth(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")), dash > 0,
              let year = NumberSyntax.integer(UnsafeBufferPointer(rebasing: bytes[0..<dash])),
              let month = NumberSyntax.integer(UnsafeBufferPointer(rebasing: bytes[(dash + 1)...])),
              month >= 1, month <= 12 else { return nil }
        return year * 12 + month - 1
    }
}
