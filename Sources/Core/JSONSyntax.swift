import Foundation

/// Finds where a JSON document (RFC 8259, UTF-8) goes wrong, for messages a person can act
/// on: Foundation's decoder only says "The given data was not valid JSON".
public enum JSONSyntax {
    /// The first problem in a document: its line and column (1-based, counted in characters)
    /// and what was expected there.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var reason: String

        public var description: String { "line \(line), column \(column): \(reason)" }
    }

    /// Nesting deeper than this is refused (a hostile file must not exhaust the stack).
    public static let depthLimit = 512

    /// The first problem in `data`, or nil when it is one well-formed JSON value.
    public static func problem(in data: Data) -> Problem? {
        let bytes = [UInt8](data)
        if let offset = firstInvalidUTF8(bytes) {
            return problem(bytes, at: offset, "bytes that are not UTF-8 (0x\(String(format: "%02X", bytes[offset]))); save the file as UTF-8")
        }
        if let offset = bytes.firstIndex(of: 0) {
            return problem(bytes, at: offset, "a NUL byte, which JSON text cannot contain")
        }
        var scanner = Scanner(bytes: bytes)
        do {
            try scanner.document()
            return nil
        } catch let failure as Scanner.Failure {
            return problem(bytes, at: failure.offset, failure.reason)
        } catch {
            return nil
        }
    }

    static func problem(_ bytes: [UInt8], at offset: Int, _ reason: String) -> Problem {
        let before = bytes[..<min(offset, bytes.count)]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = before.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let column = bytes[lineStart..<before.endIndex].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return Problem(line: line, column: column, reason: reason)
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }
}

/// A recursive-descent reader that only checks the syntax and remembers where it stopped.
private struct Scanner {
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws {
        skipSpace()
        if index == bytes.count { throw Failure(offset: index, reason: "the document is empty") }
        try value()
        skipSpace()
        if index < bytes.count { throw Failure(offset: index, reason: "more text after the end of the JSON value") }
    }

    private func fail(_ reason: String) -> Failure {
        Failure(offset: index, reason: index >= bytes.count ? "the document ends early (is it truncated?): \(reason)" : reason)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func value() throws {
        skipSpace()
        switch current {
        case UInt8(ascii: "{"): try container(close: UInt8(ascii: "}"), keyed: true)
        case UInt8(ascii: "["): try container(close: UInt8(ascii: "]"), keyed: false)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte): try number()
        default: throw fail("expected a value (an object, array, string, number, true, false or null)")
        }
    }

    private mutating func container(close: UInt8, keyed: Bool) throws {
        depth += 1
        guard depth <= JSONSyntax.depthLimit else { throw fail("nested deeper than \(JSONSyntax.depthLimit) levels") }
        index += 1
        skipSpace()
        if current == close {
            index += 1
            depth -= 1
            return
        }
        while true {
            if keyed {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
                try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':' after the key") }
                index += 1
            }
            try value()
            skipSpace()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard current == close else { throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
            index += 1
            depth -= 1
            return
        }
    }

    private mutating func string() throws {
        index += 1
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard let escaped = current, Array("\"\\/bfnrtu".utf8).contains(escaped) else { throw fail("an invalid escape in a string") }
                index += 1
                if escaped == UInt8(ascii: "u") {
                    for _ in 0..<4 {
                        guard let hex = current, Character(Unicode.Scalar(hex)).isHexDigit else { throw fail("expected four hex digits after \\u") }
                        index += 1
                    }
                }
            case 0..<0x20:
                throw fail("a control character inside a string (write it as an escape such as \\n)")
            default:
                index += 1
            }
        }
        throw fail("a string is not closed")
    }

    private mutating func literal(_ word: String) throws {
        for expected in word.utf8 {
            guard current == expected else { throw fail("expected \(word)") }
            index += 1
        }
    }

    private mutating func number() throws {
        if current == UInt8(ascii: "-") { index += 1 }
        try digits()
        if current == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
    }

    private mutating func digits() throws {
        let start = index
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        if index == start { throw fail("expected a digit") }
    }
}
