/// A cell's value as a typed file format (Parquet) stores it, beside the text the reader
/// shows for it (`TableReader.field(_:)`). A reader that wants the value can take it from
/// here and skip parsing the text back: `CellParser.value(of:)` turns it into the value the
/// text would parse to.
public enum StoredValue: Equatable, Sendable {
    /// A signed integer column (Parquet INT32 or INT64 with no date, time or decimal meaning).
    case integer(Int64)
    /// A DOUBLE column.
    case double(Double)
    /// A BOOLEAN column.
    case boolean(Bool)
}

extension StoredValue {
    /// The number this value's text reads as (`NumberSyntax.double`), without the text:
    /// nil for a boolean, a NaN or infinite double (their words go through the text) and an
    /// integer beyond 2^53, whose text rounds on its own terms.
    @inlinable
    public var number: Double? {
        switch self {
        case .integer(let x): return x.magnitude <= 1 << 53 ? Double(x) : nil
        case .double(let x): return x.isFinite ? x : nil
        case .boolean: return nil
        }
    }
}
