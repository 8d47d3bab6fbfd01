@testable import Tabular
import TestSupport
import XCTest

/// Default-format dates of the usual `YYYY-MM-DD` shape are read by a short path
/// (`CellSyntax.isoDateOfTenBytes`); every ten-byte cell must give what the token matcher
/// (`isoDate`) gives: the same day, or nil for the same cells.
final class DateFastPathTests: XCTestCase {
    func testTenByteDatesAgreeWithTheTokenMatcher() {
        var cells: [String] = []
        // Every month 00-13 and day 00-32 of a leap year, a common year, a century and 2000.
        for year in ["2024", "2023", "1900", "2000", "0000", "9999"] {
            for month in 0...13 {
                for day in 0...32 { cells.append("\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)") }
            }
        }
        // Ten-byte cells that are not all digits where digits belong, or have other separators.
        cells += ["2024-1-015", "2024-01-1a", "2024/01/15", "20240-1-15", "2024-01-+5", "+024-01-15", " 024-01-15", "2024-01- 5", "2024--1-15", "2024-01-15"]
        var generator = SeededGenerator(seed: 5)
        let alphabet = Array("0123456789-/ +a".utf8)
        for _ in 0..<20_000 {
            var bytes = (0..<10).map { _ in alphabet.randomElement(using: &generator)! }
            if Bool.random(using: &generator) { bytes[4] = UInt8(ascii: "-"); bytes[7] = UInt8(ascii: "-") }
            cells.append(String(decoding: bytes, as: UTF8.self))
        }
        for cell in cells {
            let bytes = Array(cell.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                XCTAssertEqual(CellSyntax.date(buffer, .iso), CellSyntax.isoDate.match(buffer)?.days, cell)
            }
        }
    }
}
