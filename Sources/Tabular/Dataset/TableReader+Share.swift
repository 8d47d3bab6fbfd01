// Reading one share of a plain CSV file: its header from the file's start, then only the
// bytes of its range (`CSVByteShare`).
extension TableReader {
    /// Moves a reader that has read the header to the first record of its share's range.
    /// Row numbers and lines start again from the range's start (for the first share, they
    /// go on from the header, as in a single pass).
    func startByteShare(_ share: TableShare) throws {
        let dataStart: Int
        if source.hasHeader {
            dataStart = position
        } else {
            // The first record was read for the width only; it is data, read again below.
            dataStart = end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
        }
        let plan = try CSVByteShare.plan(share, path: source.path, dataStart: dataStart, delimiter: source.delimiter, quote: source.quote)
        bytesBeforeShare = bytes.offset + plan.scannedBytes
        bytes = try ByteSource(path: source.path, range: plan.range)
        byteShare = plan
        position = 0
        end = 0
        atEOF = false
        replayCurrentRecord = false
        if share.index > 0 || !source.hasHeader { nextLine = 1 }
    }

    /// The next record of a share's range. A quoted field still open at the range's end
    /// means the range was not cut at a record start (see `CSVByteShare`), unless the
    /// range ends with the file, where it is the data's own open quote.
    func nextRecordOfByteShare(_ plan: CSVByteShare) throws -> Bool {
        do {
            return try nextDelimitedRecord()
        } catch let error as TableReadError {
            guard !plan.endsAtFileEnd, case .unterminatedQuote(let line) = error.kind else { throw error }
            throw TableReadError(path: source.path, kind: .shareEndsInQuotedField(share: plan.share, line: line, end: plan.range.upperBound))
        }
    }
}

// Where a share's numbers start, for putting shares' results together (`validate merge`).
extension TableReader {
    /// Rows before this share that its record numbers already count: earlier row groups or
    /// Parquet files, whose footers give their row counts. 0 otherwise.
    public var rowsBeforeShare: Int { dataset?.rowsBefore ?? parquetRows.map { Int($0.rowsBefore) } ?? 0 }

    /// Whether record numbers (and, outside a dataset, lines) count from this share's first
    /// record rather than the table's: a later share of one CSV's bytes, or of a dataset of
    /// text files, whose earlier rows cannot be counted without reading them.
    public var numbersCountFromShareStart: Bool {
        if let byteShare { return byteShare.share.index > 0 }
        if let dataset { return dataset.selected.lowerBound > 0 && dataset.files.format != .parquet }
        return false
    }

    /// Physical lines read so far in the current file (for a share of one CSV, in its range,
    /// with the header's for the first share).
    public var linesRead: Int { nextLine - 1 }
}
