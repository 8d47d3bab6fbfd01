import Foundation
import Tabular
import TestSupport
import XCTest

/// The CSV reader finds field and record ends 64 bytes at a time (SSE2 bit masks), eight at
/// a time near the end of its buffer, and byte by byte in quoted fields. These tests hold it
/// to a plain byte-at-a-time reading of RFC 4180 (`ReferenceCSV`, written for the test) on
/// files built to put every kind of field at every offset of a block and across the
/// buffer's refills: fields, line numbers and UTF-8 verdicts must be identical.
final class BlockScanTests: XCTestCase {
    /// Every field length around the block and word sizes at every offset of a 64-byte
    /// block, ended by LF, CRLF or CR, with a non-ASCII or invalid byte in the next record
    /// (which a block scanned for this one already covers).
    func testEveryLengthAtEveryOffsetOfABlock() throws {
        var bytes = Array("a,b,c\n".utf8)
        var record = 0
        for prefix in 0..<70 {
            for length in [0, 1, 7, 8, 9, 15, 16, 31, 55, 56, 57, 63, 64, 65, 100, 127, 128, 129, 200] {
                bytes += Array(repeating: UInt8(ascii: "x"), count: prefix) + [UInt8(ascii: ",")]
                bytes += Array(repeating: UInt8(ascii: "y"), count: length) + [UInt8(ascii: ",")]
                switch record % 5 {
                case 0: bytes += Array("é".utf8)
                case 1: bytes += [0xC3, 0x28]  // invalid UTF-8
                case 2: bytes += Array("\"q,\nq\"".utf8)
                default: bytes += Array("z".utf8)
                }
                bytes += Array(["\n", "\r\n", "\r"][record % 3].utf8)
                record += 1
            }
        }
        try assertReadsAsReference(bytes)
    }

    /// Seeded random files of a few MiB: plain, quoted (with delimiters, doubled quotes and
    /// line breaks inside), long, empty, non-ASCII and invalid fields, every line ending,
    /// blank lines and ragged rows, so that records straddle the 1 MiB buffer's refills.
    func testRandomFilesReadAsByteByByte() throws {
        for seed in [1, 2, 3] as [UInt64] {
            var generator = SeededGenerator(seed: seed)
            var bytes = Array("a,b,c,d\n".utf8)
            while bytes.count < 3_000_000 {
                if Int.random(in: 0..<50, using: &generator) == 0 {
                    bytes += Array(["\n", "\r\n", "\r"].randomElement(using: &generator)!.utf8)
                    continue
                }
                let fields = Int.random(in: 1...8, using: &generator)
                for index in 0..<fields {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    bytes += randomField(&generator)
                }
                bytes += Array(["\n", "\r\n", "\r"].randomElement(using: &generator)!.utf8)
            }
            try assertReadsAsReference(bytes, "seed \(seed)")
        }
    }

    /// Records of many short fields, so that several end inside one block and the reader
    /// takes them from the block's masks in a run: every run is broken in every way (a
    /// field opening with a quote, a line end, a field running past the block, a quote or
    /// non-ASCII byte inside a field, invalid UTF-8) at seeded random places, and records of
    /// up to 150 fields grow the field bounds in the middle of a run.
    func testRunsOfShortFieldsInsideBlocks() throws {
        for seed in [4, 5] as [UInt64] {
            var generator = SeededGenerator(seed: seed)
            var bytes = Array("a,b\n".utf8)
            while bytes.count < 1_500_000 {
                let fields = [1, 2, 5, 16, 20, 63, 64, 65, 150].randomElement(using: &generator)!
                for index in 0..<fields {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    let length = Int.random(in: 0...5, using: &generator)
                    var field = (0..<length).map { _ in UInt8.random(in: 0x30...0x39, using: &generator) }
                    switch Int.random(in: 0..<40, using: &generator) {
                    case 0: field = Array("\"\(length),\"\"x\"".utf8)  // quoted, with a delimiter and a doubled quote
                    case 1 where length > 1: field[1] = UInt8(ascii: "\"")  // a quote inside a plain field is text
                    case 2: field += Array("é".utf8)
                    case 3 where length > 0: field[0] = 0xFF
                    case 4: field += Array(repeating: UInt8(ascii: "x"), count: 70)
                    default: break
                    }
                    bytes += field
                }
                bytes += Array(["\n", "\r\n", "\r"].randomElement(using: &generator)!.utf8)
            }
            try assertReadsAsReference(bytes, "seed \(seed)")
        }
    }

    /// Files of mostly plain records (LF endings, CRLF in one file; no quotes), which the
    /// reader cuts from its structural index (`PlainRecordIndex`), broken at seeded random
    /// places by what the index leaves to the byte-exact reader or flags: quoted fields with
    /// delimiters, line breaks and doubled quotes, a quote inside a plain field, the other
    /// line end and lone CR, blank lines, valid and invalid non-ASCII bytes (also in a block before the record's end),
    /// records of up to 300 fields across several blocks, and a last record without LF.
    /// One file of one-byte fields fills the index's capacity in the middle of the buffer.
    func testPlainRecordsFromTheIndex() throws {
        for seed in [6, 7, 8] as [UInt64] {
            var generator = SeededGenerator(seed: seed)
            var bytes = Array("a,b,c\n".utf8)
            let lineEnd = seed == 8 ? "\r\n" : "\n"
            while bytes.count < 1_500_000 {
                let fields = [1, 3, 16, 20, 40, 300].randomElement(using: &generator)!
                for index in 0..<fields {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    let length = [0, 1, 2, 5, 8, 12, 70].randomElement(using: &generator)!
                    var field = (0..<length).map { _ in UInt8.random(in: 0x30...0x39, using: &generator) }
                    switch Int.random(in: 0..<400, using: &generator) {
                    case 0: field = Array("\"q,\n\"\"\r\n\"".utf8)
                    case 1 where length > 1: field[1] = UInt8(ascii: "\"")
                    case 2: field += Array("é".utf8)
                    case 3: field += [0xC3]
                    case 4: field += Array("\r".utf8)
                    default: break
                    }
                    bytes += field
                }
                switch Int.random(in: 0..<60, using: &generator) {
                case 0: bytes += Array("\r\n".utf8)
                case 1: bytes += Array("\r".utf8)
                case 2: bytes += Array((lineEnd + lineEnd).utf8)
                case 3: bytes += Array("\n".utf8)
                default: bytes += Array(lineEnd.utf8)
                }
            }
            bytes += Array("1,2,3".utf8)
            try assertReadsAsReference(bytes, "seed \(seed)")
        }
        let oneByteFields = Array(repeating: "1,2,3,4,5,6,7,8,9\n", count: 80_000).joined()
        try assertReadsAsReference(Array(("a,b,c,d,e,f,g,h,i\n" + oneByteFields).utf8), "one-byte fields")
    }

    private func randomField(_ generator: inout SeededGenerator) -> [UInt8] {
        let length = [0, 1, 3, 6, 8, 9, 12, 40, 63, 64, 65, 130].randomElement(using: &generator)!
        var field = (0..<length).map { _ in UInt8.random(in: 0x61...0x7A, using: &generator) }
        switch Int.random(in: 0..<8, using: &generator) {
        case 0 where length > 0: field[Int.random(in: 0..<length, using: &generator)] = 0xFF
        case 1: field += Array("ü".utf8)
        case 2: return [UInt8(ascii: "\"")] + field + Array("\"\",\r\n".utf8) + field + [UInt8(ascii: "\"")]
        case 3 where length > 1: field[Int.random(in: 1..<length, using: &generator)] = UInt8(ascii: "\"")  // a quote inside a plain field is text
        default: break
        }
        return field
    }

    private func assertReadsAsReference(_ bytes: [UInt8], _ context: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try TableReader(TableSource(path: path))
        var expected = ReferenceCSV(bytes)
        let header = expected.next()
        XCTAssertEqual(reader.header, header?.fields.map { String(decoding: $0, as: UTF8.self) }, context, file: file, line: line)
        var count = 0
        while try reader.next() {
            guard let record = expected.next() else { return XCTFail("\(context): a record more than expected at line \(reader.line)", file: file, line: line) }
            let fields = (0..<reader.fieldCount).map { Array(reader.field($0)) }
            if fields != record.fields || reader.line != record.line || (reader.problem == .invalidUTF8) != record.invalidUTF8 {
                return XCTFail("\(context): record \(count + 1) at line \(reader.line) (expected line \(record.line)): \(fields.map { String(decoding: $0, as: UTF8.self) }) invalid \(reader.problem == .invalidUTF8), expected \(record.fields.map { String(decoding: $0, as: UTF8.self) }) invalid \(record.invalidUTF8)", file: file, line: line)
            }
            count += 1
        }
        XCTAssertNil(expected.next(), "\(context): fewer records than expected (\(count))", file: file, line: line)
        XCTAssertGreaterThan(count, 100, context, file: file, line: line)
    }
}

/// RFC 4180 read one byte at a time, as the reader promises to read it: a record is fields
/// split at `,` and ended by LF, CRLF or CR (an empty line is a record without fields); a
/// field opening with `"` runs to the next `"` not doubled, may hold line breaks (each LF
/// counts as a line) and loses its doubled quotes; a record is invalid when its bytes are
/// not UTF-8.
private struct ReferenceCSV {
    let bytes: [UInt8]
    var position = 0
    var line = 1

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> (fields: [[UInt8]], line: Int, invalidUTF8: Bool)? {
        guard position < bytes.count else { return nil }
        let start = position
        let firstLine = line
        var fields: [[UInt8]] = []
        var lines = 1
        if bytes[position] == 0x0A || bytes[position] == 0x0D {
            endLine()
            line += 1
            return ([], firstLine, false)
        }
        while true {
            var field: [UInt8] = []
            if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
                position += 1
                while true {
                    let c = bytes[position]
                    if c == UInt8(ascii: "\"") {
                        if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
                            field.append(c)
                            position += 2
                            continue
                        }
                        position += 1
                        break
                    }
                    if c == 0x0A { lines += 1 }
                    field.append(c)
                    position += 1
                }
            } else {
                while position < bytes.count, ![UInt8(ascii: ","), 0x0A, 0x0D].contains(bytes[position]) {
                    field.append(bytes[position])
                    position += 1
                }
            }
            fields.append(field)
            if position == bytes.count { break }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                if position == bytes.count { fields.append([]); break }
                continue
            }
            endLine()
            break
        }
        line += lines
        let valid = String(validating: bytes[start..<position], as: UTF8.self) != nil
        return (fields, firstLine, !valid)
    }

    /// Moves past LF, CR or CRLF.
    private mutating func endLine() {
        if bytes[position] == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A { position += 2 } else { position += 1 }
    }
}
