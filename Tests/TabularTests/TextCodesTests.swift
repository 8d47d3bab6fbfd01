import Tabular
import XCTest

/// `TextCodes` and `CellBytes` read cells from bytes but answer as the cells' `String`s would.
final class TextCodesTests: XCTestCase {
    private func code(_ text: String, _ codes: inout TextCodes) -> Int32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { codes.code(of: UnsafeBufferPointer($0)) }
    }

    func testDistinctTextsAreThoseOfAStringSet() {
        // é precomposed and decomposed, the Kelvin sign and K, and "Å" (U+212B) and "Å"
        // are canonically equivalent; "k" and "K" are not.
        let cells = ["K7", "caf\u{E9}", "\u{212A}7", "cafe\u{301}", "k7", "", "K7", "\u{212B}", "\u{C5}", "", "x\u{FF}"]
        var codes = TextCodes()
        let assigned = cells.map { code($0, &codes) }
        XCTAssertEqual(assigned, [0, 1, 0, 1, 2, 3, 0, 4, 4, 3, 5])
        XCTAssertEqual(codes.texts.count, Set(cells).count)
        // Each text is its first appearance's.
        XCTAssertEqual(codes.texts.map { Array($0.unicodeScalars) }, ["K7", "caf\u{E9}", "k7", "", "\u{212B}", "x\u{FF}"].map { Array($0.unicodeScalars) })
    }

    func testFingerprintsAndEqualityFollowStringEquality() {
        let pairs: [(String, String, Bool)] = [
            ("caf\u{E9}", "cafe\u{301}", true), ("\u{212A}", "K", true), ("K", "k", false),
            ("abc", "abc", true), ("abc", "abd", false), ("", "", true), ("1", " 1", false),
        ]
        for (a, b, equal) in pairs {
            var x = Array(a.utf8), y = Array(b.utf8)
            x.withUnsafeMutableBufferPointer { x in
                y.withUnsafeMutableBufferPointer { y in
                    let (a, b) = (UnsafeBufferPointer(x), UnsafeBufferPointer(y))
                    XCTAssertEqual(CellBytes.textsEqual(a, b), equal, "\(Array(String(decoding: a, as: UTF8.self).unicodeScalars))")
                    XCTAssertEqual(CellBytes.textFingerprint(a) == CellBytes.textFingerprint(b), equal)
                }
            }
        }
    }
}
