import Foundation
import Yams

/// A `Decoder` over a composed YAML node tree.
///
/// Unlike decoding from `Any`, every node keeps its mark (line, column), and every keyed
/// container tells `KeyUsage` which keys it was asked for. Scalars follow the YAML 1.2 core
/// schema: `true`/`false` only (no `yes`/`no`), decimal numbers, quoted text is always text.
struct NodeDecoder: Decoder {
    let node: Node
    let codingPath: [CodingKey]
    let usage: KeyUsage
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func child(_ node: Node, _ key: CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], usage: usage)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let entries: [MappingEntry]
        switch node {
        case .mapping(let mapping): entries = try MappingEntry.entries(of: mapping, at: codingPath)
        case _ where node.isNull: entries = []
        default: throw mismatch([String: Any].self, "expected a mapping (key: value lines)")
        }
        usage.opened(entries, at: codingPath)
        return KeyedDecodingContainer(MappingContainer<Key>(decoder: self, entries: entries))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        switch node {
        case .sequence(let sequence): return SequenceContainer(decoder: self, items: Array(sequence))
        case _ where node.isNull: return SequenceContainer(decoder: self, items: [])
        default: throw mismatch([Any].self, "expected a list")
        }
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        ScalarContainer(decoder: self)
    }

    func mismatch(_ type: Any.Type, _ expectation: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "\(expectation), found \(node.kindDescription)"))
    }
}

/// A mapping, seen through the keys a type asks for.
private struct MappingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let entries: [MappingEntry]

    var codingPath: [CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        decoder.usage.enumerated(at: codingPath)
        return entries.compactMap { Key(stringValue: $0.key) }
    }

    func contains(_ key: Key) -> Bool {
        decoder.usage.asked(key.stringValue, at: codingPath)
        return entries.contains { $0.key == key.stringValue }
    }

    private func value(for key: Key) throws -> NodeDecoder {
        decoder.usage.asked(key.stringValue, at: codingPath)
        guard let entry = entries.first(where: { $0.key == key.stringValue }) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing required key '\(key.stringValue)'"))
        }
        return decoder.child(entry.value, key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(for: key).node.isNull }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: value(for: key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Bool(from: value(for: key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try String(from: value(for: key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Double(from: value(for: key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try Float(from: value(for: key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Int(from: value(for: key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Int8(from: value(for: key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Int16(from: value(for: key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Int32(from: value(for: key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Int64(from: value(for: key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try UInt(from: value(for: key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try UInt8(from: value(for: key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try UInt16(from: value(for: key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try UInt32(from: value(for: key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try UInt64(from: value(for: key)) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try value(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try value(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> Decoder { try value(for: key) }
}

/// A list, read front to back.
private struct SequenceContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [Node]
    var currentIndex = 0

    init(decoder: NodeDecoder, items: [Node]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list has only \(items.count) items"))
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], PathKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try Bool(from: next()) }
    mutating func decode(_ type: String.Type) throws -> String { try String(from: next()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try Double(from: next()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try Float(from: next()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try Int(from: next()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try Int8(from: next()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try Int16(from: next()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try Int32(from: next()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try Int64(from: next()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try UInt(from: next()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try UInt8(from: next()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try UInt16(from: next()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try UInt32(from: next()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try UInt64(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}

/// One scalar, converted by the YAML 1.2 core schema.
private struct ScalarContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.node.isNull }

    /// The scalar's text; `plainOnly` refuses quoted text where a number or boolean is meant.
    private func text(_ type: Any.Type, _ expectation: String, plainOnly: Bool) throws -> String {
        guard case .scalar(let scalar) = decoder.node, !decoder.node.isNull else {
            throw decoder.mismatch(type, "expected \(expectation)")
        }
        if plainOnly, scalar.style != .plain, scalar.style != .any {
            throw decoder.mismatch(type, "expected \(expectation) (without quotes)")
        }
        return scalar.string
    }

    func decode(_ type: String.Type) throws -> String {
        try text(type, "text", plainOnly: false)
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch try text(type, "true or false", plainOnly: true) {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw decoder.mismatch(type, "expected true or false")
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        let string = try text(type, "a number", plainOnly: true)
        // No setting of Sluice means anything at infinity or NaN (YAML's .inf, .nan, or a
        // number too large for a double), and such values poison every later comparison.
        guard ![".inf", "+.inf", "-.inf", ".nan"].contains(string.lowercased()) else {
            throw decoder.mismatch(type, "expected a finite number")
        }
        // Swift's parser also takes "inf", "nan" and hex floats; YAML does not, so refuse them.
        guard string.allSatisfy({ "0123456789+-.eE".contains($0) }), let value = Double(string) else {
            throw decoder.mismatch(type, "expected a number")
        }
        guard value.isFinite else { throw decoder.mismatch(type, "expected a finite number") }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let string = try text(type, "a whole number", plainOnly: true)
        let digits = string.hasPrefix("+") ? String(string.dropFirst()) : string
        guard let value = T(digits) else {
            let overflow = digits.dropFirst(digits.hasPrefix("-") ? 1 : 0).allSatisfy(\.isNumber) && !digits.isEmpty
            throw decoder.mismatch(type, overflow ? "expected a whole number between \(T.min) and \(T.max)" : "expected a whole number")
        }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}
