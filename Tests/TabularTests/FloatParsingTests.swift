import Foundation
@testable import Tabular
import TestSupport
import XCTest

/// `NumberSyntax.double` must give strtod's double, bit for bit, on every plain decimal, and
/// refuse exactly what `isDecimal` refuses. Inputs come from a seeded generator, so a
/// failure repeats; each test prints the seed in its messages.
final class FloatParsingTests: XCTestCase {
    private func parsed(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { NumberSyntax.double($0) }
    }

    private func strtodValue(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    /// Asserts the bits agree with strtod's; returns whether they did.
    @discardableResult
    private func assertAsStrtod(_ text: String, _ context: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let expected = strtodValue(text).bitPattern
        let actual = parsed(text)?.bitPattern
        XCTAssertEqual(actual, expected, "\(text) (\(context)): got \(actual.map { Double(bitPattern: $0) }.debugDescription), strtod says \(Double(bitPattern: expected))", file: file, line: line)
        return actual == expected
    }

    func testEdgeCasesMatchStrtod() {
        let cases = [
            "0", "-0", "+0", "0.0e0", "0e999999999", "-0.000e-5", "1", "5.", ".5", "+1.5", "1.e5", ".1e-5",
            "0.1", "0.2", "0.3", "1e22", "1e23", "1e-22", "1e-23", "123456789012345", "9007199254740992",
            "9007199254740993", "9007199254740995", "9007199254740992.5", "4503599627370496.5", "4503599627370497.5",
            "7.3177701707893310e+15", "18446744073709551615", "18446744073709551616", "9999999999999999999",
            "10000000000000000000", "99999999999999999999", "1.7976931348623157e308", "1.7976931348623158e308",
            "1.7976931348623159e308", "1e308", "1e309", "1e400", "-1e400", "1e-400", "2.2250738585072014e-308",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9e-324", "5e-324", "2.4703282292062327e-324",
            "2.4703282292062328e-324", "1e-342", "1e-343", "9.999999999999999e-343", "1e0000000000000000000000001",
            "3.141592653589793238462643383279", "0.000000000000000000000000000000000001", "123456789012345678901234567890",
            "00000000000000000000000000001.5", "0.00000000000000000000000000000000000000000000000000000000000001e60",
            "1" + String(repeating: "0", count: 800), "0." + String(repeating: "0", count: 340) + "1",
            "2." + String(repeating: "0", count: 40) + "1", "8.98846567431158e307", "1.448997445238699", "2.9802322387695312e-8",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
        ]
        for text in cases {
            assertAsStrtod(text, "edge case")
            assertAsStrtod("-" + text.drop { $0 == "-" || $0 == "+" }, "edge case, negated")
        }
    }

    /// Random significands of 1 to 25 digits with a point anywhere and exponents across the
    /// whole range of doubles (and beyond it).
    func testRandomDecimalsMatchStrtod() {
        var generator = SeededGenerator(seed: 20261130)
        var failures = 0
        for _ in 0..<200_000 where failures < 20 {
            let digits = Int.random(in: 1...25, using: &generator)
            var text = String((0..<digits).map { _ in Character(Unicode.Scalar(UInt8.random(in: 48...57, using: &generator))) })
            if Bool.random(using: &generator) {
                text.insert(".", at: text.index(text.startIndex, offsetBy: Int.random(in: 0...digits, using: &generator)))
            }
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: break
            case 1: text += "e\(Int.random(in: -30...30, using: &generator))"
            default: text += (Bool.random(using: &generator) ? "E" : "e") + "\(Int.random(in: -350...330, using: &generator))"
            }
            if Bool.random(using: &generator) { text = "-" + text }
            if !assertAsStrtod(text, "random decimal, seed 20261130") { failures += 1 }
        }
    }

    /// Random finite doubles written as Swift prints them (shortest round trip) and with 17
    /// and 25 significant digits.
    func testRandomDoublesRoundTrip() {
        var generator = SeededGenerator(seed: 42)
        var failures = 0
        for _ in 0..<100_000 where failures < 20 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            for text in ["\(value)", String(format: "%.17g", value), String(format: "%.24e", value)] {
                if !assertAsStrtod(text, "random double, seed 42") { failures += 1 }
            }
            if failures == 0 { XCTAssertEqual(parsed("\(value)")?.bitPattern, value.bitPattern, "\(value) does not round-trip") }
        }
    }

    /// Numbers exactly halfway between two neighbouring doubles (which round to the even
    /// one), and numbers just below and just above such a midpoint.
    func testHalfwayCasesMatchStrtod() {
        var generator = SeededGenerator(seed: 7)
        var failures = 0
        for _ in 0..<50_000 where failures < 20 {
            // A double in [2^k, 2^(k+1)): its 53-bit significand m, so the next double is
            // m + 1 ulps, and the midpoint is (2m + 1) * 2^(k - 53).
            let k = Int.random(in: 33...115, using: &generator)
            let m = (UInt128(1) << 52) | UInt128(UInt64.random(in: 0..<(1 << 52), using: &generator))
            let twice = 2 * m + 1
            // The midpoint as numerator / 10^scale, exactly.
            let (numerator, scale) = k >= 53 ? (twice << (k - 53), 0) : (twice * power(5, 53 - k), 53 - k)
            for (value, digitsAfterPoint) in [(numerator, scale), (numerator * 10 - 1, scale + 1), (numerator * 10 + 1, scale + 1)] {
                for text in [decimal(value, scale: digitsAfterPoint), "\(value)e-\(digitsAfterPoint)"] {
                    if !assertAsStrtod(text, "halfway, seed 7") { failures += 1 }
                }
            }
        }
    }

    /// Strings from a number-like alphabet: accepted exactly when `isDecimal` accepts them,
    /// and then strtod's value.
    func testSyntaxAgreesWithIsDecimal() {
        var generator = SeededGenerator(seed: 3)
        let alphabet = Array("0123456789.eE+- x")
        for _ in 0..<100_000 {
            let text = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let accepted = Array(text.utf8).withUnsafeBufferPointer { NumberSyntax.double($0) } != nil
            XCTAssertEqual(accepted, NumberSyntax.isDecimal(Array(text.utf8)), text)
            if accepted { assertAsStrtod(text, "syntax, seed 3") }
        }
    }

    /// Digits are read eight at a time from inside the cell only: a cell of every length
    /// from 0 to 30, cut from a longer buffer of digits at every offset, parses as the same
    /// text copied on its own (which strtod and the per-digit integer reading agree with).
    /// A read past either end of the cell would take in a neighbouring digit.
    func testCellsInsideLongerBuffersReadOnlyTheirOwnBytes() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<4_000 {
            let length = Int.random(in: 0...30, using: &generator)
            var cell = (0..<length).map { _ in UInt8.random(in: 48...57, using: &generator) }
            if length > 2, Bool.random(using: &generator) { cell[Int.random(in: 1..<length, using: &generator)] = UInt8(ascii: ".") }
            if length > 1, Int.random(in: 0..<4, using: &generator) == 0 { cell[0] = Bool.random(using: &generator) ? UInt8(ascii: "-") : UInt8(ascii: "+") }
            let text = String(decoding: cell, as: UTF8.self)
            let alone = cell.withUnsafeBufferPointer { (NumberSyntax.double($0), NumberSyntax.integer($0)) }
            if let value = alone.0 { XCTAssertEqual(value.bitPattern, strtodValue(text).bitPattern, text) }
            XCTAssertEqual(alone.1, Int64(text), text)
            for offset in 0..<9 {
                let buffer = Array(repeating: UInt8(ascii: "7"), count: offset) + cell + Array(repeating: UInt8(ascii: "7"), count: 9)
                buffer.withUnsafeBufferPointer { whole in
                    let slice = UnsafeBufferPointer(rebasing: whole[offset..<(offset + length)])
                    XCTAssertEqual(NumberSyntax.double(slice)?.bitPattern, alone.0?.bitPattern, "\(text) at offset \(offset)")
                    XCTAssertEqual(NumberSyntax.integer(slice), alone.1, "\(text) at offset \(offset)")
                }
            }
        }
    }

    /// The table's exact entries: 5^q for q in 0...55 fits in 128 bits.
    func testPowersOfFiveTable() {
        for q in 0...55 {
            var value = power(5, q)
            value <<= value.leadingZeroBitCount
            let index = 2 * (q - NumberSyntax.smallestPowerOfFive)
            XCTAssertEqual(NumberSyntax.powersOfFive[index], UInt64(value >> 64), "5^\(q)")
            XCTAssertEqual(NumberSyntax.powersOfFive[index + 1], UInt64(truncatingIfNeeded: value), "5^\(q)")
        }
        XCTAssertEqual(NumberSyntax.powersOfFive.count, 2 * (NumberSyntax.largestPowerOfFive - NumberSyntax.smallestPowerOfFive + 1))
    }

    private func power(_ base: UInt128, _ exponent: Int) -> UInt128 {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }

    /// `value / 10^scale` written out in positional notation.
    private func decimal(_ value: UInt128, scale: Int) -> String {
        var digits = "\(value)"
        if scale == 0 { return digits }
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        return digits
    }

    /// Clinger's fast path (a significand of at most 53 bits times or over an exact power of
    /// ten within ±22) must give the same bits as Eisel-Lemire and as strtod, and must take
    /// exactly the numbers it claims: the plain decimals of typical data go through it.
    func testClingerFastPathAgreesWithEiselLemireAndStrtod() {
        var generator = SeededGenerator(seed: 20261130_2)
        var failures = 0
        for round in 0..<100_000 where failures < 20 {
            // Short significands (as in data) most of the time, full 53-bit ones otherwise.
            let significand = round % 4 == 0
                ? UInt64.random(in: 1...(1 << 53), using: &generator)
                : UInt64.random(in: 1...9_999_999, using: &generator)
            let power = Int.random(in: -22...22, using: &generator)
            guard let fast = NumberSyntax.clinger(significand, power) else {
                XCTFail("\(significand)e\(power) should take the fast path (seed 20261130_2)")
                failures += 1
                continue
            }
            let text = "\(significand)e\(power)"
            let slow = NumberSyntax.eiselLemire(significand, power)
            if fast.bitPattern != slow?.bitPattern || fast.bitPattern != strtodValue(text).bitPattern {
                XCTFail("\(text): fast path \(fast), Eisel-Lemire \(slow.debugDescription), strtod \(strtodValue(text)) (seed 20261130_2)")
                failures += 1
            }
            if !assertAsStrtod(text, "fast path, seed 20261130_2") { failures += 1 }
        }
        // The edges of its domain: 2^53 and +-22 are in, one beyond is out.
        XCTAssertEqual(NumberSyntax.clinger(1 << 53, 22), 9007199254740992e22)
        XCTAssertEqual(NumberSyntax.clinger(1 << 53, -22), 9007199254740992e-22)
        XCTAssertNil(NumberSyntax.clinger((1 << 53) + 1, 0))
        XCTAssertNil(NumberSyntax.clinger(1, 23))
        XCTAssertNil(NumberSyntax.clinger(1, -23))
        // Typical data cells: decimals with 2 to 6 places go through it.
        for text in ["123.45", "-0.000001", "98765.4321", "3.141593", "1e-22"] {
            assertAsStrtod(text, "typical cell")
        }
    }
}
