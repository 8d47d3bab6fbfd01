import Foundation

// Reading one plain CSV file's records, or one byte share's, in chunks (`CSVChunks`) that
// several threads read at once.
extension TableReader {
    /// The chunks of about `chunkBytes` that the records after the header can be read in, or
    /// nil when they cannot: input other than one plain, uncompressed CSV file on disk with a
    /// header (or a byte share of one), such as gzip, JSON Lines, Parquet, standard input or
    /// a dataset; a reader past its first record; records of one chunk's size or less.
    public func chunks(of chunkBytes: Int, threads: Int) throws -> CSVChunks? {
        guard source.format == .csv, source.hasHeader, source.path != "-", dataset == nil, recordNumber == 0,
              let start = nextRecordOffset else { return nil }
        let fileSize = try FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int ?? 0
        let recordsEnd = byteShare?.range.upperBound ?? fileSize
        guard recordsEnd - start > chunkBytes else { return nil }
        // What the header's read took in past the records' start is read again by the chunks.
        let bytesBefore = bytesConsumed - (end - position)
        return try CSVChunks.plan(source, header: header, byteShare: byteShare, range: start..<recordsEnd, bytesBefore: bytesBefore, fileSize: fileSize, chunkBytes: chunkBytes, threads: threads)
    }

    /// A reader of `chunks`' records from byte `start`, which must be where a record starts,
    /// to the end of their range; its caller stops at the chunk's `stop(of:)`. The header is
    /// the one given; lines count from `firstLine` and records after `firstRecord`.
    public convenience init(chunkOf chunks: CSVChunks, from start: Int, stop: Int, firstLine: Int, firstRecord: Int) throws {
        // A small chunk gets a small buffer (it grows for a long record as usual).
        let capacity = min(1 << 20, max(1 << 12, stop - start + (1 << 12)))
        let bytes = try ByteSource(path: chunks.source.path, range: start..<max(start, chunks.range.upperBound))
        self.init(chunks.source, bytes: bytes, share: chunks.byteShare?.share, dataset: nil, capacity: capacity)
        header = chunks.header
        byteShare = chunks.byteShare
        nextLine = firstLine
        recordNumber = firstRecord
    }

    /// Where the next record starts, as a byte offset in a plain file (nil for gzip): after
    /// the header, where the records do.
    public var nextRecordOffset: Int? { bytes.filePosition.map { $0 - (end - position) } }

    /// The physical line the next record starts on.
    public var nextRecordLine: Int { nextLine }
}
