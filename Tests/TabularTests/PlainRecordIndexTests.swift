import CByteScan
import Foundation
import Tabular
import TestSupport
import XCTest

/// The structural index of plain CSV records (`sluice_index_plain_records`), with AVX2 and
/// with SSE2, against the same rules applied one byte at a time: every delimiter and LF of
/// the whole 64-byte blocks is an entry (a CRLF's at its CR) until the first quote or CR
/// not followed by LF, only whole records count, a record end's entry says whether its
/// record has a non-ASCII byte and ends with CRLF, and no block is started without room
/// for 64 entries. (`BlockScanTests` holds the reader that uses it to
/// RFC 4180.)
final class PlainRecordIndexTests: XCTestCase {
    func testIndexMatchesByteAtATimeRules() {
        var generator = SeededGenerator(seed: 9)
        let kinds = sluice_has_avx2() != 0 ? [0, 1] : [0] as [Int32]
        let entries = UnsafeMutablePointer<UInt32>.allocate(capacity: 1024)
        defer { entries.deallocate() }
        for round in 0..<4000 {
            let count = Int.random(in: 0..<1500, using: &generator)
            // Mostly plain bytes, sometimes every kind of byte the index looks at.
            let alphabet: [UInt8] = round % 3 == 0 ? Array("ab,,\n\n\"\r09".utf8) + [0xC3, 0xFF] : Array("xxxxxx,,\n".utf8) + (round % 3 == 1 ? [0xC3] : [])
            var bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! } + Array(repeating: 0, count: 64)
            // Every fourth buffer: most line ends CRLF (also across blocks), some CRs alone.
            if round % 4 == 3 {
                for index in 1..<max(1, count) where bytes[index] == UInt8(ascii: "\n") && Int.random(in: 0..<10, using: &generator) > 0 {
                    bytes[index - 1] = UInt8(ascii: "\r")
                }
            }
            let start = Int.random(in: 0...(count / 2), using: &generator)
            let capacity = Int.random(in: 64...1024, using: &generator)
            let expected = Self.reference(bytes, start: start, end: count, capacity: capacity)
            for avx2 in kinds {
                var next = 0
                let found = bytes.withUnsafeBufferPointer {
                    sluice_index_plain_records($0.baseAddress!, start, count, UInt8(ascii: ","), UInt8(ascii: "\""), entries, capacity, &next, avx2)
                }
                XCTAssertEqual(Array(UnsafeBufferPointer(start: entries, count: found)), expected.entries, "round \(round), avx2 \(avx2)")
                XCTAssertEqual(next, expected.next, "round \(round), avx2 \(avx2)")
            }
        }
    }

    /// The index's rules one byte at a time.
    private static func reference(_ bytes: [UInt8], start: Int, end: Int, capacity: Int) -> (entries: [UInt32], next: Int) {
        var entries: [UInt32] = []
        var complete = 0
        var next = start
        var nonASCII = false
        let blocksEnd = start + (end - start) / 64 * 64
        for i in start..<blocksEnd {
            if (i - start) % 64 == 0 && entries.count + 64 > capacity { break }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\r") {
                if i + 1 < blocksEnd && bytes[i + 1] != UInt8(ascii: "\n") { break }
                continue
            }
            if c >= 0x80 { nonASCII = true }
            if c == UInt8(ascii: ",") {
                entries.append(UInt32(i))
            } else if c == UInt8(ascii: "\n") {
                let crlf = i > start && bytes[i - 1] == UInt8(ascii: "\r")
                entries.append(UInt32(crlf ? i - 1 : i) | SLUICE_INDEX_RECORD_END | (nonASCII ? SLUICE_INDEX_NON_ASCII : 0) | (crlf ? SLUICE_INDEX_CRLF : 0))
                complete = entries.count
                next = i + 1
                nonASCII = false
            }
        }
        return (Array(entries[..<complete]), next)
    }

    /// Runs of plain records taken from the index (`TableReader.plainRun`, `skip`) are the
    /// records `next()` reads, cell for cell, with the same record numbers and lines, and
    /// `next()` goes on after a partly skipped run as if it had read every record: seeded
    /// files of 12-field records broken by other widths, blank lines, quoted fields,
    /// CRLF and lone CR, valid and invalid non-ASCII bytes, runs cut at random lengths.
    func testRunsOfPlainRecordsAreTheRecordsNextReads() throws {
        let dir = try TemporaryDirectory()
        let width = 12
        for seed in [21, 22] as [UInt64] {
            var generator = SeededGenerator(seed: seed)
            var bytes = Array((0..<width).map { "c\($0)" }.joined(separator: ",").utf8) + [0x0A]
            while bytes.count < 1_200_000 {
                let fields = Int.random(in: 0..<30, using: &generator) == 0 ? [1, 11, 13].randomElement(using: &generator)! : width
                for index in 0..<fields {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    let length = [0, 1, 3, 6, 9, 17].randomElement(using: &generator)!
                    var field = (0..<length).map { _ in UInt8.random(in: 0x30...0x39, using: &generator) }
                    switch Int.random(in: 0..<600, using: &generator) {
                    case 0: field = Array("\"q,\n\"\"\"".utf8)
                    case 1: field += Array("é".utf8)
                    case 2: field += [0xC3]
                    default: break
                    }
                    bytes += field
                }
                switch Int.random(in: 0..<80, using: &generator) {
                case 0: bytes += Array("\r".utf8)
                case 1: bytes += Array("\n\n".utf8)
                case 2, 3, 4: bytes += Array("\r\n".utf8)
                default: bytes += seed == 22 ? Array("\r\n".utf8) : [0x0A]
                }
            }
            let path = dir.file("runs-\(seed).csv")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let expected = try TableReader(TableSource(path: path))
            let reader = try TableReader(TableSource(path: path))
            var skipped = 0
            func same(_ context: String) -> Bool {
                guard reader.recordNumber == expected.recordNumber, reader.line == expected.line else {
                    XCTFail("seed \(seed), \(context): record \(reader.recordNumber) line \(reader.line), expected record \(expected.recordNumber) line \(expected.line)")
                    return false
                }
                return true
            }
            while true {
                if let run = reader.plainRun(width: width, limit: Int.random(in: 1...300, using: &generator)) {
                    let count = Int.random(in: 0..<4, using: &generator) == 0 ? Int.random(in: 0...run.count, using: &generator) : run.count
                    for record in 0..<count {
                        XCTAssertTrue(try expected.next())
                        let cells = (0..<width).map { Array(run.cell(record, $0)) }
                        let fields = (0..<expected.fieldCount).map { Array(expected.field($0)) }
                        guard cells == fields, expected.problem == nil else {
                            return XCTFail("seed \(seed), record \(expected.recordNumber) at line \(expected.line): run cells \(cells.map { String(decoding: $0, as: UTF8.self) }), next() fields \(fields.map { String(decoding: $0, as: UTF8.self) }), problem \(String(describing: expected.problem))")
                        }
                    }
                    reader.skip(count, of: run)
                    skipped += count
                    if count > 0, !same("after a run of \(count)") { return }
                }
                let more = try reader.next()
                XCTAssertEqual(more, try expected.next(), "seed \(seed)")
                guard more else { break }
                let fields = (0..<reader.fieldCount).map { Array(reader.field($0)) }
                guard same("next()"), fields == (0..<expected.fieldCount).map({ Array(expected.field($0)) }), reader.problem == expected.problem else {
                    return XCTFail("seed \(seed): record \(reader.recordNumber) differs after runs")
                }
            }
            XCTAssertEqual(reader.linesRead, expected.linesRead, "seed \(seed)")
            XCTAssertGreaterThan(skipped, expected.recordNumber / 2, "seed \(seed): most records should come in runs")
            XCTAssertLessThan(skipped, expected.recordNumber, "seed \(seed): some records should be left to next()")
        }
    }
}
