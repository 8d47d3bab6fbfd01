/// Reads Thrift's compact protocol, the encoding of Parquet's footer and page headers.
///
/// Only what Parquet needs: structs, lists, integers, binaries, booleans and doubles, with
/// unknown fields skipped. Every length is checked against the bytes at hand and nesting is
/// bounded, so a hostile footer ends in `ThriftError`, never a crash or a runaway allocation.
struct ThriftCompactReader {
    /// Compact-protocol type codes (the low nibble of a field header).
    enum WireType: UInt8 {
        case stop = 0, booleanTrue = 1, booleanFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6
        case double = 7, binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    /// One field header: its id and wire type.
    struct FieldHeader {
        let id: Int16
        let type: WireType
    }

    /// The bytes, and the offset of the next unread one.
    private var cursor: ByteCursor
    var position: Int { cursor.position }
    /// Field ids of the structs being read, innermost last (ids are deltas within a struct).
    private var lastFieldIDs: [Int16] = []
    private static let maxDepth = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        cursor = ByteCursor(bytes)
    }

    // MARK: - Structs

    /// Enters a struct; call `nextField()` until it returns nil.
    mutating func beginStruct() throws {
        guard lastFieldIDs.count < Self.maxDepth else { throw ThriftError("structures nested deeper than \(Self.maxDepth)") }
        lastFieldIDs.append(0)
    }

    /// The next field's header, or nil at the struct's end (which leaves the struct).
    mutating func nextField() throws -> FieldHeader? {
        let header = try readByte()
        guard let type = WireType(rawValue: header & 0x0F) else { throw ThriftError("unknown field type \(header & 0x0F)") }
        if type == .stop {
            lastFieldIDs.removeLast()
            return nil
        }
        let delta = Int16(header >> 4)
        let id: Int16
        if delta != 0 {
            id = lastFieldIDs[lastFieldIDs.count - 1] &+ delta
        } else {
            id = Int16(truncatingIfNeeded: try readZigZag())
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
        return FieldHeader(id: id, type: type)
    }

    /// Reads every field of a struct with `body`, which must consume or `skip` each one.
    mutating func readStruct(_ body: (inout ThriftCompactReader, FieldHeader) throws -> Void) throws {
        try beginStruct()
        while let field = try nextField() { try body(&self, field) }
    }

    // MARK: - Values

    mutating func readBool(_ field: FieldHeader) throws -> Bool {
        switch field.type {
        case .booleanTrue: return true
        case .booleanFalse: return false
        default: throw ThriftError("field \(field.id) should be a boolean")
        }
    }

    mutating func readInt(_ field: FieldHeader) throws -> Int64 {
        switch field.type {
        case .byte: return Int64(Int8(bitPattern: try readByte()))
        case .i16, .i32, .i64: return try readZigZag()
        default: throw ThriftError("field \(field.id) should be an integer")
        }
    }

    /// An integer field that must fit `Int32` (Parquet's counts, sizes and enums).
    mutating func readInt32(_ field: FieldHeader) throws -> Int32 {
        let value = try readInt(field)
        guard let narrow = Int32(exactly: value) else { throw ThriftError("field \(field.id) is out of range: \(value)") }
        return narrow
    }

    mutating func readBinary(_ field: FieldHeader) throws -> UnsafeBufferPointer<UInt8> {
        guard field.type == .binary else { throw ThriftError("field \(field.id) should be a string") }
        return try readBinaryValue()
    }

    mutating func readString(_ field: FieldHeader) throws -> String {
        String(decoding: try readBinary(field), as: UTF8.self)
    }

    /// Reads a list header; the elements follow. The count is checked against the bytes left
    /// (every element takes at least one byte, except booleans which take one each too).
    mutating func readListHeader(_ field: FieldHeader) throws -> (count: Int, type: WireType) {
        guard field.type == .list || field.type == .set else { throw ThriftError("field \(field.id) should be a list") }
        return try readListHeaderValue()
    }

    /// Reads a list whose elements are all read by `element`.
    mutating func readList<T>(_ field: FieldHeader, _ element: (inout ThriftCompactReader, WireType) throws -> T) throws -> [T] {
        let (count, type) = try readListHeader(field)
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try element(&self, type)) }
        return items
    }

    /// A string list element.
    mutating func readStringElement(_ type: WireType) throws -> String {
        try readString(FieldHeader(id: 0, type: type))
    }

    /// Skips a field's value of any type.
    mutating func skip(_ field: FieldHeader) throws {
        try skipValue(field.type, depth: 0)
    }

    // MARK: - Wire primitives

    private mutating func skipValue(_ type: WireType, depth: Int) throws {
        guard depth < Self.maxDepth else { throw ThriftError("values nested deeper than \(Self.maxDepth)") }
        switch type {
        case .stop: throw ThriftError("unexpected stop")
        case .booleanTrue, .booleanFalse: return
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double: try advance(8)
        case .binary: _ = try readBinaryValue()
        case .list, .set:
            let (count, element) = try readListHeaderValue()
            for _ in 0..<count { try skipElement(element, depth: depth + 1) }
        case .map:
            let count = try readLength()
            guard count > 0 else { return }
            // Every entry takes at least two bytes, so a count past the bytes left is corrupt
            // (found by the fuzzer: a map of 2^31 entries that took nothing hung the reader).
            guard count <= cursor.remaining / 2 else { throw ThriftError("a map of \(count) entries is longer than the bytes left") }
            let types = try readByte()
            guard let key = WireType(rawValue: types >> 4), let value = WireType(rawValue: types & 0x0F) else { throw ThriftError("unknown map types") }
            for _ in 0..<count {
                try skipElement(key, depth: depth + 1)
                try skipElement(value, depth: depth + 1)
            }
        case .structure:
            try beginStruct()
            while let field = try nextField() { try skipValue(field.type, depth: depth + 1) }
        }
    }

    /// Skips one element of a list, set or map, where a boolean takes a byte of its own.
    private mutating func skipElement(_ type: WireType, depth: Int) throws {
        if type == .booleanTrue || type == .booleanFalse { _ = try readByte() } else { try skipValue(type, depth: depth) }
    }

    private mutating func readListHeaderValue() throws -> (count: Int, type: WireType) {
        let header = try readByte()
        guard let type = WireType(rawValue: header & 0x0F) else { throw ThriftError("unknown list element type") }
        var count = Int(header >> 4)
        if count == 15 { count = try readLength() }
        guard count <= cursor.remaining else { throw ThriftError("a list of \(count) elements is longer than the bytes left") }
        return (count, type)
    }

    private mutating func readBinaryValue() throws -> UnsafeBufferPointer<UInt8> {
        let length = try readLength()
        return try wire { try $0.take(length) }
    }

    private mutating func readLength() throws -> Int {
        let value = try readVarint()
        guard value <= UInt64(Int32.max) else { throw ThriftError("a length of \(value) is out of range") }
        return Int(value)
    }

    private mutating func readByte() throws -> UInt8 { try wire { try $0.byte() } }
    private mutating func advance(_ count: Int) throws { _ = try wire { try $0.take(count) } }
    private mutating func readVarint() throws -> UInt64 { try wire { try $0.varint() } }
    private mutating func readZigZag() throws -> Int64 { try wire { try $0.zigzag() } }

    /// Reads from the byte cursor, reporting a short read as a Thrift error.
    private mutating func wire<T>(_ read: (inout ByteCursor) throws -> T) throws -> T {
        do {
            return try read(&cursor)
        } catch let error as ParquetDecodeError {
            throw ThriftError(error.description)
        }
    }
}

/// Thrift metadata that cannot be decoded; the reader wraps it with the file and structure.
struct ThriftError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
