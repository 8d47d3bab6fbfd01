/// The pieces of a date, time or datetime read from a cell.
struct TemporalParts {
    var year: Int64 = 1900
    var month: Int64 = 1
    var day: Int64 = 1
    var hour: Int64 = 0
    var minute: Int64 = 0
    var second: Int64 = 0
    var fraction: Double = 0
    /// Offset from UTC in seconds, when the cell has one.
    var offset: Int64?

    /// Days since 1970-01-01, or nil when the day does not exist in that month.
    var days: Int64? {
        guard isDay else { return nil }
        return CalendarMath.days(year: year, month: month, day: day)
    }

    /// Whether the day exists in that month (`days` is not nil).
    @inline(__always)
    var isDay: Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= CalendarMath.daysInMonth(year: year, month: month)
    }

    /// Seconds since midnight, shifted to UTC when there is an offset.
    var secondsOfDay: Double {
        Double(hour * 3600 + minute * 60 + second - (offset ?? 0)) + fraction
    }
}

/// A strptime-style pattern (`%d/%m/%Y %H:%M`), compiled once per field and matched
/// against cell bytes without building strings. Follows Python's `strptime`, which
/// frictionless uses: numeric directives take one or two digits (`%Y` four), a space in the
/// pattern matches one or more spaces, and the whole cell must match.
struct TemporalPattern: Equatable, Sendable {
    enum Token: Equatable, Sendable {
        case literal(UInt8)
        case space
        case year4, year2, month, day, hour, minute, second, fraction, offset
        case monthName
    }

    let tokens: [Token]

    /// The directives a pattern may use, for error messages.
    static let supportedDirectives = "%Y %y %m %d %H %M %S %f %z %b %B %%"

    /// Compiles `format`; the error names the directive Sluice does not read.
    init(_ format: String) throws(PatternError) {
        var tokens: [Token] = []
        var bytes = Array(format.utf8)[...]
        while let c = bytes.popFirst() {
            if c == UInt8(ascii: "%") {
                guard let directive = bytes.popFirst() else { throw PatternError(directive: "%") }
                switch directive {
                case UInt8(ascii: "Y"): tokens.append(.year4)
                case UInt8(ascii: "y"): tokens.append(.year2)
                case UInt8(ascii: "m"): tokens.append(.month)
                case UInt8(ascii: "d"): tokens.append(.day)
                case UInt8(ascii: "H"): tokens.append(.hour)
                case UInt8(ascii: "M"): tokens.append(.minute)
                case UInt8(ascii: "S"): tokens.append(.second)
                case UInt8(ascii: "f"): tokens.append(.fraction)
                case UInt8(ascii: "z"): tokens.append(.offset)
                case UInt8(ascii: "b"), UInt8(ascii: "B"): tokens.append(.monthName)
                case UInt8(ascii: "%"): tokens.append(.literal(UInt8(ascii: "%")))
                default: throw PatternError(directive: "%" + String(decoding: [directive], as: UTF8.self))
                }
            } else if c == UInt8(ascii: " ") {
                if tokens.last != .space { tokens.append(.space) }
            } else {
                tokens.append(.literal(c))
            }
        }
        self.tokens = tokens
    }

    struct PatternError: Error, Equatable {
        let directive: String
    }

    /// Matches the whole cell; nil when it does not fit the pattern.
    func match(_ bytes: UnsafeBufferPointer<UInt8>) -> TemporalParts? {
        var parts = TemporalParts()
        var i = 0
        let n = bytes.count
        for token in tokens {
            switch token {
            case .literal(let c):
                guard i < n, bytes[i] == c else { return nil }
                i += 1
            case .space:
                guard i < n, bytes[i] == UInt8(ascii: " ") else { return nil }
                while i < n, bytes[i] == UInt8(ascii: " ") { i += 1 }
            case .year4:
                guard let v = Self.digits(bytes, &i, min: 4, max: 4) else { return nil }
                parts.year = v
            case .year2:
                guard let v = Self.digits(bytes, &i, min: 2, max: 2) else { return nil }
                parts.year = v < 69 ? 2000 + v : 1900 + v
            case .month:
                guard let v = Self.digits(bytes, &i, min: 1, max: 2), v >= 1, v <= 12 else { return nil }
                parts.month = v
            case .day:
                guard let v = Self.digits(bytes, &i, min: 1, max: 2), v >= 1, v <= 31 else { return nil }
                parts.day = v
            case .hour:
                guard let v = Self.digits(bytes, &i, min: 1, max: 2), v <= 23 else { return nil }
                parts.hour = v
            case .minute:
                guard let v = Self.digits(bytes, &i, min: 1, max: 2), v <= 59 else { return nil }
                parts.minute = v
            case .second:
                guard let v = Self.digits(bytes, &i, min: 1, max: 2), v <= 61 else { return nil }
                parts.second = min(v, 59)
            case .fraction:
                let start = i
                guard let v = Self.digits(bytes, &i, min: 1, max: 6) else { return nil }
                parts.fraction = Double(v) / pow10(i - start)
            case .offset:
                guard let offset = Self.offset(bytes, &i) else { return nil }
                parts.offset = offset
            case .monthName:
                guard let v = Self.monthName(bytes, &i) else { return nil }
                parts.month = v
            }
        }
        return i == n ? parts : nil
    }

    /// Reads `min...max` ASCII digits at `i`.
    @inline(__always)
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, min: Int, max: Int) -> Int64? {
        var value: Int64 = 0
        var count = 0
        while count < max, i < bytes.count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            if digit > 9 { break }
            value = value * 10 + Int64(digit)
            i += 1
            count += 1
        }
        return count >= min ? value : nil
    }

    /// Reads `Z`, `±HH`, `±HHMM` or `±HH:MM` at `i`, as seconds east of UTC.
    static func offset(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Int64? {
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "Z") { i += 1; return 0 }
        let sign: Int64
        switch bytes[i] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        i += 1
        guard let hours = digits(bytes, &i, min: 2, max: 2), hours <= 23 else { return nil }
        var minutes: Int64 = 0
        if i < bytes.count {
            if bytes[i] == UInt8(ascii: ":") { i += 1 }
            guard let m = digits(bytes, &i, min: 2, max: 2), m <= 59 else { return nil }
            minutes = m
        }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static let monthNames: [[UInt8]] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"].map { Array($0.utf8) }

    /// Reads an English month name, full or abbreviated to three letters, any case.
    static func monthName(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Int64? {
        var best: (month: Int64, length: Int)?
        for (index, name) in monthNames.enumerated() {
            var length = 0
            while length < name.count, i + length < bytes.count, bytes[i + length] | 0x20 == name[length] { length += 1 }
            if length == name.count || length == 3, best == nil || length > best!.length {
                best = (Int64(index + 1), length)
            }
        }
        guard let best else { return nil }
        i += best.length
        return best.month
    }
}

/// 10 to the power `n`, for fractional seconds.
@inline(__always)
func pow10(_ n: Int) -> Double {
    var value = 1.0
    for _ in 0..<n { value *= 10 }
    return value
}

/// ISO 8601 as frictionless's default `datetime` and `time` read it (dateutil's `isoparse`):
/// `YYYY-MM-DD`, any one separator byte, `HH:MM:SS`, an optional fraction of any length and
/// an optional offset (`Z`, `±HH`, `±HHMM`, `±HH:MM`). `24:00:00` is the next midnight.
enum ISOTemporal {
    /// Parses a default-format datetime: seconds since the epoch.
    static func datetime(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        // frictionless insists on seconds being present: a ':' at index 16 and 19+ bytes.
        guard bytes.count >= 19, bytes[16] == UInt8(ascii: ":") else { return nil }
        var i = 0
        guard let year = TemporalPattern.digits(bytes, &i, min: 4, max: 4), take(bytes, &i, "-"),
              let month = TemporalPattern.digits(bytes, &i, min: 2, max: 2), take(bytes, &i, "-"),
              let day = TemporalPattern.digits(bytes, &i, min: 2, max: 2) else { return nil }
        var parts = TemporalParts(year: year, month: month, day: day)
        i += 1  // the separator, any byte
        guard time(bytes, &i, into: &parts), i == bytes.count, let days = parts.days else { return nil }
        return Double(days) * 86_400 + parts.secondsOfDay
    }

    /// Parses a default-format time: seconds since midnight (UTC when an offset is given).
    static func time(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count >= 8, bytes[5] == UInt8(ascii: ":") else { return nil }
        var i = 0
        var parts = TemporalParts()
        guard time(bytes, &i, into: &parts), i == bytes.count else { return nil }
        let seconds = parts.secondsOfDay
        return seconds - (seconds / 86_400).rounded(.down) * 86_400
    }

    /// Reads `HH:MM:SS[.fff][offset]`.
    private static func time(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, into parts: inout TemporalParts) -> Bool {
        guard let hour = TemporalPattern.digits(bytes, &i, min: 2, max: 2), take(bytes, &i, ":"),
              let minute = TemporalPattern.digits(bytes, &i, min: 2, max: 2), take(bytes, &i, ":"),
              let second = TemporalPattern.digits(bytes, &i, min: 2, max: 2) else { return false }
        guard minute <= 59, second <= 59, hour <= 23 || (hour == 24 && minute == 0 && second == 0) else { return false }
        parts.hour = hour
        parts.minute = minute
        parts.second = second
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
            i += 1
            let start = i
            var value: Int64 = 0
            while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 {
                if i - start < 6 { value = value * 10 + Int64(bytes[i] &- UInt8(ascii: "0")) }
                i += 1
            }
            guard i > start else { return false }
            parts.fraction = Double(value) / pow10(min(i - start, 6))
        }
        if i < bytes.count {
            // dateutil's isoparse reads a lowercase `z` as UTC too (strptime's %z does not).
            if bytes[i] == UInt8(ascii: "z") {
                i += 1
                parts.offset = 0
                return true
            }
            guard let offset = TemporalPattern.offset(bytes, &i) else { return false }
            parts.offset = offset
        }
        return true
    }

    /// Whether a default-format datetime cell carries an offset (`Z`, `z`, `±HH[:MM]`)
    /// after its seconds and fraction; false for a naive one.
    static func hasOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > 19 else { return false }
        var i = 19
        if bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
            i += 1
            while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        }
        return i < bytes.count
    }

    @inline(__always)
    private static func take(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ c: Unicode.Scalar) -> Bool {
        guard i < bytes.count, bytes[i] == UInt8(ascii: c) else { return false }
        i += 1
        return true
    }
}
