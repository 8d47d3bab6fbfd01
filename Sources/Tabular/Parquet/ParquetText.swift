/// Writes Parquet values as the text a Table Schema cell holds, so every consumer of
/// `TableReader` (validation, profiles, training) reads Parquet exactly as it reads CSV:
/// integers in decimal, floats in their shortest round-tripping form (`NaN`, `INF`),
/// booleans `true`/`false`, dates `YYYY-MM-DD`, times `hh:mm:ss[.f]`, timestamps
/// `YYYY-MM-DDThh:mm:ss[.f]` with `Z` when UTC-adjusted, decimals with their scale, strings
/// as their UTF-8 bytes, UUIDs in 8-4-4-4-12 form and other binary values in base64.
struct ParquetText {
    let column: ParquetColumn

    /// Renders each value of `values` (decoded for this column) as text.
    func render(_ values: ParquetValues) throws -> ByteValues {
        var out = ByteValues()
        switch values {
        case .booleans(let v):
            out.reserve(values: v.count, bytes: v.count * 5)
            for b in v { out.append(contentsOf: b ? Self.trueText : Self.falseText) }
        case .int32s(let v):
            out.reserve(values: v.count, bytes: v.count * 8)
            for x in v { try writeInteger(Int64(x), unsignedBits: 32, into: &out) }
        case .int64s(let v):
            out.reserve(values: v.count, bytes: v.count * 12)
            for x in v { try writeInteger(x, unsignedBits: 64, into: &out) }
        case .int96s(let v):
            out.reserve(values: v.count, bytes: v.count * 29)
            for x in v {
                // Impala's legacy timestamp: Julian day and nanoseconds of that day, no zone.
                let days = Int64(x.julianDay) - 2_440_588
                Self.appendTimestamp(days &* 86_400_000_000_000 &+ x.nanos, unit: .nanos, utc: false, into: &out.data)
                out.offsets.append(out.data.count)
            }
        case .floats(let v):
            out.reserve(values: v.count, bytes: v.count * 10)
            for x in v { Self.appendFloatingPoint(x.isFinite ? x.description : nil, Double(x), into: &out) }
        case .doubles(let v):
            out.reserve(values: v.count, bytes: v.count * 12)
            for x in v { Self.appendFloatingPoint(x.isFinite ? x.description : nil, x, into: &out) }
        case .bytes(let v):
            out.reserve(values: v.count, bytes: v.data.count)
            for i in 0..<v.count { try v.withValue(i) { try writeBytes($0, into: &out) } }
        }
        return out
    }

    /// How booleans are written (also what `CellParser.value(of:)` reads a stored one as).
    static let trueText = Array("true".utf8)
    static let falseText = Array("false".utf8)

    // MARK: - Integers and what they annotate

    private func writeInteger(_ x: Int64, unsignedBits: Int, into out: inout ByteValues) throws {
        switch column.logical {
        case .integer(_, signed: false)?:
            let unsigned = unsignedBits == 32 ? UInt64(UInt32(truncatingIfNeeded: x)) : UInt64(bitPattern: x)
            out.append(contentsOf: String(unsigned).utf8)
        case .date?:
            Self.appendDate(days: x, into: &out.data)
            out.offsets.append(out.data.count)
        case .time(let unit, _)?:
            Self.appendTime(ticks: x, unit: unit, into: &out.data)
            out.offsets.append(out.data.count)
        case .timestamp(let unit, let utc)?:
            Self.appendTimestamp(x, unit: unit, utc: utc, into: &out.data)
            out.offsets.append(out.data.count)
        case .decimal(let scale, _)?:
            Self.appendDecimal(magnitude: x.magnitude.words.map { UInt64($0) }, negative: x < 0, scale: scale, into: &out)
        default:
            out.append(contentsOf: String(x).utf8)
        }
    }

    // MARK: - Byte arrays

    private func writeBytes(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout ByteValues) throws {
        switch column.logical {
        case .string?, .enumeration?, .json?:
            out.append(bytes)
        case .decimal(let scale, _)?:
            let (magnitude, negative) = Self.twosComplementMagnitude(bigEndian: bytes)
            Self.appendDecimal(magnitude: magnitude, negative: negative, scale: scale, into: &out)
        case .uuid? where bytes.count == 16:
            var text: [UInt8] = []
            for (i, b) in bytes.enumerated() {
                if [4, 6, 8, 10].contains(i) { text.append(UInt8(ascii: "-")) }
                text.append(Self.hexDigits[Int(b >> 4)])
                text.append(Self.hexDigits[Int(b & 0x0F)])
            }
            out.append(contentsOf: text)
        case .float16? where bytes.count == 2:
            let value = Float(Float16(bitPattern: UInt16(bytes[0]) | UInt16(bytes[1]) << 8))
            Self.appendFloatingPoint(value.isFinite ? Float16(value).description : nil, Double(value), into: &out)
        default:
            out.append(contentsOf: Self.base64(bytes))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let base64Digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var chunk = UInt32(bytes[i]) << 16
            if n > 1 { chunk |= UInt32(bytes[i + 1]) << 8 }
            if n > 2 { chunk |= UInt32(bytes[i + 2]) }
            for k in 0..<4 {
                text.append(k <= n ? base64Digits[Int(chunk >> UInt32(18 - 6 * k) & 0x3F)] : UInt8(ascii: "="))
            }
            i += 3
        }
        return text
    }

    // MARK: - Floating point

    /// Finite values in Swift's shortest round-tripping form; the rest as Table Schema spells them.
    private static func appendFloatingPoint(_ finite: String?, _ value: Double, into out: inout ByteValues) {
        if let finite {
            out.append(contentsOf: finite.utf8)
        } else if value.isNaN {
            out.append(contentsOf: "NaN".utf8)
        } else {
            out.append(contentsOf: (value < 0 ? "-INF" : "INF").utf8)
        }
    }

    // MARK: - Decimals

    /// A big-endian two's-complement integer as a magnitude in 64-bit words (least significant first).
    static func twosComplementMagnitude(bigEndian bytes: UnsafeBufferPointer<UInt8>) -> (words: [UInt64], negative: Bool) {
        let negative = (bytes.first ?? 0) & 0x80 != 0
        var words = [UInt64](repeating: 0, count: (bytes.count + 7) / 8)
        for (i, b) in bytes.reversed().enumerated() {
            words[i / 8] |= UInt64(negative ? ~b : b) << (8 * UInt64(i % 8))
        }
        if negative {  // magnitude = ~x + 1
            for i in words.indices {
                let (sum, carry) = words[i].addingReportingOverflow(1)
                words[i] = sum
                if !carry { break }
            }
            // Bits above the byte width were never set, so the complement of the padding is 0.
            let extra = words.count * 8 - bytes.count
            if extra > 0 { words[words.count - 1] &= UInt64.max >> (8 * UInt64(extra)) }
        }
        return (words, negative)
    }

    /// Writes an unscaled integer with `scale` digits after the point.
    static func appendDecimal(magnitude: [UInt64], negative: Bool, scale: Int, into out: inout ByteValues) {
        var words = magnitude
        var digits: [UInt8] = []
        // Repeated division by 10 across the words, most significant first.
        repeat {
            var remainder: UInt64 = 0
            for i in words.indices.reversed() {
                let (quotient, rest) = (10 as UInt64).dividingFullWidth((remainder, words[i]))
                words[i] = quotient
                remainder = rest
            }
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
        } while words.contains(where: { $0 != 0 })
        while digits.count <= scale { digits.append(UInt8(ascii: "0")) }
        var text: [UInt8] = negative && digits.contains(where: { $0 != UInt8(ascii: "0") }) ? [UInt8(ascii: "-")] : []
        for (i, d) in digits.enumerated().reversed() {
            text.append(d)
            if i == scale && scale > 0 { text.append(UInt8(ascii: ".")) }
        }
        out.append(contentsOf: text)
    }

    // MARK: - Dates and times

    static func appendDate(days: Int64, into text: inout [UInt8]) {
        let (y, m, d) = CalendarMath.civil(days: days)
        appendPadded(y, 4, into: &text)
        text.append(UInt8(ascii: "-"))
        appendPadded(m, 2, into: &text)
        text.append(UInt8(ascii: "-"))
        appendPadded(d, 2, into: &text)
    }

    static func appendTime(ticks: Int64, unit: ParquetTimeUnit, into text: inout [UInt8]) {
        let seconds = floorDivide(ticks, unit.perSecond)
        let fraction = ticks - seconds * unit.perSecond
        appendPadded(seconds / 3600, 2, into: &text)
        text.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, 2, into: &text)
        text.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, 2, into: &text)
        appendFraction(fraction, unit: unit, into: &text)
    }

    static func appendTimestamp(_ ticks: Int64, unit: ParquetTimeUnit, utc: Bool, into text: inout [UInt8]) {
        let seconds = floorDivide(ticks, unit.perSecond)
        let days = floorDivide(seconds, 86_400)
        appendDate(days: days, into: &text)
        text.append(UInt8(ascii: "T"))
        appendTime(ticks: ticks - days * 86_400 * unit.perSecond, unit: unit, into: &text)
        if utc { text.append(UInt8(ascii: "Z")) }
    }

    /// `.fff`, `.ffffff` or `.fffffffff` by unit, trailing zeros dropped; nothing when zero.
    private static func appendFraction(_ fraction: Int64, unit: ParquetTimeUnit, into text: inout [UInt8]) {
        guard fraction != 0 else { return }
        var width = unit == .millis ? 3 : unit == .micros ? 6 : 9
        var value = fraction
        while value % 10 == 0 { value /= 10; width -= 1 }
        text.append(UInt8(ascii: "."))
        appendPadded(value, width, into: &text)
    }

    private static func appendPadded(_ value: Int64, _ width: Int, into text: inout [UInt8]) {
        if value < 0 { text.append(UInt8(ascii: "-")) }
        let digits = String(value.magnitude).utf8
        if digits.count < width { text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        text.append(contentsOf: digits)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
