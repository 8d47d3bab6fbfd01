/// Something that sees every record of a pass another component drives, so one read of a
/// file can serve several jobs (for example a profiler riding along validation).
public protocol RecordObserver: AnyObject {
    /// Called once before the first record, with the reader positioned after the header.
    func begin(_ reader: TableReader) throws
    /// Called for each record, while the reader's field views are valid.
    func observe(_ reader: TableReader)
    /// Called once after the last record.
    func finish() throws
}

/// An observer that needs only how far a pass has read, not the records: it can ride along
/// a pass whose chunks several threads read (which calls `advanced(to:)` in place of
/// `observe(_:)`).
public protocol ProgressObserver: RecordObserver {
    /// The bytes read so far, as `TableReader.bytesConsumed` counts them; called as a
    /// parallel pass merges each chunk.
    func advanced(to bytes: Int)
}

/// An observer that takes the numbers a validation pass has already read from a record's
/// cells instead of reading them again (`validate --profile`).
public protocol NumberReusingObserver: RecordObserver {
    /// Called in place of `observe(_:)`, once the pass has checked the record. `numbers[c]`
    /// is what cell c of a `number` or `integer` column read as, the schema field's way
    /// (white space around it trimmed; an integer as its `Int64`, so "-0" reads 0); NaN
    /// where the pass read no number (other columns, missing or unreadable cells).
    func observe(_ reader: TableReader, numbers: UnsafeBufferPointer<Double>)
}
