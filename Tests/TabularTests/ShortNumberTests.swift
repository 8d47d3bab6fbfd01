import Foundation
@testable import Tabular
import TestSupport
import XCTest

/// `NumberSyntax.shortDecimal` and `shortInteger`, the eight-digits-at-a-time readers of
/// short cells: whenever they give a value it must be `double`'s (and strtod's) bit for
/// bit, or `integer`'s; they must read the common shapes (`[+-]?d{1,7}.d{1,8}`,
/// `[+-]?d{1,8}`) themselves; and the bytes after a cell, which they load, must not change
/// their answer. Inputs come from seeded generators, so a failure repeats.
final class ShortNumberTests: XCTestCase {
    /// `cell` followed by `after` and the reader's padding, read by `body`.
    private func padded<R>(_ cell: [UInt8], after: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        (cell + after + [UInt8](repeating: 0, count: TableReader.fieldPadding)).withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[0..<cell.count]))
        }
    }

    private func digits(_ count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 48...57, using: &generator) }
    }

    /// Bytes that look like the continuation of a number, so a reader that used them would
    /// give another value.
    private func lookalike(_ generator: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("0123456789.9-e".utf8)
        return (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
    }

    func testCommonShapesAreReadAndMatchStrtod() {
        var generator = SeededGenerator(seed: 20261201)
        var failures = 0
        for _ in 0..<300_000 where failures < 20 {
            let integerDigits = Int.random(in: 1...7, using: &generator)
            let decimals = Int.random(in: 1...8, using: &generator)
            var cell = digits(integerDigits, &generator) + [UInt8(ascii: ".")] + digits(decimals, &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: cell.insert(UInt8(ascii: "-"), at: 0)
            case 1: cell.insert(UInt8(ascii: "+"), at: 0)
            default: break
            }
            let text = String(decoding: cell, as: UTF8.self)
            let expected = text.withCString { strtod($0, nil) }.bitPattern
            let short = padded(cell, after: lookalike(&generator)) { NumberSyntax.shortDecimal(padded: $0) }
            if short?.bitPattern != expected {
                XCTFail("\(text): short path \(short.debugDescription), strtod \(Double(bitPattern: expected)) (seed 20261201)")
                failures += 1
            }
        }
    }

    func testAnyCellGivesDoublesValueOrNothing() {
        var generator = SeededGenerator(seed: 20261202)
        let alphabet = Array("0123456789..-+eE \t,x".utf8)
        var read = 0
        var failures = 0
        for _ in 0..<300_000 where failures < 20 {
            var cell = (0..<Int.random(in: 1...19, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            // Mostly digits, so that many cells are numbers.
            for index in cell.indices where Int.random(in: 0..<4, using: &generator) > 0 && cell[index] > 0x39 { cell[index] = UInt8(ascii: "7") }
            let text = String(decoding: cell, as: UTF8.self)
            let general = cell.withUnsafeBufferPointer { NumberSyntax.double($0) }
            guard let short = padded(cell, after: lookalike(&generator), { NumberSyntax.shortDecimal(padded: $0) }) else { continue }
            read += 1
            if short.bitPattern != general?.bitPattern {
                XCTFail("\"\(text)\": short path \(short), double \(general.debugDescription) (seed 20261202)")
                failures += 1
            }
        }
        XCTAssertGreaterThan(read, 10_000)
    }

    func testEdgeCases() {
        func short(_ text: String) -> Double? { padded(Array(text.utf8), after: Array("5.5".utf8)) { NumberSyntax.shortDecimal(padded: $0) } }
        for text in ["0", "-0", "+0", "0.0", "-0.0", "1", "12345678", "-99999999", "9999999.99999999", "0.00000001",
                     "1234567.1", "1.12345678", "-8.922596", "51538.09", "100.432327"] {
            let expected = text.withCString { strtod($0, nil) }
            XCTAssertEqual(short(text)?.bitPattern, expected.bitPattern, text)
        }
        // Left to `double`: not the short shapes, or not numbers.
        for text in ["", "-", "+", ".", "-.", ".5", "5.", "+.5", "123456789", "12345678.5", "1.123456789", "1e5", "1.5e3",
                     " 1.5", "1.5 ", "1..5", "1.5.", "1,5", "--1", "+-1", "nan", "inf", "0x1"] {
            XCTAssertNil(short(text), text)
        }
    }

    func testIntegersMatchTheGeneralReader() {
        var generator = SeededGenerator(seed: 20261203)
        let alphabet = Array("0123456789-+. e".utf8)
        var read = 0
        for _ in 0..<200_000 {
            var cell = (0..<Int.random(in: 1...11, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            for index in cell.indices where Int.random(in: 0..<3, using: &generator) > 0 && cell[index] > 0x39 { cell[index] = UInt8(ascii: "3") }
            let general = cell.withUnsafeBufferPointer { NumberSyntax.integer($0) }
            let short = padded(cell, after: lookalike(&generator)) { NumberSyntax.shortInteger(padded: $0) }
            if let short {
                read += 1
                XCTAssertEqual(short, general, String(decoding: cell, as: UTF8.self))
            } else if let general, cell.count <= 8, general >= 0, cell.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                XCTFail("\(general): an unsigned integer of at most eight digits is left to the general reader")
            }
        }
        XCTAssertGreaterThan(read, 10_000)
        for text in ["0", "-0", "+7", "12345678", "-12345678"] {
            XCTAssertEqual(padded(Array(text.utf8), after: []) { NumberSyntax.shortInteger(padded: $0) }, Int64(text))
        }
        for text in ["", "-", "+", "123456789", "1.0", " 1", "1 ", "1-"] {
            XCTAssertNil(padded(Array(text.utf8), after: Array("99".utf8)) { NumberSyntax.shortInteger(padded: $0) }, text)
        }
    }

    func testEightDigitsAgainstEachPlaceValue() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<50_000 {
            let count = Int.random(in: 1...8, using: &generator)
            let cell = digits(count, &generator) + lookalike(&generator) + [UInt8](repeating: 0x2E, count: 8)
            let word = cell.withUnsafeBufferPointer { EightDigits.load($0.baseAddress!) }
            let expected = cell[0..<count].reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) }
            XCTAssertEqual(EightDigits.value(word, count: count), expected)
        }
        // Every byte that is not a digit, in every lane.
        for byte in (0...255).map(UInt8.init) where byte < 48 || byte > 57 {
            for lane in 0..<8 {
                var cell = [UInt8](repeating: UInt8(ascii: "5"), count: 8)
                cell[lane] = byte
                let word = cell.withUnsafeBufferPointer { EightDigits.load($0.baseAddress!) }
                XCTAssertNil(EightDigits.value(word, count: 8), "byte \(byte) in lane \(lane)")
                if lane > 0 {
                    XCTAssertEqual(EightDigits.value(word, count: lane), UInt64(String(repeating: "5", count: lane)), "byte \(byte) after \(lane) digits")
                }
            }
        }
    }
}
