/// A cell's value after parsing it as its field's type.
///
/// Strings carry no payload: their value is the cell's bytes, which the caller already
/// holds, so parsing a string field allocates nothing. Temporal values are plain numbers so
/// that constraint checks and profiles compare them cheaply.
public enum CellValue: Hashable, Sendable {
    /// A `string` or `any` cell; the value is the cell's bytes.
    case text
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
    /// Days since 1970-01-01 (proleptic Gregorian).
    case date(Int64)
    /// Seconds since 1970-01-01T00:00:00Z; a value without an offset is read as UTC.
    case datetime(Double)
    /// Seconds since midnight, shifted to UTC when the value has an offset.
    case time(Double)
    case year(Int64)
    /// Months since year 0: `year * 12 + month - 1`.
    case yearmonth(Int64)

    /// The value as a number on its type's own scale (days, seconds, months...), for
    /// ordering and statistics; nil for text and booleans.
    @inlinable
    public var numeric: Double? {
        switch self {
        case .text, .boolean: return nil
        case .integer(let v), .date(let v), .year(let v), .yearmonth(let v): return Double(v)
        case .number(let v), .datetime(let v), .time(let v): return v
        }
    }

    /// Whether the value is a number that is not a number (NaN), which orders against nothing.
    @inlinable
    public var isNaN: Bool {
        if case .number(let v) = self { return v.isNaN }
        return false
    }

    /// Orders two values of the same field: negative, zero or positive; nil when they do not
    /// compare (text, booleans, NaN, or different kinds).
    @inlinable
    public static func compare(_ a: CellValue, _ b: CellValue) -> Int? {
        switch (a, b) {
        case let (.integer(x), .integer(y)), let (.date(x), .date(y)), let (.year(x), .year(y)), let (.yearmonth(x), .yearmonth(y)):
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.integer, .number), (.number, .integer), (.number, .number), (.datetime, .datetime), (.time, .time):
            guard let x = a.numeric, let y = b.numeric, !x.isNaN, !y.isNaN else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        default:
            return nil
        }
    }
}
