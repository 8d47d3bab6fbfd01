import Foundation
import Tabular
import TestSupport
import XCTest

/// `RecordBoundary`: the record start found from a cut is one a single pass starts a record
/// at, checked against `TableReader` itself: the bytes before it and after it, read as two
/// files, hold the whole file's records.
final class RecordBoundaryTests: XCTestCase {
    private func find(_ text: [UInt8], cut: Int, window: Int = RecordBoundary.defaultWindow) -> RecordBoundary.Finding {
        var scan = RecordBoundary(delimiter: UInt8(ascii: ","), quote: UInt8(ascii: "\""), previous: cut == 0 ? nil : text[cut - 1], window: window)
        let found = text[cut...].withUnsafeBufferPointer { scan.scan($0) }
        return found ?? scan.finish(atEndOfData: true)
    }

    private func records(_ bytes: [UInt8], in dir: TemporaryDirectory) throws -> [[String]] {
        let path = dir.file("part-\(UUID().uuidString).csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try TableReader(TableSource(path: path))
        var rows: [[String]] = []
        while try reader.next() { rows.append(reader.strings()) }
        return rows
    }

    /// The record start found from `cut`, as an offset in `text`; nil when none is agreed.
    private func agreedStart(_ text: String, cut: Int) -> Int? {
        guard case .agreed(let offset) = find(Array(text.utf8), cut: cut) else { return nil }
        return cut + offset
    }

    func testACutInsideAQuotedNewlineFindsTheNextRecord() {
        let text = "id,note\n1,\"first\nsecond\"\n2,plain\n"
        let afterQuotedNewline = 17  // the "s" of "second": a reader ignoring quotes would start a record here
        XCTAssertEqual(agreedStart(text, cut: afterQuotedNewline), 25, "the record after the quoted field: 2,plain")
        XCTAssertEqual(agreedStart(text, cut: 14), 25, "from \"fir|st\", the newline ahead is inside the quotes")
        XCTAssertEqual(agreedStart(text, cut: 25), 25, "a cut just after a record's end: every reading but one starts there, and that one dies at the end")
    }

    func testLineEndingsAndEmptyLines() {
        XCTAssertEqual(agreedStart("a\r\n1\r\n2\r\n", cut: 5), 6, "a cut between CR and LF: the record starts after the LF")
        XCTAssertEqual(agreedStart("a\r1\r2\r", cut: 3), 4)
        XCTAssertEqual(agreedStart("a\n1\n\n\n2\n", cut: 3), 4)
    }

    func testWithoutQuotesAheadTheOutsideReadingIsTakenAfterTheWindow() {
        let text = Array(("a,b\n" + String(repeating: "1,2\n", count: 100)).utf8)
        XCTAssertEqual(find(text, cut: 10, window: 64), .outsideQuotes(2), "a quoted field could still be open at the cut")
        XCTAssertEqual(find(text, cut: 10), .agreed(2), "the data ends with the quoted reading's field still open, so it is dropped")
    }

    func testTextThatNoReadingFitsIsReported() {
        // `,"a"b` after the cut: text after a closing quote whether or not the cut was inside quotes.
        XCTAssertEqual(find(Array("a\nx,\"a\"b\n1\n".utf8), cut: 3), .notFound)
    }

    /// Random files of quoted fields with delimiters, quotes, CR, LF and CRLF inside them,
    /// literal quotes inside unquoted fields, empty fields and empty lines; every cut.
    func testEveryCutOfRandomFilesSplitsThemAsOnePassReadsThem() throws {
        let dir = try TemporaryDirectory()
        var random = SplitMix(seed: 13)
        let pieces = ["x", "yz", ",", "\n", "\r\n", "\r", "\"\"", " "]
        let endings = ["\n", "\r\n", "\r"]
        var outsideAnswers = 0
        for _ in 0..<12 {
            var text = "a,b,c\n"
            let header = text.utf8.count
            for _ in 0..<(3 + random.next(6)) {
                var cells: [String] = []
                for _ in 0..<3 {
                    switch random.next(4) {
                    case 0: cells.append("")
                    case 1: cells.append("v\(random.next(100))\"w")  // a literal quote inside an unquoted field
                    default: cells.append("\"" + (0..<random.next(5)).map { _ in pieces[random.next(pieces.count)] }.joined() + "\"")
                    }
                }
                text += (random.next(8) == 0 ? "" : cells.joined(separator: ",")) + endings[random.next(endings.count)]
            }
            let bytes = Array(text.utf8)
            let whole = try records(bytes, in: dir)
            for cut in header...bytes.count {
                let start: Int
                switch find(bytes, cut: cut, window: 48) {
                case .agreed(let offset): start = cut + offset
                case .outsideQuotes: outsideAnswers += 1; continue
                case .notFound: XCTFail("no record start found after \(cut) in \(text.debugDescription)"); continue
                }
                let before = try records(Array(bytes[..<start]), in: dir)
                let after = try records(Array(bytes[..<header]) + Array(bytes[start...]), in: dir)
                XCTAssertEqual(before + after, whole, "cut \(cut) -> \(start) in \(text.debugDescription)")
            }
        }
        XCTAssertLessThan(outsideAnswers, 25, "readings converge within a record or two of a quoted field")
    }
}

/// A small seeded generator, so a failure repeats.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
