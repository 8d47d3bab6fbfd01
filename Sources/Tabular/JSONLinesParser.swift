// JSON Lines: one flat JSON object per line. Strings are unescaped, numbers and booleans
// keep their text, null reads as a missing value, nested values keep their JSON text.
extension TableReader {
    private struct Member {
        let key: String
        let start: Int
        let end: Int
    }

    private struct MalformedLine: Error {
        let message: String
    }

    func readJSONHeader() throws {
        guard try nextJSONLine() else { throw TableReadError(path: source.path, kind: .empty) }
        // The first object names the columns and is also the first data record.
        do {
            let members = try parseObject()
            header = members.map(\.key)
            keyIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            place(members)
        } catch let error as MalformedLine {
            header = []
            fieldCount = 0
            problem = .malformedJSON(error.message)
        }
        headerLine = 0
        replayCurrentRecord = true
    }

    func nextJSONRecord() throws -> Bool {
        if replayCurrentRecord {
            replayCurrentRecord = false
            return true
        }
        guard try nextJSONLine() else { return false }
        if lineEnd == lineStart { fieldCount = 0; return true }
        do {
            place(try parseObject())
        } catch let error as MalformedLine {
            fieldCount = 0
            problem = .malformedJSON(error.message)
        }
        return true
    }

    /// Puts the parsed members into header order; absent keys read as empty fields.
    private func place(_ members: [Member]) {
        let count = header.count
        ensureBoundsCapacity(max(count, 1))
        for index in 0..<count {
            starts[index] = 0
            ends[index] = 0
        }
        unknownKeys = []
        for member in members {
            if let index = keyIndex[member.key] {
                starts[index] = member.start
                ends[index] = member.end
            } else {
                unknownKeys.append(member.key)
            }
        }
        fieldBase = scratchPointer
        fieldCount = count
    }

    // MARK: - Lines

    /// Bounds of the current line in `buffer`, without its line ending.
    private var lineStart: Int { jsonLine.0 }
    private var lineEnd: Int { jsonLine.1 }

    /// Finds the next line and makes it current. Returns false at the end of the data.
    private func nextJSONLine() throws -> Bool {
        while true {
            var i = position
            while i < end && buffer[i] != UInt8(ascii: "\n") { i += 1 }
            if i == end && !atEOF {
                try fill()
                continue
            }
            if position == end && atEOF { return false }
            var stop = i
            if stop > position && buffer[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            // Trim blank space so a whitespace-only line counts as empty.
            var start = position
            while start < stop && isJSONSpace(buffer[start]) { start += 1 }
            while stop > start && isJSONSpace(buffer[stop - 1]) { stop -= 1 }
            jsonLine = (start, stop)
            line = nextLine
            nextLine += 1
            position = i < end ? i + 1 : i
            if stop - start > scratchCapacity {
                scratchPointer.deallocate()
                scratchCapacity = stop - start
                scratchPointer = .allocate(capacity: scratchCapacity)
            }
            if !isValidUTF8(UnsafeBufferPointer(start: buffer + start, count: stop - start)) {
                problem = .invalidUTF8
            }
            return true
        }
    }

    // MARK: - Objects

    private func parseObject() throws -> [Member] {
        var i = lineStart
        let stop = lineEnd
        var out = 0
        var members: [Member] = []

        func skipSpace() { while i < stop && isJSONSpace(buffer[i]) { i += 1 } }
        func expect(_ byte: UInt8, _ what: String) throws {
            skipSpace()
            guard i < stop && buffer[i] == byte else {
                throw MalformedLine(message: "expected \(what) at character \(i - lineStart + 1)")
            }
            i += 1
        }

        try expect(UInt8(ascii: "{"), "a JSON object starting with {")
        skipSpace()
        if i < stop && buffer[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard i < stop && buffer[i] == UInt8(ascii: "\"") else {
                    throw MalformedLine(message: "expected a quoted key at character \(i - lineStart + 1)")
                }
                let keyStart = out
                try decodeString(&i, stop, &out)
                let key = String(decoding: UnsafeBufferPointer(start: scratchPointer + keyStart, count: out - keyStart), as: UTF8.self)
                out = keyStart
                try expect(UInt8(ascii: ":"), "':' after key \"\(key)\"")
                skipSpace()
                let valueStart = out
                try decodeValue(&i, stop, &out)
                members.append(Member(key: key, start: valueStart, end: out))
                skipSpace()
                guard i < stop else { throw MalformedLine(message: "the object is not closed with }") }
                if buffer[i] == UInt8(ascii: ",") { i += 1; continue }
                if buffer[i] == UInt8(ascii: "}") { i += 1; break }
                throw MalformedLine(message: "expected ',' or '}' at character \(i - lineStart + 1)")
            }
        }
        skipSpace()
        if i != stop { throw MalformedLine(message: "unexpected text after the object at character \(i - lineStart + 1)") }
        return members
    }

    /// Decodes one value into the scratch buffer at `out`.
    private func decodeValue(_ i: inout Int, _ stop: Int, _ out: inout Int) throws {
        guard i < stop else { throw MalformedLine(message: "expected a value at the end of the line") }
        let c = buffer[i]
        switch c {
        case UInt8(ascii: "\""):
            try decodeString(&i, stop, &out)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = i
            try skipNested(&i, stop)
            copy(start, i, &out)
        default:
            let start = i
            while i < stop, !isJSONSpace(buffer[i]), buffer[i] != UInt8(ascii: ","), buffer[i] != UInt8(ascii: "}") { i += 1 }
            let text = String(decoding: UnsafeBufferPointer(start: buffer + start, count: i - start), as: UTF8.self)
            if text == "null" { return }
            if text == "true" || text == "false" || isJSONNumber(text) {
                copy(start, i, &out)
                return
            }
            throw MalformedLine(message: "expected a value at character \(start - lineStart + 1), got \(text.prefix(20))")
        }
    }

    private func copy(_ start: Int, _ stop: Int, _ out: inout Int) {
        (scratchPointer + out).update(from: buffer + start, count: stop - start)
        out += stop - start
    }

    private func skipNested(_ i: inout Int, _ stop: Int) throws {
        var depth = 0
        var inString = false
        while i < stop {
            let c = buffer[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { i += 1; return }
            }
            i += 1
        }
        throw MalformedLine(message: "a nested value is not closed")
    }

    /// Decodes a JSON string starting at the opening quote, writing UTF-8 at `out`.
    private func decodeString(_ i: inout Int, _ stop: Int, _ out: inout Int) throws {
        i += 1
        while i < stop {
            let c = buffer[i]
            if c == UInt8(ascii: "\"") { i += 1; return }
            if c != UInt8(ascii: "\\") {
                scratchPointer[out] = c
                out += 1
                i += 1
                continue
            }
            i += 1
            guard i < stop else { break }
            let escape = buffer[i]
            i += 1
            let simple: UInt8?
            switch escape {
            case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
            case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"): simple = nil
            default: throw MalformedLine(message: "invalid escape \\\(Character(Unicode.Scalar(escape))) in a string")
            }
            if let simple {
                scratchPointer[out] = simple
                out += 1
                continue
            }
            var scalar = try hex4(&i, stop)
            if (0xD800..<0xDC00).contains(scalar), i + 1 < stop, buffer[i] == UInt8(ascii: "\\"), buffer[i + 1] == UInt8(ascii: "u") {
                i += 2
                let low = try hex4(&i, stop)
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            for byte in UTF8.encode(character)! {
                scratchPointer[out] = byte
                out += 1
            }
        }
        throw MalformedLine(message: "a string is not closed")
    }

    private func hex4(_ i: inout Int, _ stop: Int) throws -> UInt32 {
        guard i + 4 <= stop else { throw MalformedLine(message: "a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigit(buffer[i]) else { throw MalformedLine(message: "a \\u escape needs four hex digits") }
            value = value << 4 | digit
            i += 1
        }
        return value
    }
}

private func hexDigit(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
    default: return nil
    }
}

private func isJSONSpace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
}

private func isJSONNumber(_ text: String) -> Bool {
    NumberSyntax.isDecimal(Array(text.utf8)[...], allowLeadingPlus: false)
}
