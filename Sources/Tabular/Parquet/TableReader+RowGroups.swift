// Reading one Parquet file's row groups on several threads: a reader per row group, each
// with a descriptor of its own, rows numbered as in the whole file.
extension TableReader {
    /// Parquet, one file: the row groups this reader reads (its share's), which
    /// `init(rowGroup:of:)` readers can read apart; nil for other formats, for datasets and
    /// once a row has been read.
    public var parquetRowGroups: Range<Int>? {
        guard dataset == nil, recordNumber == rowsBeforeShare, let rows = parquetRows else { return nil }
        return rows.rowGroups
    }

    /// A reader of row group `group` (one of `reader.parquetRowGroups`) of the Parquet file
    /// `reader` reads, with its header; its rows are numbered as in the whole file, and it
    /// counts only the bytes of its own pages as read.
    public convenience init(rowGroup group: Int, of reader: TableReader) throws {
        guard let whole = reader.parquetRows else { preconditionFailure("init(rowGroup:of:) needs a Parquet reader") }
        self.init(reader.source, bytes: try ByteSource(path: reader.source.path), share: nil, dataset: nil, capacity: 1 << 12)
        let rows = ParquetRowReader(try whole.parquet.reopened(), rowGroups: group..<group + 1)
        parquetRows = rows
        header = reader.header
        recordNumber = Int(rows.rowsBefore)
    }
}
