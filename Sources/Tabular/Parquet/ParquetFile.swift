import Foundation

/// One flat leaf column of a Parquet file, as Sluice reads it.
struct ParquetColumn {
    /// The column's name (its path, dot-joined, for a column inside a group).
    let name: String
    let physicalType: ParquetPhysicalType
    /// Bytes per value of a FIXED_LEN_BYTE_ARRAY column.
    let typeLength: Int
    /// Optional columns carry definition levels (0 = null, 1 = a value).
    let optional: Bool
    let logical: ParquetLogicalType?

    /// The Table Schema type that holds this column's values as `ParquetText` writes them.
    var tableSchemaType: FieldType {
        switch logical {
        case .string?, .enumeration?, .json?, .bson?, .uuid?: return .string
        case .date?: return .date
        case .time?: return .time
        case .timestamp?: return .datetime
        case .decimal?, .float16?: return .number
        case .integer?: return .integer
        default: break
        }
        switch physicalType {
        case .boolean: return .boolean
        case .int32, .int64: return .integer
        case .int96: return .datetime
        case .float, .double: return .number
        case .byteArray, .fixedLenByteArray: return .string
        }
    }

    /// How `TableReader.storedValue(_:)` gives this column's values, or nil when only their
    /// text is given: signed integers and doubles with no other meaning, and booleans.
    /// FLOAT is left out on purpose: its text (Float's shortest form) reads back as another
    /// Double than the value widened, and readers must see what the text says.
    enum StoredKind { case integer, double, boolean }

    var storedKind: StoredKind? {
        switch (physicalType, logical) {
        case (.int32, nil), (.int64, nil), (.int32, .integer(_, signed: true)?), (.int64, .integer(_, signed: true)?): return .integer
        case (.double, nil): return .double
        case (.boolean, nil): return .boolean
        default: return nil
        }
    }
}

/// A file read at arbitrary offsets, counting the bytes it reads.
final class RandomAccessFile {
    let path: String
    let size: Int64
    private let descriptor: Int32
    /// Bytes read so far, for progress and per-shard reporting.
    private(set) var bytesRead: Int64 = 0

    init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TableReadError(path: path, kind: .unreadable("no such file"))
        }
        if isDirectory.boolValue { throw TableReadError(path: path, kind: .unreadable("is a directory, expected a data file")) }
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TableReadError(path: path, kind: .unreadable(String(cString: strerror(errno)))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw TableReadError(path: path, kind: .unreadable(String(cString: strerror(errno))))
        }
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads exactly `count` bytes at `offset`, which the caller has checked lie in the file.
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        precondition(offset >= 0 && count >= 0 && offset + Int64(count) <= size)
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < count {
                let n = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw TableReadError(path: path, kind: .unreadable(n == 0 ? "the file ended early (was it truncated while reading?)" : String(cString: strerror(errno))))
                }
                done += n
            }
        }
        bytesRead += Int64(count)
        return bytes
    }
}

/// A Parquet file's footer, checked: the schema as flat columns and the row groups, with
/// every column chunk's byte range inside the file.
struct ParquetFile {
    let file: RandomAccessFile
    let metadata: ParquetFileMetadata
    let columns: [ParquetColumn]

    /// The largest footer Sluice reads; real footers are kilobytes to a few megabytes.
    static let maxFooterBytes = 256 << 20
    private static let magic: [UInt8] = Array("PAR1".utf8)

    init(path: String) throws {
        let file = try RandomAccessFile(path: path)
        self.file = file
        
        guard file.size >= 12 else { throw Self.corrupt(path, "it is \(file.size) bytes, shorter than Parquet's 12-byte frame (PAR1 ... length PAR1)") }
        let head = try file.read(at: 0, count: 4)
        let tail = try file.read(at: file.size - 8, count: 8)
        guard head == Self.magic else { throw Self.corrupt(path, "it does not start with the magic bytes PAR1") }
        guard Array(tail[4...]) == Self.magic else {
            throw Self.corrupt(path, tail[4...] == Array("PARE".utf8)[...] ? "it is encrypted (PARE), which Sluice does not read" : "it does not end with the magic bytes PAR1 (truncated?)")
        }
        let footerLength = Int64(tail[0]) | Int64(tail[1]) << 8 | Int64(tail[2]) << 16 | Int64(tail[3]) << 24
        let footerStart = file.size - 8 - footerLength
        guard footerStart >= 4 else { throw Self.corrupt(path, "the footer length \(footerLength) points before the start of the file (\(file.size) bytes)") }
        guard footerLength <= Self.maxFooterBytes else { throw Self.corrupt(path, "the footer is \(footerLength) bytes, more than Sluice reads (\(Self.maxFooterBytes))") }
        let footer = try file.read(at: footerStart, count: Int(footerLength))
        do {
            metadata = try footer.withUnsafeBufferPointer { try ParquetFileMetadata.decode($0) }
        } catch let error as ThriftError {
            throw Self.corrupt(path, "the footer metadata does not decode: \(error)")
        }
        columns = try Self.flatColumns(metadata.schema, path: path)
        try Self.check(metadata, columns: columns, dataEnd: footerStart, path: path)
    }

    /// The same file's footer with a descriptor (and count of bytes read) of its own, for
    /// a reader on another thread.
    func reopened() throws -> ParquetFile {
        ParquetFile(file: try RandomAccessFile(path: file.path), metadata: metadata, columns: columns)
    }

    private init(file: RandomAccessFile, metadata: ParquetFileMetadata, columns: [ParquetColumn]) {
        self.file = file
        self.metadata = metadata
        self.columns = columns
    }

    static func corrupt(_ path: String, _ why: String) -> TableReadError {
        TableReadError(path: path, kind: .unreadable("not a readable Parquet file: \(why)"))
    }

    /// The schema's leaves, refusing groups and repeated fields (nested data) by name.
    private static func flatColumns(_ schema: [ParquetSchemaElement], path: String) throws -> [ParquetColumn] {
        guard let root = schema.first else { throw Self.corrupt(path, "the schema is empty") }
        guard Int(root.childCount) == schema.count - 1 else {
            if let nested = schema.dropFirst().first(where: { $0.childCount > 0 }) {
                throw TableReadError(path: path, kind: .unreadable("column \"\(nested.name)\" is nested (a struct, list or map); Sluice reads flat columns only: flatten it before export, e.g. SELECT \(nested.name).* in DuckDB"))
            }
            throw Self.corrupt(path, "the schema's root says \(root.childCount) columns but \(schema.count - 1) follow")
        }
        return try schema.dropFirst().map { element in
            if element.childCount > 0 || element.repetition == 2 {
                let what = element.repetition == 2 ? "repeated (a list)" : "nested (a struct, list or map)"
                throw TableReadError(path: path, kind: .unreadable("column \"\(element.name)\" is \(what); Sluice reads flat columns only: flatten it before export"))
            }
            if case .nested(let kind)? = element.logical {
                throw TableReadError(path: path, kind: .unreadable("column \"\(element.name)\" is a \(kind); Sluice reads flat columns only"))
            }
            guard let type = element.type else { throw Self.corrupt(path, "column \"\(element.name)\" has no physical type") }
            if type == .fixedLenByteArray && element.typeLength <= 0 { throw Self.corrupt(path, "column \"\(element.name)\" is FIXED_LEN_BYTE_ARRAY of length \(element.typeLength)") }
            return ParquetColumn(name: element.name, physicalType: type, typeLength: Int(element.typeLength), optional: element.repetition == 1, logical: element.logical)
        }
    }

    /// Every chunk lies between the magic and the footer, in this file, with a codec Sluice reads.
    private static func check(_ metadata: ParquetFileMetadata, columns: [ParquetColumn], dataEnd: Int64, path: String) throws {
        for (g, group) in metadata.rowGroups.enumerated() {
            guard group.rowCount >= 0 else { throw Self.corrupt(path, "row group \(g + 1) has \(group.rowCount) rows") }
            guard group.columns.count == columns.count else {
                throw Self.corrupt(path, "row group \(g + 1) has \(group.columns.count) column chunks for \(columns.count) columns")
            }
            for (c, chunk) in group.columns.enumerated() {
                let name = columns[c].name
                if let external = chunk.externalFile {
                    throw TableReadError(path: path, kind: .unreadable("column \"\(name)\" of row group \(g + 1) lives in another file (\(external)), which Sluice does not follow"))
                }
                let start = chunk.start
                guard start >= 4, chunk.totalCompressedSize >= 0, start <= dataEnd - chunk.totalCompressedSize else {
                    throw Self.corrupt(path, "column \"\(name)\" of row group \(g + 1) claims bytes \(start)..<\(start &+ chunk.totalCompressedSize), outside the data (4..<\(dataEnd))")
                }
                guard let codec = ParquetCodec(rawValue: chunk.codec) else { throw Self.corrupt(path, "column \"\(name)\" uses unknown codec \(chunk.codec)") }
                guard ParquetDecompression.supports(codec) else {
                    throw TableReadError(path: path, kind: .unreadable("column \"\(name)\" is compressed with \(codec.name), which Sluice does not read; rewrite the file with SNAPPY, ZSTD, GZIP, LZ4_RAW or no compression (e.g. pyarrow.parquet.write_table(t, path, compression=\"zstd\"))"))
                }
            }
        }
    }
}
