/// A record observer that can take a Parquet file's rows a batch at a time instead of one
/// record at a time, so a pass that reads in batches (`TableReader.parquetBatch(limit:)`)
/// need not build every row for it (a profiler riding along validation).
public protocol ParquetBatchObserver: RecordObserver {
    /// Whether this observer, as set up, takes batches; if not, the pass gives it every record.
    var acceptsParquetBatches: Bool { get }
    /// Sees the `rows` rows of the reader's current batch (`TableReader.parquetCells(_:)`),
    /// before the pass moves through them; in place of `observe(_:)` for each of them.
    func observeParquetBatch(_ reader: TableReader, rows: Int)
}
