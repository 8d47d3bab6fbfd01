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
