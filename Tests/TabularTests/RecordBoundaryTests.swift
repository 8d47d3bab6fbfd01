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

    func testACutInsideAQuotedNewlineFindsTheNextRecord() {
        let text = Array("id,note\n1,\"first\nsecond\"\n2,plain\n".utf8)
        let inside = text.firstIndex(of: UInt8(ascii: "s"))!  // in "second", after the quoted newline
        XCTAssertEqual(find(text, cut: inside), .agreed(text.count - 8), "the record after the quoted field: 2,plain")
        let beforeNewline = text.firstIndex(of: UInt8(ascii: "\n"))! + 6  // "1,\"fir|st"
        XCTAssertEqual(find(text, cut: beforeNewline), .agreed(text.count - 8))
    }

    func testLineEndingsAndEmptyLines() {
        let crlf = Array("a\r\n1\r\n2\r\n".utf8)
        XCTAssertEqual(find(crlf, cut: 4), .agreed(6), "a cut between CR and LF: the record starts after the LF")
        let lone = Array("a\r1\r2\r".utf8)
        XCTAssertEqual(find(lone, cut: 3), .agreed(4))
        let empty = Array("a\n1\n\n\n2\n".utf8)
        XCTAssertEqual(find(empty, cut: 3), .agreed(4))
    }

    func testWithoutQuotesAheadTheOutsideReadingIsTakenAfterTheWindow() {
        let text = Array(("a,b\n" + String(repeating: "1,2\n", count: 100)).utf8)
        XCTAssertEqual(find(text, cut: 10, window: 64), .outsideQuotes(2), "a quoted field could still be open at the cut")
        XCTAssertEqual(find(text, cut: 10), .agreed(2), "the data ends with the quoted reading's field still open, so it is dropped")
    }

    func testTextThatNoReadingFitsIsReported() {
        // `"x"y`: text after a closing quote whether or not the cut was inside quotes.
        let text = Array("a\n\"x\"y\"z\"w\n".utf8)
        XCTAssertEqual(find(text, cut: 4), .notFound)
    }

    /// Random files of quoted fields with delimiters, quotes, CR, LF and CRLF inside them,
    /// literal quotes inside unquoted fields, empty fields and empty lines; every cut.
    func testEveryCutOfRandomFilesSplitsThemAsOnePassReadsThem() throws {
        let dir = try TemporaryDirectory()
        var random = SplitMix(seed: 13)
        let pieces = ["x", "yz", ",", "\n", "\r\n", "\r", "\"\"", " "]
        let endings = ["\n", "\r\n", "\r"]
        var outsideAnswers = 0
        for _ in 0..<25 {
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
        XCTAssertLessThan(outsideAnswers, 50, "readings converge within a record or two of a quoted field")
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
