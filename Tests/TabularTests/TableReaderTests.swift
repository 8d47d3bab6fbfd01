import Core
import Foundation
import Tabular
import TestSupport
import XCTest

final class TableReaderTests: XCTestCase {
    private func records(_ text: String, name: String = "t.csv", delimiter: UInt8? = nil) throws -> (header: [String], rows: [[String]], lines: [Int]) {
        let dir = try TemporaryDirectory()
        let path = try dir.write(name, text)
        let reader = try TableReader(TableSource(path: path, delimiter: delimiter))
        var rows: [[String]] = [], lines: [Int] = []
        while try reader.next() {
            rows.append(reader.strings())
            lines.append(reader.line)
        }
        return (reader.header, rows, lines)
    }

    func testQuotedFieldsDoubledQuotesAndEmbeddedNewlines() throws {
        let result = try records("id,text\r\n1,\"a, \"\"b\"\"\"\r\n2,\"line one\nline two\"\r\n3,plain\r\n")
        XCTAssertEqual(result.header, ["id", "text"])
        XCTAssertEqual(result.rows, [["1", "a, \"b\""], ["2", "line one\nline two"], ["3", "plain"]])
        XCTAssertEqual(result.lines, [2, 3, 5], "a record's line is where it starts; embedded newlines count")
    }

    func testByteOrderMarkAndMissingFinalNewline() throws {
        let result = try records("\u{FEFF}a,b\n1,2")
        XCTAssertEqual(result.header, ["a", "b"])
        XCTAssertEqual(result.rows, [["1", "2"]])
    }

    func testEmptyFieldsAndTrailingDelimiter() throws {
        let result = try records("a,b,c\n,,\n1,,\n")
        XCTAssertEqual(result.rows, [["", "", ""], ["1", "", ""]])
    }

    func testEmptyLineIsARecordWithoutFields() throws {
        let result = try records("a,b\n1,2\n\n3,4\n")
        XCTAssertEqual(result.rows, [["1", "2"], [], ["3", "4"]])
        XCTAssertEqual(result.lines, [2, 3, 4])
    }

    func testTabDelimiterInferredFromName() throws {
        let result = try records("a\tb\n1\t2\n", name: "t.tsv")
        XCTAssertEqual(result.rows, [["1", "2"]])
    }

    func testChosenDelimiter() throws {
        let result = try records("a;b\n1,5;2\n", delimiter: UInt8(ascii: ";"))
        XCTAssertEqual(result.rows, [["1,5", "2"]])
    }

    func testRecordsCrossingBufferBoundariesAndVeryLongField() throws {
        // 3 MiB of records with quotes and a 2.5 MiB field force refills and buffer growth.
        var text = "id,value\n"
        var expected: [[String]] = []
        for index in 0..<60_000 {
            let value = index % 7 == 0 ? "\"q\"\"\(index)\"" : "v\(index)"
            text += "\(index),\(value)\n"
            expected.append(["\(index)", index % 7 == 0 ? "q\"\(index)" : "v\(index)"])
        }
        let long = String(repeating: "x", count: 2_500_000)
        text += "long,\"\(long)\"\n"
        expected.append(["long", long])
        let result = try records(text)
        XCTAssertEqual(result.rows.count, expected.count)
        XCTAssertEqual(result.rows, expected)
    }

    func testGzipInputIsReadTransparently() throws {
        let dir = try TemporaryDirectory()
        let plain = try dir.write("data.csv", "a,b\n1,2\n3,4\n")
        let gz = try runProcess("gzip", ["-k", plain])
        XCTAssertEqual(gz.status, 0)
        let reader = try TableReader(TableSource(path: plain + ".gz"))
        var rows: [[String]] = []
        while try reader.next() { rows.append(reader.strings()) }
        XCTAssertEqual(rows, [["1", "2"], ["3", "4"]])
    }

    func testLargeAndMultiMemberGzipReadLikeThePlainFile() throws {
        // 6 MB inflates into several of the inflating thread's 1 MiB blocks; two gzip
        // members back to back (as cat or bgzip make them) read as one stream.
        let dir = try TemporaryDirectory()
        var text = "id,value,note\n"
        for index in 0..<300_000 { text += "\(index),\(index % 97).5,n\(index % 13)\n" }
        let plain = try dir.write("big.csv", text)
        XCTAssertEqual(try runProcess("gzip", ["-k", "-1", plain]).status, 0)
        let bytes = Array(text.utf8)
        let first = try dir.write("first.part", String(decoding: bytes[..<(bytes.count / 2)], as: UTF8.self))
        let second = try dir.write("second.part", String(decoding: bytes[(bytes.count / 2)...], as: UTF8.self))
        XCTAssertEqual(try runProcess("gzip", ["-k", first, second]).status, 0)
        let members = dir.file("members.csv.gz")
        let joined = try Data(contentsOf: URL(fileURLWithPath: first + ".gz")) + Data(contentsOf: URL(fileURLWithPath: second + ".gz"))
        try joined.write(to: URL(fileURLWithPath: members))
        func all(_ path: String) throws -> (rows: [[String]], lines: [Int]) {
            let reader = try TableReader(TableSource(path: path))
            var rows: [[String]] = [], lines: [Int] = []
            while try reader.next() { rows.append(reader.strings()); lines.append(reader.line) }
            return (rows, lines)
        }
        let expected = try all(plain)
        XCTAssertEqual(expected.rows.count, 300_000)
        for path in [plain + ".gz", members] {
            let actual = try all(path)
            XCTAssertTrue(actual.rows == expected.rows && actual.lines == expected.lines, path)
        }
    }

    func testTruncatedGzipIsAReadErrorNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        var text = "a,b\n"
        for index in 0..<200_000 { text += "\(index),\(index &* 7919 % 10007)\n" }
        let plain = try dir.write("t.csv", text)
        XCTAssertEqual(try runProcess("gzip", ["-k", plain]).status, 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
        let cut = dir.file("cut.csv.gz")
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try { let reader = try TableReader(TableSource(path: cut)); while try reader.next() {} }()) { error in
            let readError = error as? TableReadError
            XCTAssertEqual(readError?.path, cut)
            guard case .unreadable = readError?.kind else { return XCTFail("expected unreadable, got \(error)") }
        }
    }

    func testFieldBoundariesAtEveryOffsetOfAWord() throws {
        // The reader looks for delimiters eight bytes at a time: fields of every length
        // from 0 to 19, at every alignment, ended by , LF, CRLF or CR, with a non-ASCII
        // byte at varying places, must split exactly as one byte at a time would.
        var text = "a,b,c\n"
        var expected: [[String]] = []
        var line = 0
        for first in 0..<20 {
            for second in 0..<12 {
                let a = String(repeating: "x", count: first)
                var b = String(repeating: "y", count: second)
                if second > 0 && (first + second) % 3 == 0 { b.replaceSubrange(b.index(b.startIndex, offsetBy: second / 2)...b.index(b.startIndex, offsetBy: second / 2), with: "é") }
                let c = String(repeating: "z", count: (first * 7 + second) % 11)
                let ending = ["\n", "\r\n", "\r"][line % 3]
                text += "\(a),\(b),\(c)\(ending)"
                expected.append([a, b, c])
                line += 1
            }
        }
        let result = try records(text)
        XCTAssertEqual(result.rows, expected)
        XCTAssertEqual(result.lines, Array(2..<(2 + expected.count)))
    }

    func testUnterminatedQuoteNamesTheLine() throws {
        XCTAssertThrowsError(try records("a,b\n1,2\n3,\"open\n")) { error in
            let readError = error as? TableReadError
            XCTAssertEqual(readError?.kind, .unterminatedQuote(line: 3))
            XCTAssertEqual(readError?.exitStatus.rawValue, 1)
        }
    }

    func testTextAfterClosingQuoteIsAnError() throws {
        XCTAssertThrowsError(try records("a,b\n\"x\"y,2\n")) { error in
            XCTAssertEqual((error as? TableReadError)?.kind, .textAfterQuote(line: 2, column: 1))
        }
    }

    func testInvalidUTF8IsFlaggedOnTheRecordAndReadingGoesOn() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("bad.csv")
        var bytes = Array("a,b\n1,ok\n2,".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n3,é\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try TableReader(TableSource(path: path))
        var problems: [RecordProblem?] = []
        while try reader.next() { problems.append(reader.problem) }
        XCTAssertEqual(problems, [nil, .invalidUTF8, nil])
    }

    func testEmptyFileAndMissingFile() throws {
        XCTAssertThrowsError(try records("")) { error in
            XCTAssertEqual((error as? TableReadError)?.kind, .empty)
        }
        XCTAssertThrowsError(try TableReader(TableSource(path: "/nonexistent/data.csv"))) { error in
            XCTAssertEqual((error as? TableReadError)?.exitStatus.rawValue, 3)
            XCTAssertTrue("\(error)".contains("/nonexistent/data.csv"))
        }
    }

    func testHeaderOnlyHasNoRecords() throws {
        let result = try records("a,b\n")
        XCTAssertEqual(result.header, ["a", "b"])
        XCTAssertTrue(result.rows.isEmpty)
    }

    func testJSONLinesKeepsKeyOrderUnescapesAndReadsNullAsMissing() throws {
        let text = """
        {"id": 1, "name": "a\\"b\\u00e9", "ok": true, "tags": [1, {"x": "]"}]}
        {"name": "c", "id": 2, "ok": null, "extra": 5}

        not json
        """
        let result = try records(text + "\n", name: "d.jsonl")
        XCTAssertEqual(result.header, ["id", "name", "ok", "tags"])
        XCTAssertEqual(result.rows[0], ["1", "a\"bé", "true", "[1, {\"x\": \"]\"}]"])
        XCTAssertEqual(result.rows[1], ["2", "c", "", ""])
        XCTAssertEqual(result.rows[2], [])
        XCTAssertEqual(result.rows[3], [])
        XCTAssertEqual(result.lines, [1, 2, 3, 4])
    }

    func testJSONLinesReportsMalformedLinesAndUnknownKeys() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("d.ndjson", "{\"a\": 1}\n{\"a\": 2, \"b\": 3}\n{\"a\": }\n")
        let reader = try TableReader(TableSource(path: path))
        XCTAssertTrue(try reader.next())
        XCTAssertTrue(try reader.next())
        XCTAssertEqual(reader.unknownKeys, ["b"])
        XCTAssertTrue(try reader.next())
        guard case .malformedJSON(let message)? = reader.problem else { return XCTFail("expected a malformed line") }
        XCTAssertTrue(message.contains("expected a value"), message)
    }

    func testNumberSyntax() {
        func double(_ s: String) -> Double? { Array(s.utf8).withUnsafeBufferPointer { NumberSyntax.double($0) } }
        func integer(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBufferPointer { NumberSyntax.integer($0) } }
        XCTAssertEqual(double("1.5e3"), 1500)
        XCTAssertEqual(double("-.5"), -0.5)
        XCTAssertEqual(double("0.1"), 0.1)
        XCTAssertEqual(double("12345678901234567890"), 12345678901234567890.0)
        XCTAssertNil(double("1e"))
        XCTAssertNil(double("0x10"))
        XCTAssertNil(double(" 1"))
        XCTAssertNil(double("inf"))
        XCTAssertEqual(integer("-9223372036854775808"), Int64.min)
        XCTAssertNil(integer("9223372036854775808"))
        XCTAssertNil(integer("1.0"))
        XCTAssertNil(integer("-"))
    }
}

final class FileDigestTests: XCTestCase {
    func testSHA256MatchesCoreutils() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("x.txt", String(repeating: "sluice\n", count: 400_000))
        let expected = try runProcess("sha256sum", [path]).stdout.split(separator: " ").first.map(String.init)
        XCTAssertEqual(try FileDigest.sha256(path: path), expected)
    }
}
