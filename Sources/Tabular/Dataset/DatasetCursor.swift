/// A `TableReader`'s place in a dataset: which file it reads, and the partition columns
/// appended to every record.
///
/// Every file must have the first file's columns, in the same order; the partition keys
/// follow them in the header. Record numbers run on across files, so errors carry both the
/// dataset's row and the file's own line (`currentFile`, `TableReader.line`). A share reads
/// a contiguous run of the files; its record numbers start after the files before it when
/// their row counts are known without reading them (Parquet footers), else at 1.
public final class DatasetCursor {
    public let files: DatasetFiles
    /// Indices in `files.files` of the files this reader reads (all, or its share's).
    public let selected: Range<Int>
    /// Rows in the dataset's files before `selected` (0 when not known: text files).
    let rowsBefore: Int
    /// Index of the file being read in `files.files`.
    public private(set) var fileIndex: Int
    /// The columns each file holds (the header less the partition keys).
    public private(set) var fileHeader: [String] = []
    /// Bytes consumed in the files already read.
    private var finishedBytes = 0
    /// The current record with its partition values, when the dataset has partitions.
    private var row: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 12

    init(_ files: DatasetFiles, share: TableShare?) throws {
        self.files = files
        let all = 0..<files.files.count
        selected = share?.units(sizes: files.files.map(\.size)) ?? all
        if files.format == .parquet {
            rowsBefore = try files.files[0..<selected.lowerBound].reduce(0) { $0 + Int(try ParquetFile(path: $1.path).metadata.rowCount) }
        } else {
            rowsBefore = 0
        }
        // A share with no file still opens the first one for its columns, and reads no row.
        fileIndex = selected.isEmpty ? 0 : selected.lowerBound
        row = .allocate(capacity: capacity)
    }

    deinit { row.deallocate() }

    /// The path of the file being read.
    public var currentFile: String { files.files[fileIndex].path }

    /// The partition values of the file being read, in `files.partitionKeys` order: the
    /// last columns of its records.
    public var partitionValues: [String] { files.files[fileIndex].partitionValues }

    /// The settings of `base` (delimiter, quote, header) applied to file `index`; the
    /// delimiter follows the file's name unless `base` set one other than the default.
    func source(for index: Int, like base: TableSource) -> TableSource {
        let explicitDelimiter: UInt8? = base.delimiter == UInt8(ascii: ",") ? nil : base.delimiter
        return TableSource(path: files.files[index].path, format: files.format, delimiter: explicitDelimiter, quote: base.quote, hasHeader: base.hasHeader)
    }

    /// Called once the first file's header is read.
    func opened(_ reader: TableReader) throws {
        fileHeader = reader.header
        reader.header = fileHeader + files.partitionKeys
        reader.recordNumber += rowsBefore
        if selected.isEmpty { reader.skipRemainingRecords() }
    }

    /// Moves the reader to the next file; false after the last one.
    func openNextFile(_ reader: TableReader) throws -> Bool {
        guard !selected.isEmpty, fileIndex + 1 < selected.upperBound else { return false }
        finishedBytes += reader.bytesConsumedInFile
        fileIndex += 1
        let next = source(for: fileIndex, like: reader.source)
        try reader.restart(with: next)
        guard reader.header == fileHeader else {
            throw TableReadError(path: next.path, kind: .unreadable("its columns \(reader.header) differ from \(files.files[0].path)'s \(fileHeader); every file of a dataset needs the same columns in the same order"))
        }
        reader.header = fileHeader + files.partitionKeys
        return true
    }

    /// Bytes consumed in all files so far.
    func bytesConsumed(_ reader: TableReader) -> Int { finishedBytes + reader.bytesConsumedInFile }

    /// Appends the current file's partition values to the record just read. Cells past the
    /// file's columns (a ragged CSV row) move after the partition values; a short row is
    /// padded with empty cells so the partition values keep their columns.
    func recordFound(_ reader: TableReader) {
        let values = files.files[fileIndex].partitionValues
        let width = fileHeader.count
        // JSON Lines records are as wide as the header, so their partition slots are empty.
        let count = reader.source.format == .jsonLines ? min(reader.fieldCount, width) : reader.fieldCount
        guard !values.isEmpty, count > 0 else { return }
        var needed = values.reduce(0) { $0 + $1.utf8.count }
        for index in 0..<count { needed += reader.field(index).count }
        if needed > capacity {
            while capacity < needed { capacity *= 2 }
            row.deallocate()
            row = .allocate(capacity: capacity)
        }
        let total = max(count, width) + values.count
        reader.ensureBoundsCapacity(total)
        // Read every source field's bounds before overwriting any of them.
        var cells: [UnsafeBufferPointer<UInt8>] = (0..<count).map { reader.field($0) }
        while cells.count < width { cells.append(UnsafeBufferPointer(start: nil, count: 0)) }
        var used = 0
        func put(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) {
            reader.starts[index] = used
            if let base = bytes.baseAddress, bytes.count > 0 { (row + used).update(from: base, count: bytes.count) }
            used += bytes.count
            reader.ends[index] = used
        }
        for index in 0..<width { put(cells[index], at: index) }
        for (offset, value) in values.enumerated() {
            var text = value
            text.withUTF8 { put($0, at: width + offset) }
        }
        for index in width..<cells.count { put(cells[index], at: values.count + index) }
        reader.fieldBase = row
        reader.fieldCount = total
    }
}

extension TableReader {
    /// Compressed bytes consumed in the current file.
    var bytesConsumedInFile: Int { parquetRows.map { Int($0.bytesRead) } ?? bytes.offset + bytesBeforeShare }

    /// Reads no further record from the current file.
    func skipRemainingRecords() {
        position = end
        atEOF = true
        replayCurrentRecord = false
        parquetRows?.finish()
    }

    /// Starts reading `next` with fresh per-file state; record numbers run on.
    func restart(with next: TableSource) throws {
        source = next
        bytes = try ByteSource(path: next.path)
        parquetRows = nil
        position = 0
        end = 0
        atEOF = false
        nextLine = 1
        replayCurrentRecord = false
        problem = nil
        try openFile()
    }
}
