// The parts of Parquet's Thrift metadata (parquet.thrift) that a flat-table reader needs,
// decoded with `ThriftCompactReader`. Field numbers follow parquet-format's parquet.thrift.

/// Parquet's physical storage types.
enum ParquetPhysicalType: Int32 {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
}

/// Time units of TIME and TIMESTAMP.
enum ParquetTimeUnit: Equatable {
    case millis, micros, nanos

    /// Ticks per second.
    var perSecond: Int64 {
        switch self {
        case .millis: return 1_000
        case .micros: return 1_000_000
        case .nanos: return 1_000_000_000
        }
    }
}

/// What a column's values mean, from its logical type or (in older files) converted type.
enum ParquetLogicalType: Equatable {
    case string, enumeration, json, bson, uuid, float16
    case date
    case time(ParquetTimeUnit, utc: Bool)
    case timestamp(ParquetTimeUnit, utc: Bool)
    case decimal(scale: Int, precision: Int)
    case integer(bits: Int, signed: Bool)
    case unknown
    /// A group or list/map annotation: nested data.
    case nested(String)
}

/// One node of the flattened schema tree (`SchemaElement`).
struct ParquetSchemaElement {
    var name = ""
    var type: ParquetPhysicalType?
    var typeLength: Int32 = 0
    /// 0 required, 1 optional, 2 repeated.
    var repetition: Int32 = 0
    var childCount: Int32 = 0
    var logical: ParquetLogicalType?

    static func decode(_ reader: inout ThriftCompactReader) throws -> ParquetSchemaElement {
        var element = ParquetSchemaElement()
        var converted: Int32?
        var scale = 0, precision = 0
        try reader.readStruct { reader, field in
            switch field.id {
            case 1:
                let raw = try reader.readInt32(field)
                guard let type = ParquetPhysicalType(rawValue: raw) else { throw ThriftError("unknown physical type \(raw)") }
                element.type = type
            case 2: element.typeLength = try reader.readInt32(field)
            case 3: element.repetition = try reader.readInt32(field)
            case 4: element.name = try reader.readString(field)
            case 5: element.childCount = try reader.readInt32(field)
            case 6: converted = try reader.readInt32(field)
            case 7: scale = Int(try reader.readInt32(field))
            case 8: precision = Int(try reader.readInt32(field))
            case 10: element.logical = try decodeLogicalType(&reader)
            default: try reader.skip(field)
            }
        }
        if element.logical == nil, let converted {
            element.logical = convertedType(converted, scale: scale, precision: precision)
        }
        return element
    }

    /// The older `ConvertedType` enum as a logical type (TIMESTAMP_* were UTC-adjusted).
    private static func convertedType(_ raw: Int32, scale: Int, precision: Int) -> ParquetLogicalType? {
        switch raw {
        case 0: return .string
        case 1, 2: return .nested("MAP")
        case 3: return .nested("LIST")
        case 4: return .enumeration
        case 5: return .decimal(scale: scale, precision: precision)
        case 6: return .date
        case 7: return .time(.millis, utc: true)
        case 8: return .time(.micros, utc: true)
        case 9: return .timestamp(.millis, utc: true)
        case 10: return .timestamp(.micros, utc: true)
        case 11: return .integer(bits: 8, signed: false)
        case 12: return .integer(bits: 16, signed: false)
        case 13: return .integer(bits: 32, signed: false)
        case 14: return .integer(bits: 64, signed: false)
        case 15: return .integer(bits: 8, signed: true)
        case 16: return .integer(bits: 16, signed: true)
        case 17: return .integer(bits: 32, signed: true)
        case 18: return .integer(bits: 64, signed: true)
        case 19: return .json
        case 20: return .bson
        default: return nil  // INTERVAL and unknown values: read the physical type as is
        }
    }

    private static func decodeLogicalType(_ reader: inout ThriftCompactReader) throws -> ParquetLogicalType? {
        var result: ParquetLogicalType?
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: result = .string; try reader.skip(field)
            case 2: result = .nested("MAP"); try reader.skip(field)
            case 3: result = .nested("LIST"); try reader.skip(field)
            case 4: result = .enumeration; try reader.skip(field)
            case 5:
                var scale = 0, precision = 0
                try reader.readStruct { reader, inner in
                    switch inner.id {
                    case 1: scale = Int(try reader.readInt32(inner))
                    case 2: precision = Int(try reader.readInt32(inner))
                    default: try reader.skip(inner)
                    }
                }
                result = .decimal(scale: scale, precision: precision)
            case 6: result = .date; try reader.skip(field)
            case 7, 8:
                var utc = false
                var unit = ParquetTimeUnit.millis
                try reader.readStruct { reader, inner in
                    switch inner.id {
                    case 1: utc = try reader.readBool(inner)
                    case 2: unit = try decodeTimeUnit(&reader)
                    default: try reader.skip(inner)
                    }
                }
                result = field.id == 7 ? .time(unit, utc: utc) : .timestamp(unit, utc: utc)
            case 10:
                var bits = 0
                var signed = true
                try reader.readStruct { reader, inner in
                    switch inner.id {
                    case 1: bits = Int(try reader.readInt(inner))
                    case 2: signed = try reader.readBool(inner)
                    default: try reader.skip(inner)
                    }
                }
                result = .integer(bits: bits, signed: signed)
            case 11: result = .unknown; try reader.skip(field)
            case 12: result = .json; try reader.skip(field)
            case 13: result = .bson; try reader.skip(field)
            case 14: result = .uuid; try reader.skip(field)
            case 15: result = .float16; try reader.skip(field)
            default: try reader.skip(field)
            }
        }
        return result
    }

    private static func decodeTimeUnit(_ reader: inout ThriftCompactReader) throws -> ParquetTimeUnit {
        var unit = ParquetTimeUnit.millis
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: break
            }
            try reader.skip(field)
        }
        return unit
    }
}

/// Compression codecs (`CompressionCodec`).
enum ParquetCodec: Int32 {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    var name: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4 (Hadoop framing)"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }
}

/// Where one column's pages of one row group are (`ColumnMetaData`).
struct ParquetColumnChunk {
    var codec: Int32 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = 0
    var dictionaryPageOffset: Int64?
    var pathInSchema: [String] = []
    /// Set when the chunk's data lives in another file, which Sluice does not follow.
    var externalFile: String?

    /// The byte range holding the chunk's pages (the dictionary page comes first when present).
    var start: Int64 {
        if let dictionary = dictionaryPageOffset, dictionary > 0, dictionary < dataPageOffset { return dictionary }
        return dataPageOffset
    }

    static func decode(_ reader: inout ThriftCompactReader) throws -> ParquetColumnChunk {
        var chunk = ParquetColumnChunk()
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: chunk.externalFile = try reader.readString(field)
            case 3:
                try reader.readStruct { reader, inner in
                    switch inner.id {
                    case 3: chunk.pathInSchema = try reader.readList(inner) { try $0.readStringElement($1) }
                    case 4: chunk.codec = try reader.readInt32(inner)
                    case 7: chunk.totalCompressedSize = try reader.readInt(inner)
                    case 9: chunk.dataPageOffset = try reader.readInt(inner)
                    case 11: chunk.dictionaryPageOffset = try reader.readInt(inner)
                    default: try reader.skip(inner)
                    }
                }
            default: try reader.skip(field)
            }
        }
        return chunk
    }
}

/// One row group: its row count and a chunk per leaf column.
struct ParquetRowGroup {
    var rowCount: Int64 = 0
    var columns: [ParquetColumnChunk] = []
    /// Compressed bytes of all its chunks, for dividing a file among shards.
    var compressedSize: Int64 { columns.reduce(0) { $0 + $1.totalCompressedSize } }

    static func decode(_ reader: inout ThriftCompactReader) throws -> ParquetRowGroup {
        var group = ParquetRowGroup()
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: group.columns = try reader.readList(field) { reader, _ in try ParquetColumnChunk.decode(&reader) }
            case 3: group.rowCount = try reader.readInt(field)
            default: try reader.skip(field)
            }
        }
        return group
    }
}

/// The file's footer (`FileMetaData`).
struct ParquetFileMetadata {
    var schema: [ParquetSchemaElement] = []
    var rowCount: Int64 = 0
    var rowGroups: [ParquetRowGroup] = []
    var createdBy: String?

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> ParquetFileMetadata {
        var reader = ThriftCompactReader(bytes)
        var metadata = ParquetFileMetadata()
        try reader.readStruct { reader, field in
            switch field.id {
            case 2: metadata.schema = try reader.readList(field) { reader, _ in try ParquetSchemaElement.decode(&reader) }
            case 3: metadata.rowCount = try reader.readInt(field)
            case 4: metadata.rowGroups = try reader.readList(field) { reader, _ in try ParquetRowGroup.decode(&reader) }
            case 6: metadata.createdBy = try reader.readString(field)
            default: try reader.skip(field)
            }
        }
        return metadata
    }
}

/// Page types (`PageType`).
enum ParquetPageType: Int32 {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

/// A page header (`PageHeader` with its data, dictionary or v2 header flattened).
struct ParquetPageHeader {
    var type: Int32 = -1
    var uncompressedSize: Int32 = 0
    var compressedSize: Int32 = 0
    var valueCount: Int32 = 0
    var encoding: Int32 = 0
    var definitionLevelEncoding: Int32 = 3
    // Data page v2 only.
    var definitionLevelsLength: Int32 = 0
    var repetitionLevelsLength: Int32 = 0
    var isCompressed = true
    /// Bytes the header itself took.
    var headerLength = 0

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> ParquetPageHeader {
        var reader = ThriftCompactReader(bytes)
        var header = ParquetPageHeader()
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: header.type = try reader.readInt32(field)
            case 2: header.uncompressedSize = try reader.readInt32(field)
            case 3: header.compressedSize = try reader.readInt32(field)
            case 5, 7:  // data page v1 and dictionary page headers share their first two fields
                try reader.readStruct { reader, inner in
                    switch inner.id {
                    case 1: header.valueCount = try reader.readInt32(inner)
                    case 2: header.encoding = try reader.readInt32(inner)
                    case 3 where field.id == 5: header.definitionLevelEncoding = try reader.readInt32(inner)
                    default: try reader.skip(inner)
                    }
                }
            case 8:
                try reader.readStruct { reader, inner in
                    switch inner.id {
                    case 1: header.valueCount = try reader.readInt32(inner)
                    case 4: header.encoding = try reader.readInt32(inner)
                    case 5: header.definitionLevelsLength = try reader.readInt32(inner)
                    case 6: header.repetitionLevelsLength = try reader.readInt32(inner)
                    case 7: header.isCompressed = try reader.readBool(inner)
                    default: try reader.skip(inner)
                    }
                }
            default: try reader.skip(field)
            }
        }
        header.headerLength = reader.position
        return header
    }
}
