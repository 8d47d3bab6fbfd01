// Parquet's value and level encodings, decoded from a page's bytes. Every read is checked
// against the page's length: a corrupt page throws `ParquetDecodeError`, never reads past.

/// A page whose bytes do not decode; the reader names the file, row group and column.
struct ParquetDecodeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Variable-length byte values (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, or rendered text) stored
/// end to end: value `i` is `data[offsets[i]..<offsets[i + 1]]`.
struct ByteValues {
    var data: [UInt8] = []
    var offsets: [Int] = [0]

    var count: Int { offsets.count - 1 }

    mutating func reserve(values: Int, bytes: Int) {
        offsets.reserveCapacity(values + 1)
        data.reserveCapacity(bytes)
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        data.append(contentsOf: bytes)
        offsets.append(data.count)
    }

    mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        data.append(contentsOf: bytes)
        offsets.append(data.count)
    }

    func withValue<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try data.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[offsets[index]..<offsets[index + 1]]))
        }
    }
}

/// The non-null values of one page (or a dictionary), typed by the physical type.
enum ParquetValues {
    case booleans([Bool])
    case int32s([Int32])
    case int64s([Int64])
    /// INT96 as (nanoseconds of the day, Julian day).
    case int96s([(nanos: Int64, julianDay: Int32)])
    case floats([Float])
    case doubles([Double])
    case bytes(ByteValues)
}

/// A cursor over a page's (or a Thrift structure's) bytes that refuses to read past their end.
struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func take(_ count: Int) throws -> UnsafeBufferPointer<UInt8> {
        guard count >= 0, count <= remaining else { throw ParquetDecodeError("the data ends early (wanted \(count) bytes, \(remaining) left)") }
        defer { position += count }
        return UnsafeBufferPointer(rebasing: bytes[position..<position + count])
    }

    mutating func byte() throws -> UInt8 { try take(1)[0] }

    mutating func uint32() throws -> UInt32 {
        let b = try take(4)
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw ParquetDecodeError("a varint is longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func zigzag() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}

/// Reads `width` bits (at most 64) starting at bit `offset` of `bytes`, least significant first.
@inline(__always)
func readBits(_ bytes: UnsafeBufferPointer<UInt8>, bitOffset offset: Int, width: Int) -> UInt64 {
    var byteIndex = offset >> 3
    let shift = offset & 7
    if width + shift <= 64, byteIndex + 8 <= bytes.count {
        let word = UnsafeRawPointer(bytes.baseAddress! + byteIndex).loadUnaligned(as: UInt64.self).littleEndian
        let value = word >> UInt64(shift)
        return width == 64 ? value : value & ((1 << UInt64(width)) - 1)
    }
    var result: UInt64 = 0
    var got = 0
    var bitShift = shift
    while got < width {
        let take = min(8 - bitShift, width - got)
        let bits = (UInt64(bytes[byteIndex]) >> UInt64(bitShift)) & ((1 << UInt64(take)) - 1)
        result |= bits << UInt64(got)
        got += take
        bitShift = 0
        byteIndex += 1
    }
    return result
}

enum ParquetEncoding {
    static let plain: Int32 = 0
    static let plainDictionary: Int32 = 2
    static let rle: Int32 = 3
    static let deltaBinaryPacked: Int32 = 5
    static let deltaLengthByteArray: Int32 = 6
    static let deltaByteArray: Int32 = 7
    static let rleDictionary: Int32 = 8
    static let byteStreamSplit: Int32 = 9

    static func name(_ raw: Int32) -> String {
        switch raw {
        case 0: return "PLAIN"
        case 2: return "PLAIN_DICTIONARY"
        case 3: return "RLE"
        case 4: return "BIT_PACKED"
        case 5: return "DELTA_BINARY_PACKED"
        case 6: return "DELTA_LENGTH_BYTE_ARRAY"
        case 7: return "DELTA_BYTE_ARRAY"
        case 8: return "RLE_DICTIONARY"
        case 9: return "BYTE_STREAM_SPLIT"
        default: return "encoding \(raw)"
        }
    }

    // MARK: - RLE / bit-packed hybrid

    /// Decodes `count` values of `width` bits from the RLE/bit-packed hybrid (levels,
    /// dictionary indices, RLE booleans).
    static func decodeHybrid(_ cursor: inout ByteCursor, width: Int, count: Int) throws -> [Int32] {
        guard (0...32).contains(width) else { throw ParquetDecodeError("a bit width of \(width) is out of range") }
        let valueBytes = (width + 7) / 8
        // Written in place: appending one value at a time was most of the cost.
        return try [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            var filled = 0
            while filled < count {
                let header = try cursor.varint()
                if header & 1 == 1 {
                    let groups = Int(clamping: header >> 1)
                    guard groups <= cursor.remaining else { throw ParquetDecodeError("a bit-packed run is longer than the page") }
                    let packed = try cursor.take(groups * width)
                    let n = min(groups * 8, count - filled)
                    // Values whose 8-byte word lies inside the run are read with one load and
                    // a mask, no bounds test per value; the last few through `readBits`.
                    let direct = width == 0 ? 0 : min(n, max(0, (packed.count - 8) * 8 / width))
                    if direct > 0, let base = packed.baseAddress {
                        let mask = (UInt64(1) << UInt64(width)) &- 1
                        let target = out + filled
                        for i in 0..<direct {
                            let bit = i &* width
                            let word = UnsafeRawPointer(base + (bit &>> 3)).loadUnaligned(as: UInt64.self).littleEndian
                            target[i] = Int32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
                        }
                    }
                    for i in direct..<n { out[filled + i] = Int32(truncatingIfNeeded: readBits(packed, bitOffset: i * width, width: width)) }
                    filled += n
                } else {
                    let run = Int(clamping: header >> 1)
                    let raw = try cursor.take(valueBytes)
                    var value: UInt32 = 0
                    for (i, b) in raw.enumerated() { value |= UInt32(b) << (8 * UInt32(i)) }
                    let n = min(run, count - filled)
                    (out + filled).initialize(repeating: Int32(bitPattern: value), count: n)
                    filled += n
                }
            }
            initialized = filled
        }
    }

    // MARK: - PLAIN

    static func decodePlain(_ cursor: inout ByteCursor, type: ParquetPhysicalType, typeLength: Int, count: Int) throws -> ParquetValues {
        switch type {
        case .boolean:
            let packed = try cursor.take((count + 7) / 8)
            return .booleans((0..<count).map { packed[$0 >> 3] >> UInt8($0 & 7) & 1 == 1 })
        case .int32:
            return .int32s(try fixedWidth(&cursor, count: count, as: Int32.self))
        case .int64:
            return .int64s(try fixedWidth(&cursor, count: count, as: Int64.self))
        case .float:
            return .floats(try fixedWidth(&cursor, count: count, as: UInt32.self).map { Float(bitPattern: $0) })
        case .double:
            return .doubles(try fixedWidth(&cursor, count: count, as: UInt64.self).map { Double(bitPattern: $0) })
        case .int96:
            let raw = try cursor.take(try byteCount(count, 12))
            return .int96s((0..<count).map { i in
                let base = UnsafeRawPointer(raw.baseAddress! + i * 12)
                return (Int64(littleEndian: base.loadUnaligned(as: Int64.self)), Int32(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: Int32.self)))
            })
        case .byteArray:
            var values = ByteValues()
            values.reserve(values: count, bytes: cursor.remaining)
            for _ in 0..<count {
                let length = Int(try cursor.uint32())
                values.append(try cursor.take(length))
            }
            return .bytes(values)
        case .fixedLenByteArray:
            guard typeLength > 0 else { throw ParquetDecodeError("a FIXED_LEN_BYTE_ARRAY column has length \(typeLength)") }
            let raw = try cursor.take(try byteCount(count, typeLength))
            var values = ByteValues()
            values.reserve(values: count, bytes: raw.count)
            for i in 0..<count { values.append(UnsafeBufferPointer(rebasing: raw[i * typeLength..<(i + 1) * typeLength])) }
            return .bytes(values)
        }
    }

    private static func byteCount(_ count: Int, _ width: Int) throws -> Int {
        let (product, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw ParquetDecodeError("\(count) values of \(width) bytes overflow") }
        return product
    }

    private static func fixedWidth<T: FixedWidthInteger>(_ cursor: inout ByteCursor, count: Int, as: T.Type) throws -> [T] {
        let raw = try cursor.take(try byteCount(count, MemoryLayout<T>.size))
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(raw))
            for i in 0..<count { buffer[i] = T(littleEndian: buffer[i]) }
            initialized = count
        }
    }

    // MARK: - BYTE_STREAM_SPLIT

    /// Byte `b` of value `i` is at `b * count + i`: gathers the streams back into values.
    static func decodeByteStreamSplit(_ cursor: inout ByteCursor, type: ParquetPhysicalType, typeLength: Int, count: Int) throws -> ParquetValues {
        let width: Int
        switch type {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .fixedLenByteArray: width = typeLength
        default: throw ParquetDecodeError("BYTE_STREAM_SPLIT does not apply to this column's type")
        }
        guard width > 0 else { throw ParquetDecodeError("a FIXED_LEN_BYTE_ARRAY column has length \(width)") }
        let streams = try cursor.take(try byteCount(count, width))
        var gathered = [UInt8](repeating: 0, count: streams.count)
        for i in 0..<count {
            for b in 0..<width { gathered[i * width + b] = streams[b * count + i] }
        }
        return try gathered.withUnsafeBufferPointer { bytes in
            var plain = ByteCursor(bytes)
            return try decodePlain(&plain, type: type, typeLength: typeLength, count: count)
        }
    }

    // MARK: - DELTA_BINARY_PACKED and the byte-array deltas built on it

    /// Decodes a DELTA_BINARY_PACKED run of integers (its header says how many, at most `limit`).
    static func decodeDeltaBinaryPacked(_ cursor: inout ByteCursor, limit: Int) throws -> [Int64] {
        let blockSize = Int(clamping: try cursor.varint())
        let miniblocks = Int(clamping: try cursor.varint())
        let total = Int(clamping: try cursor.varint())
        var current = try cursor.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetDecodeError("a DELTA_BINARY_PACKED header is malformed (block \(blockSize), miniblocks \(miniblocks))")
        }
        guard total <= limit else { throw ParquetDecodeError("a DELTA_BINARY_PACKED run claims \(total) values; the page holds \(limit)") }
        let perMiniblock = blockSize / miniblocks
        var values: [Int64] = []
        values.reserveCapacity(total)
        if total > 0 { values.append(current) }
        while values.count < total {
            let minDelta = try cursor.zigzag()
            let widths = try cursor.take(miniblocks)
            for m in 0..<miniblocks where values.count < total {
                let width = Int(widths[m])
                guard width <= 64 else { throw ParquetDecodeError("a miniblock bit width of \(width) is out of range") }
                let packed = try cursor.take(perMiniblock * width / 8)
                let n = min(perMiniblock, total - values.count)
                for i in 0..<n {
                    let delta = readBits(packed, bitOffset: i * width, width: width)
                    current = current &+ minDelta &+ Int64(bitPattern: delta)
                    values.append(current)
                }
            }
        }
        return values
    }

    /// DELTA_LENGTH_BYTE_ARRAY: all lengths (delta-packed), then all bytes.
    static func decodeDeltaLengthByteArray(_ cursor: inout ByteCursor, limit: Int) throws -> ByteValues {
        let lengths = try decodeDeltaBinaryPacked(&cursor, limit: limit)
        var values = ByteValues()
        values.reserve(values: lengths.count, bytes: cursor.remaining)
        for length in lengths {
            guard let n = Int(exactly: length) else { throw ParquetDecodeError("a value length of \(length) is out of range") }
            values.append(try cursor.take(n))
        }
        return values
    }

    /// DELTA_BYTE_ARRAY: each value shares a prefix with the one before it.
    static func decodeDeltaByteArray(_ cursor: inout ByteCursor, limit: Int) throws -> ByteValues {
        let prefixes = try decodeDeltaBinaryPacked(&cursor, limit: limit)
        let suffixes = try decodeDeltaLengthByteArray(&cursor, limit: limit)
        guard prefixes.count == suffixes.count else { throw ParquetDecodeError("DELTA_BYTE_ARRAY has \(prefixes.count) prefixes for \(suffixes.count) suffixes") }
        var values = ByteValues()
        values.reserve(values: prefixes.count, bytes: suffixes.data.count)
        var previous: [UInt8] = []
        for (i, prefix) in prefixes.enumerated() {
            guard prefix >= 0, prefix <= previous.count else { throw ParquetDecodeError("a DELTA_BYTE_ARRAY prefix of \(prefix) is longer than the value before it") }
            var value = Array(previous[0..<Int(prefix)])
            suffixes.withValue(i) { value.append(contentsOf: $0) }
            values.append(contentsOf: value)
            previous = value
        }
        return values
    }
}
