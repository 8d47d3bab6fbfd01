/// Streams the records of a CSV or JSON Lines file, one at a time, in bounded memory.
///
/// Fields are exposed as byte views into an internal buffer that is reused for the next
/// record, so reading allocates nothing per field. Copy what you keep (`string(_:)`).
///
/// ```swift
/// let reader = try TableReader(TableSource(path: "data.csv.gz"))
/// while try reader.next() {
///     let value = reader.string(0)
/// }
/// ```
public final class TableReader {
    /// Where the records come from: the file being read (for a dataset, its current file).
    /// Read for every record and changed only between files, so without run-time
    /// exclusivity checks (they were 2% of a validation pass).
    @exclusivity(unchecked) public internal(set) var source: TableSource
    /// For a directory or glob of files: the dataset, its current file and partition columns.
    /// Read for every record, so without run-time exclusivity checks (as `source`).
    @exclusivity(unchecked) public internal(set) var dataset: DatasetCursor?
    /// The share of the table being read, when only one is (`TableSource.share`).
    public let share: TableShare?

    // The per-record state below is read and written for every field; it is never touched
    // from two places at once, so Swift's run-time exclusivity checks, which cost a quarter
    // of a validation pass, are turned off for it (@exclusivity(unchecked)).
    /// Column names: the header record, the first JSON object's keys, or `field1...fieldN`.
    public internal(set) var header: [String] = []
    /// Physical line (1-based) on which the header starts; 0 when there is no header.
    public internal(set) var headerLine = 0

    /// 1-based number of the current data record (the header is not counted).
    @inlinable public internal(set) var recordNumber: Int {
        get { state.recordNumber }
        set { state.recordNumber = newValue }
    }
    /// Physical line (1-based) on which the current record starts.
    @inlinable public internal(set) var line: Int {
        get { state.line }
        set { state.line = newValue }
    }
    /// Number of fields in the current record; 0 for an empty line.
    @inlinable public internal(set) var fieldCount: Int {
        get { state.fieldCount }
        set { state.fieldCount = newValue }
    }
    /// A problem with the current record that did not stop the read.
    @inlinable public internal(set) var problem: RecordProblem? {
        get { state.problem }
        set { state.problem = newValue }
    }
    /// The four above, stored without run-time exclusivity checks. Other modules read them
    /// through the inlinable accessors: a public stored property gets the checks in its
    /// clients despite `@exclusivity(unchecked)` (two calls per record in a validation pass).
    @usableFromInline @exclusivity(unchecked) var state = RecordState()
    /// JSON Lines only: keys of the current object that are not in `header`.
    public internal(set) var unknownKeys: [String] = []

    /// The largest record accepted, so that a stray quote cannot eat all memory.
    public static let maxRecordBytes = 64 << 20

    /// Readable bytes after `buffer`'s capacity, so that the fields of a CSV record can be
    /// loaded 16 bytes at a time past their end (`NumberSyntax.shortDecimal`).
    public static let fieldPadding = 16

    var bytes: ByteSource
    @usableFromInline @exclusivity(unchecked) var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    /// Valid bytes are `buffer[0..<end]`; the unread part starts at `position`.
    @exclusivity(unchecked) var position = 0
    @exclusivity(unchecked) var end = 0
    @exclusivity(unchecked) var atEOF = false
    @exclusivity(unchecked) var nextLine = 1

    /// Field bounds of the current record, as offsets from `fieldBase`.
    @usableFromInline @exclusivity(unchecked) var starts: UnsafeMutablePointer<Int>
    @usableFromInline @exclusivity(unchecked) var ends: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) var escaped: UnsafeMutablePointer<Bool>
    @exclusivity(unchecked) var boundsCapacity = 64
    /// The field ends of the plain records ahead (CSV), found in one pass over the buffer.
    @exclusivity(unchecked) var plainIndex = PlainRecordIndex()
    @usableFromInline @exclusivity(unchecked) var fieldBase: UnsafeMutablePointer<UInt8>

    /// JSON Lines scratch space: decoded values of the current object.
    var scratch: [UInt8] = []
    var scratchPointer: UnsafeMutablePointer<UInt8>
    var scratchCapacity = 1 << 16
    var keyIndex: [String: Int] = [:]
    /// Parquet: the rows of the file, rendered as text fields.
    var parquetRows: ParquetRowReader? {
        didSet { storedRow = parquetRows?.storedRow; storedWidth = parquetRows?.width ?? 0 }
    }
    /// Parquet: the current row's stored values (`storedValue(_:)`), `storedWidth` of them
    /// (0 for text formats); owned by `parquetRows`.
    @usableFromInline @exclusivity(unchecked) var storedRow: UnsafeMutablePointer<StoredValue?>?
    @usableFromInline @exclusivity(unchecked) var storedWidth = 0
    /// One share of one plain CSV file: the byte range read (`CSVByteShare`).
    /// Read for every record, so without run-time exclusivity checks (as `source`).
    @exclusivity(unchecked) public internal(set) var byteShare: CSVByteShare?
    /// Bytes read before the share's range: the header and the search for its boundaries.
    var bytesBeforeShare = 0

    /// Opens `source` and reads its header. Throws `TableReadError` when the file cannot be
    /// read or is empty.
    public convenience init(_ source: TableSource) throws {
        var fileSource = source
        var cursor: DatasetCursor?
        if DatasetFiles.isDataset(source.path) {
            cursor = try DatasetCursor(try DatasetFiles(source.path), share: source.share)
            fileSource = cursor!.source(for: cursor!.fileIndex, like: source)
        }
        self.init(fileSource, bytes: try ByteSource(path: fileSource.path), share: source.share, dataset: cursor, capacity: 1 << 20)
        try openFile()
        if let dataset {
            try dataset.opened(self)
        } else if let share, fileSource.format == .csv {
            try startByteShare(share)
        }
    }

    /// A reader of `bytes` that has read nothing yet (also a chunk's reader, `TableReader+Chunk`).
    init(_ source: TableSource, bytes: ByteSource, share: TableShare?, dataset: DatasetCursor?, capacity: Int) {
        self.share = share
        self.dataset = dataset
        self.source = source
        self.bytes = bytes
        self.capacity = capacity
        buffer = Self.allocateBuffer(capacity)
        starts = .allocate(capacity: boundsCapacity)
        ends = .allocate(capacity: boundsCapacity)
        escaped = .allocate(capacity: boundsCapacity)
        scratchPointer = .allocate(capacity: scratchCapacity)
        fieldBase = buffer
    }

    /// Reads the current file's header (CSV, JSON Lines) or footer (Parquet).
    func openFile() throws {
        if source.format == .parquet {
            try openParquet()
            return
        }
        try fill()
        skipByteOrderMark()
        if end == 0 { throw TableReadError(path: source.path, kind: .empty) }
        try readHeader()
    }

    deinit {
        buffer.deallocate()
        starts.deallocate()
        ends.deallocate()
        escaped.deallocate()
        plainIndex.deallocate()
        scratchPointer.deallocate()
    }

    /// Advances to the next record. Returns `false` at the end of the data.
    public func next() throws -> Bool {
        problem = nil
        let found: Bool
        switch source.format {
        case .csv: found = try byteShare.map(nextRecordOfByteShare) ?? nextDelimitedRecord()
        case .jsonLines: found = try nextJSONRecord()
        case .parquet: found = try nextParquetRecord()
        }
        if found {
            recordNumber += 1
            if let dataset { dataset.recordFound(self) }
        } else if let dataset, try dataset.openNextFile(self) {
            return try next()
        }
        return found
    }

    /// The bytes of field `index` of the current record, valid until `next()`.
    @inlinable @inline(__always)
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: fieldBase + starts[index], count: ends[index] - starts[index])
    }

    /// Field `index` of the current record as a `String` (invalid UTF-8 is repaired).
    public func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }

    /// All fields of the current record as strings.
    public func strings() -> [String] {
        (0..<fieldCount).map(string)
    }

    /// Compressed bytes consumed so far, for progress reporting.
    public var bytesConsumed: Int { dataset?.bytesConsumed(self) ?? bytesConsumedInFile }

    // MARK: - Buffer management

    /// Moves unread bytes to the front and reads more; grows the buffer when a record fills it.
    /// Returns false when no more bytes exist.
    @discardableResult
    func fill() throws -> Bool {
        if atEOF { return false }
        // The bytes move: the index's offsets would point at others.
        plainIndex.clear()
        if position > 0 {
            let remaining = end - position
            if remaining > 0 { buffer.update(from: buffer + position, count: remaining) }
            end = remaining
            position = 0
        }
        if end == capacity {
            guard capacity < Self.maxRecordBytes else {
                throw TableReadError(path: source.path, kind: .recordTooLarge(line: nextLine, limit: Self.maxRecordBytes))
            }
            let grown = Self.allocateBuffer(capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        let n = try bytes.read(into: buffer + end, count: capacity - end)
        if n == 0 { atEOF = true; return false }
        end += n
        return true
    }

    /// A read buffer of `capacity` bytes followed by `fieldPadding` zero bytes.
    private static func allocateBuffer(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + fieldPadding)
        (buffer + capacity).initialize(repeating: 0, count: fieldPadding)
        return buffer
    }

    /// Whether every field of the current record is followed by `fieldPadding` readable
    /// bytes: true when its bytes are in the read buffer (a CSV record), not in a copy.
    @inlinable
    public var fieldsArePadded: Bool { fieldBase == buffer }

    private func skipByteOrderMark() {
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    }

    @inline(__always)
    func ensureBoundsCapacity(_ needed: Int) {
        if needed > boundsCapacity { growBounds(needed) }
    }

    private func growBounds(_ needed: Int) {
        var newCapacity = boundsCapacity
        while newCapacity < needed { newCapacity *= 2 }
        func grow<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
            new.update(from: old, count: boundsCapacity)
            old.deallocate()
            return new
        }
        starts = grow(starts)
        ends = grow(ends)
        escaped = grow(escaped)
        boundsCapacity = newCapacity
    }

    private func readHeader() throws {
        switch source.format {
        case .csv:
            guard try nextDelimitedRecord() else { throw TableReadError(path: source.path, kind: .empty) }
            if source.hasHeader {
                header = strings()
                headerLine = line
            } else {
                header = (0..<fieldCount).map { "field\($0 + 1)" }
                replayCurrentRecord = true
            }
        case .jsonLines:
            try readJSONHeader()
        case .parquet:
            break
        }
    }

    /// Set when the first record was read to learn the width but is data, not a header.
    @exclusivity(unchecked) var replayCurrentRecord = false
    /// JSON Lines: bounds of the current line in `buffer`, without blank space around it.
    var jsonLine: (Int, Int) = (0, 0)
}

/// A problem with one record that the reader reports but reads past.
public enum RecordProblem: Equatable, Sendable {
    /// The record's bytes are not valid UTF-8.
    case invalidUTF8
    /// A JSON Lines line is not a flat JSON object; the message says why.
    case malformedJSON(String)
}

/// The current record's place and problem (`TableReader.state`).
@usableFromInline
struct RecordState {
    @usableFromInline var recordNumber = 0
    @usableFromInline var line = 0
    @usableFromInline var fieldCount = 0
    @usableFromInline var problem: RecordProblem?
}
