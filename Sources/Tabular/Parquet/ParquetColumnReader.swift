/// Reads one column chunk page by page: only the current page (and the chunk's dictionary)
/// is held in memory, so a row group costs about one decoded page per column.
final class ParquetColumnReader {
    /// One decoded data page: definition levels (nil for a required column) and its
    /// non-null values, directly or as indices into the dictionary. Levels and indices live
    /// in memory of their own, so the row reader reads them through plain pointers.
    final class Page {
        let levels: UnsafeMutablePointer<Int32>?
        let values: ParquetDecodedValues
        let indices: UnsafeMutablePointer<Int32>?
        let valueCount: Int

        init(levels: [Int32]?, values: ParquetDecodedValues, indices: [Int32]? = nil, valueCount: Int) {
            self.levels = levels.map(ParquetDecodedValues.copy)
            self.values = values
            self.indices = indices.map(ParquetDecodedValues.copy)
            self.valueCount = valueCount
        }

        deinit {
            levels?.deallocate()
            indices?.deallocate()
        }
    }

    let column: ParquetColumn
    private let file: RandomAccessFile
    private let codec: ParquetCodec
    private var position: Int64
    private let end: Int64
    private var dictionary: ParquetDecodedValues?

    /// The most values Sluice decodes from one page, bounding what one page header can make it allocate.
    static let maxPageValues = 1 << 24
    /// The largest page, compressed or not.
    static let maxPageBytes = 1 << 30

    init(file: RandomAccessFile, column: ParquetColumn, chunk: ParquetColumnChunk) {
        self.file = file
        self.column = column
        codec = ParquetCodec(rawValue: chunk.codec) ?? .uncompressed
        position = chunk.start
        end = chunk.start + chunk.totalCompressedSize
    }

    /// The next data page, reading the dictionary page first when one comes before it.
    func nextPage() throws -> Page {
        while true {
            guard position < end else { throw ParquetDecodeError("the column chunk ends before all its values were read") }
            let (header, window) = try readHeader()
            let bodyStart = position + Int64(header.headerLength)
            guard header.compressedSize >= 0, header.uncompressedSize >= 0, Int64(header.compressedSize) <= end - bodyStart else {
                throw ParquetDecodeError("a page header says \(header.compressedSize) bytes at offset \(bodyStart), past the column chunk's end (\(end))")
            }
            guard header.valueCount >= 0, Int(header.valueCount) <= Self.maxPageValues else {
                throw ParquetDecodeError("a page claims \(header.valueCount) values; Sluice reads at most \(Self.maxPageValues) per page")
            }
            let body = try readBody(Int(header.compressedSize), at: bodyStart, window: window[Int(header.headerLength)...])
            position = bodyStart + Int64(header.compressedSize)
            switch ParquetPageType(rawValue: header.type) {
            case .dictionaryPage?:
                dictionary = try decodeDictionary(header, body)
            case .dataPage?:
                return try decodeDataPageV1(header, body)
            case .dataPageV2?:
                return try decodeDataPageV2(header, body)
            case .indexPage?:
                continue
            case nil:
                throw ParquetDecodeError("a page has unknown type \(header.type)")
            }
        }
    }

    /// Page headers have no stated length: decode from a window that grows until it fits.
    /// The window's bytes come back too: the page body starts in them.
    private func readHeader() throws -> (ParquetPageHeader, [UInt8]) {
        var window = Int64(4096)
        while true {
            let count = Int(min(window, end - position))
            let bytes = try file.read(at: position, count: count)
            do {
                return (try bytes.withUnsafeBufferPointer { try ParquetPageHeader.decode($0) }, bytes)
            } catch let error as ThriftError {
                guard Int64(count) < end - position, window < 64 << 20 else {
                    throw ParquetDecodeError("a page header at offset \(position) does not decode: \(error)")
                }
                window *= 16
            }
        }
    }

    /// The `size` bytes of a page body at `offset`, of which the header's window already
    /// holds the first: only the rest is read, so each byte of the file is read once.
    private func readBody(_ size: Int, at offset: Int64, window: ArraySlice<UInt8>) throws -> [UInt8] {
        let held = min(size, window.count)
        var body = [UInt8]()
        body.reserveCapacity(size)
        body.append(contentsOf: window.prefix(held))
        if held < size { body.append(contentsOf: try file.read(at: offset + Int64(held), count: size - held)) }
        return body
    }

    private func decodeDictionary(_ header: ParquetPageHeader, _ body: [UInt8]) throws -> ParquetDecodedValues {
        guard header.encoding == ParquetEncoding.plain || header.encoding == ParquetEncoding.plainDictionary else {
            throw ParquetDecodeError("a dictionary page uses \(ParquetEncoding.name(header.encoding)); expected PLAIN")
        }
        let bytes = try decompress(body, size: Int(header.uncompressedSize))
        return try bytes.withUnsafeBufferPointer { buffer in
            var cursor = ByteCursor(buffer)
            let values = try ParquetEncoding.decodePlain(&cursor, type: column.physicalType, typeLength: column.typeLength, count: Int(header.valueCount))
            return try ParquetDecodedValues(values, column: column)
        }
    }

    private func decodeDataPageV1(_ header: ParquetPageHeader, _ body: [UInt8]) throws -> Page {
        let bytes = try decompress(body, size: Int(header.uncompressedSize))
        return try bytes.withUnsafeBufferPointer { buffer in
            var cursor = ByteCursor(buffer)
            let count = Int(header.valueCount)
            var levels: [Int32]?
            if column.optional {
                guard header.definitionLevelEncoding == ParquetEncoding.rle else {
                    throw ParquetDecodeError("definition levels use \(ParquetEncoding.name(header.definitionLevelEncoding)); expected RLE")
                }
                let length = Int(try cursor.uint32())
                var levelCursor = ByteCursor(try cursor.take(length))
                levels = try ParquetEncoding.decodeHybrid(&levelCursor, width: 1, count: count)
            }
            return try decodeValues(header, &cursor, levels: levels, count: count)
        }
    }

    private func decodeDataPageV2(_ header: ParquetPageHeader, _ body: [UInt8]) throws -> Page {
        let levelBytes = Int(header.repetitionLevelsLength) + Int(header.definitionLevelsLength)
        guard header.repetitionLevelsLength >= 0, header.definitionLevelsLength >= 0, levelBytes <= body.count, levelBytes <= header.uncompressedSize else {
            throw ParquetDecodeError("a v2 page's level lengths (\(header.repetitionLevelsLength) + \(header.definitionLevelsLength)) exceed the page")
        }
        let count = Int(header.valueCount)
        var levels: [Int32]?
        if column.optional {
            levels = try body.withUnsafeBufferPointer { buffer in
                var cursor = ByteCursor(UnsafeBufferPointer(rebasing: buffer[Int(header.repetitionLevelsLength)..<levelBytes]))
                return try ParquetEncoding.decodeHybrid(&cursor, width: 1, count: count)
            }
        }
        let valueBody = Array(body[levelBytes...])
        let valueSize = Int(header.uncompressedSize) - levelBytes
        let values = header.isCompressed ? try decompress(valueBody, size: valueSize) : valueBody
        return try values.withUnsafeBufferPointer { buffer in
            var cursor = ByteCursor(buffer)
            return try decodeValues(header, &cursor, levels: levels, count: count)
        }
    }

    /// Decodes the non-null values that follow the levels, by the page's encoding.
    private func decodeValues(_ header: ParquetPageHeader, _ cursor: inout ByteCursor, levels: [Int32]?, count: Int) throws -> Page {
        let (present, aboveOne) = levels.map(Self.presentCount) ?? (count, false)
        if aboveOne { throw ParquetDecodeError("a definition level is above 1 in a flat column") }
        // A page of an optional column without nulls is read as a required one's: no level per cell.
        let levels = present == count ? nil : levels
        let type = column.physicalType
        let decoded: ParquetValues
        switch header.encoding {
        case ParquetEncoding.plain:
            decoded = try ParquetEncoding.decodePlain(&cursor, type: type, typeLength: column.typeLength, count: present)
        case ParquetEncoding.plainDictionary, ParquetEncoding.rleDictionary:
            guard let dictionary else { throw ParquetDecodeError("a dictionary-encoded page comes without a dictionary page") }
            let width = Int(try cursor.byte())
            let indices = try ParquetEncoding.decodeHybrid(&cursor, width: width, count: present)
            // One pass that the compiler vectorises; the bad index is looked for only when there is one.
            let largest = indices.withUnsafeBufferPointer { $0.reduce(0 as UInt32) { max($0, UInt32(bitPattern: $1)) } }
            if Int(largest) >= dictionary.count, let bad = indices.first(where: { $0 < 0 || Int($0) >= dictionary.count }) {
                throw ParquetDecodeError("dictionary index \(bad) is outside the dictionary of \(dictionary.count) values")
            }
            return Page(levels: levels, values: dictionary, indices: indices, valueCount: count)
        case ParquetEncoding.rle where type == .boolean:
            let length = Int(try cursor.uint32())
            var bits = ByteCursor(try cursor.take(length))
            let values = try ParquetEncoding.decodeHybrid(&bits, width: 1, count: present)
            decoded = .booleans(values.map { $0 != 0 })
        case ParquetEncoding.deltaBinaryPacked where type == .int32 || type == .int64:
            let values = try ParquetEncoding.decodeDeltaBinaryPacked(&cursor, limit: present)
            try expect(values.count, present)
            decoded = type == .int32 ? .int32s(values.map { Int32(truncatingIfNeeded: $0) }) : .int64s(values)
        case ParquetEncoding.deltaLengthByteArray where type == .byteArray:
            let values = try ParquetEncoding.decodeDeltaLengthByteArray(&cursor, limit: present)
            try expect(values.count, present)
            decoded = .bytes(values)
        case ParquetEncoding.deltaByteArray where type == .byteArray || type == .fixedLenByteArray:
            let values = try ParquetEncoding.decodeDeltaByteArray(&cursor, limit: present)
            try expect(values.count, present)
            decoded = .bytes(values)
        case ParquetEncoding.byteStreamSplit:
            decoded = try ParquetEncoding.decodeByteStreamSplit(&cursor, type: type, typeLength: column.typeLength, count: present)
        default:
            throw ParquetDecodeError("values use \(ParquetEncoding.name(header.encoding)), which Sluice does not read for a \(type) column")
        }
        return Page(levels: levels, values: try ParquetDecodedValues(decoded, column: column), valueCount: count)
    }

    /// How many levels are 1 (present cells), and whether any is above 1, in one pass the
    /// compiler vectorises (wrapping adds; a checked reduce was a fifth of a validation).
    private static func presentCount(_ levels: [Int32]) -> (Int, Bool) {
        levels.withUnsafeBufferPointer { buffer in
            var present = 0
            var high: Int32 = 0
            for level in buffer {
                present &+= Int(level & 1)
                high |= level & ~1
            }
            return (present, high != 0)
        }
    }

    private func expect(_ decoded: Int, _ present: Int) throws {
        guard decoded == present else { throw ParquetDecodeError("a page decodes to \(decoded) values; its levels say \(present)") }
    }

    private func decompress(_ body: [UInt8], size: Int) throws -> [UInt8] {
        guard size <= Self.maxPageBytes else { throw ParquetDecodeError("a page of \(size) bytes is larger than Sluice reads (\(Self.maxPageBytes))") }
        return try body.withUnsafeBufferPointer { try ParquetDecompression.decompress($0, codec: codec, size: size) }
    }
}
