@testable import Stats
import Foundation
import XCTest

/// The profiler's byte-keyed count tables hold exactly what the dictionaries they stand in
/// for would hold after the same stream.
final class CountTableTests: XCTestCase {
    private func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer(body)
    }

    func testLabelHeavyHittersEqualFrequentItemsOfStrings() {
        var rng = SketchTests.SplitMix(state: 23)
        // ASCII labels, canonically equal spellings (precomposed and decomposed é, the Kelvin
        // sign and K, Å and the Ångström sign), invalid UTF-8 (repaired alike), empty.
        let special: [[UInt8]] = [
            Array("é".utf8), Array("e\u{301}".utf8), Array("K".utf8), Array("\u{212A}".utf8),
            Array("\u{212B}".utf8), Array("\u{C5}".utf8), [0xFF, 0xFE], [0xFE, 0xFF], [0xC3], [],
            Array("Zu\u{308}rich".utf8), Array("Zürich".utf8),
        ]
        for (capacity, distinct) in [(4, 30), (16, 200), (64, 100), (1024, 3000)] {
            var expected = FrequentItems<String>(capacity: capacity)
            var table = LabelHeavyHitters(capacity: capacity)
            for step in 0..<20_000 {
                // Skewed: a few labels are frequent, so some survive every purge.
                let pick = Int(Double(distinct) * pow(Double.random(in: 0..<1, using: &rng), 3))
                let bytes = step % 7 == 0 ? special[pick % special.count] : Array("label-\(pick)".utf8)
                expected.add(String(decoding: bytes, as: UTF8.self))
                withBytes(bytes) { table.add($0, hash: Hashing.hash($0)) }
            }
            let actual = table.frequentItems
            XCTAssertEqual(actual, expected, "capacity \(capacity)")
            XCTAssertEqual(actual.counts.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) },
                           expected.counts.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) },
                           "each label keeps its first spelling")
        }
    }

    func testNumberCountTableEqualsADictionaryUpToItsCapacity() {
        var table = NumberCountTable(capacity: 8)
        var expected: [Double: Int] = [:]
        for x in [-0.0, 0.0, 1.5, 1.5, -2, 0.0, 1e300, 3, 4, 5, 7] {
            XCTAssertTrue(table.add(x))
            expected[x, default: 0] += 1
        }
        XCTAssertEqual(table.counted, expected)
        XCTAssertEqual(table.counted.keys.first { $0 == 0 }?.sign, .minus, "0 and -0 are one number, kept as first seen")
        XCTAssertFalse(table.add(6), "a ninth distinct number does not fit")
        XCTAssertTrue(table.add(5), "a counted one still does")
        XCTAssertEqual(table.counted[5], 2)
        XCTAssertEqual(table.counted.count, 8)
    }
}
