import CByteScan
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
}
