import CNumberScan
import Foundation
@testable import Tabular
import TestSupport
import XCTest

/// The short-number kernel (`CNumberScan`, behind `NumberSyntax.shortDecimal`,
/// `shortInteger` and their syntax-only twins), at each of its levels: SSE2 (the one x86-64
/// uses) and the portable byte-at-a-time path. Whenever it gives a value it must be
/// `double`'s (and strtod's) bit for bit, or `integer`'s; it must read every short plain
/// shape itself; the syntax-only readers must accept exactly what the value readers do; and
/// the bytes after a cell, which SSE2 loads, must neither change the answer nor be read
/// beyond the reader's padding. Inputs come from seeded generators, so a failure repeats.
final class ShortNumberTests: XCTestCase {
    /// The kernel's levels: `portable` is the C flag that picks the byte-at-a-time path.
    private static let levels: [(name: String, portable: Int32)] = [("SSE2", 0), ("portable", 1)]

    private struct Reading: Equatable {
        var decimal: UInt64?
        var isDecimal: Bool
        var integer: Int64?
        var isInteger: Bool
    }

    /// What each reader says of `cell` at `level`; the cell must be followed by the padding.
    private func read(_ cell: UnsafeBufferPointer<UInt8>, portable: Int32) -> Reading {
        let base = cell.baseAddress!
        var decimal = 0.0
        var integer: Int64 = 0
        let readsDecimal = sluice_short_decimal(base, cell.count, &decimal, portable) != 0
        let readsInteger = sluice_short_integer(base, cell.count, &integer, portable) != 0
        return Reading(decimal: readsDecimal ? decimal.bitPattern : nil, isDecimal: sluice_is_short_decimal(base, cell.count, portable) != 0,
                       integer: readsInteger ? integer : nil, isInteger: sluice_is_short_integer(base, cell.count, portable) != 0)
    }

    /// `cell` at `offset` in a buffer, followed by `after` and the reader's padding.
    private func padded<R>(_ cell: [UInt8], after: [UInt8], offset: Int = 0, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        ([UInt8](repeating: UInt8(ascii: "7"), count: offset) + cell + after + [UInt8](repeating: 0, count: TableReader.fieldPadding)).withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[offset..<(offset + cell.count)]))
        }
    }

    private func digits(_ count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 48...57, using: &generator) }
    }

    /// Bytes that look like the continuation of a number, so a reader that used them would
    /// give another value.
    private func lookalike(_ generator: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("0123456789.9-e".utf8)
        return (0..<Int.random(in: 0...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
    }

    /// The short plain shape by its definition: `[+-]?d*(.d*)?`, 1 to 15 digits, at most 16
    /// bytes after the sign (`point`: whether a point may appear).
    private func isShortPlain(_ cell: [UInt8], point: Bool) -> Bool {
        let body = cell.first == UInt8(ascii: "-") || cell.first == UInt8(ascii: "+") ? Array(cell.dropFirst()) : cell
        let digitCount = body.filter { $0 >= 48 && $0 <= 57 }.count
        let points = body.filter { $0 == UInt8(ascii: ".") }.count
        return body.count <= 16 && digitCount >= 1 && digitCount <= 15 && digitCount + points == body.count && points <= (point ? 1 : 0)
    }

    /// Checks `cell` at every level against `double`, `integer` and the shape's definition.
    /// Returns whether the decimal reader read it; failures are counted in `failures`.
    @discardableResult
    private func check(_ cell: [UInt8], after: [UInt8], offset: Int = 0, seed: UInt64, failures: inout Int) -> Bool {
        let text = String(decoding: cell, as: UTF8.self)
        let general = cell.withUnsafeBufferPointer { NumberSyntax.double($0) }
        let generalInteger = cell.withUnsafeBufferPointer { NumberSyntax.integer($0) }
        var readsDecimal = false
        for level in Self.levels {
            let reading = padded(cell, after: after, offset: offset) { read($0, portable: level.portable) }
            var wrong: [String] = []
            if let decimal = reading.decimal, decimal != general?.bitPattern { wrong.append("decimal \(Double(bitPattern: decimal)), double \(general.debugDescription)") }
            if (reading.decimal != nil) != isShortPlain(cell, point: true) { wrong.append("decimal read: \(reading.decimal != nil)") }
            if reading.isDecimal != (reading.decimal != nil) { wrong.append("syntax-only decimal: \(reading.isDecimal)") }
            if let integer = reading.integer, integer != generalInteger { wrong.append("integer \(integer), integer() \(generalInteger.debugDescription)") }
            if (reading.integer != nil) != isShortPlain(cell, point: false) { wrong.append("integer read: \(reading.integer != nil)") }
            if reading.isInteger != (reading.integer != nil) { wrong.append("syntax-only integer: \(reading.isInteger)") }
            if !wrong.isEmpty {
                XCTFail("\"\(text)\" at offset \(offset), \(level.name): \(wrong.joined(separator: "; ")) (seed \(seed))")
                failures += 1
            }
            readsDecimal = reading.decimal != nil
        }
        return readsDecimal
    }

    func testShortShapesMatchStrtodAtEveryLevel() {
        var generator = SeededGenerator(seed: 20261201)
        var failures = 0
        for _ in 0..<200_000 where failures < 20 {
            let total = Int.random(in: 1...15, using: &generator)
            let integerDigits = Int.random(in: 0...total, using: &generator)
            var cell = digits(integerDigits, &generator)
            if integerDigits < total || Bool.random(using: &generator) { cell += [UInt8(ascii: ".")] + digits(total - integerDigits, &generator) }
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: cell.insert(UInt8(ascii: "-"), at: 0)
            case 1: cell.insert(UInt8(ascii: "+"), at: 0)
            default: break
            }
            let text = String(decoding: cell, as: UTF8.self)
            let expected = text.withCString { strtod($0, nil) }.bitPattern
            for level in Self.levels {
                let value = padded(cell, after: lookalike(&generator)) { read($0, portable: level.portable) }.decimal
                if value != expected {
                    XCTFail("\(text), \(level.name): \(value.map { Double(bitPattern: $0) }.debugDescription), strtod \(Double(bitPattern: expected)) (seed 20261201)")
                    failures += 1
                }
            }
        }
    }

    func testAnyCellGivesTheGeneralReadersValueOrNothing() {
        var generator = SeededGenerator(seed: 20261202)
        let alphabet = Array("0123456789..-+eE \t,x\u{0}".utf8) + [0x80, 0xB9, 0xFF, 0x2F, 0x3A]
        var read = 0
        var failures = 0
        for _ in 0..<150_000 where failures < 20 {
            var cell = (0..<Int.random(in: 1...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            // Mostly digits, so that many cells are numbers.
            let junk = Int.random(in: 0...12, using: &generator)
            for index in cell.indices where Int.random(in: 0..<100, using: &generator) >= junk && (cell[index] < 48 || cell[index] > 57) && cell[index] != 0x2E { cell[index] = UInt8(ascii: "7") }
            if check(cell, after: lookalike(&generator), offset: Int.random(in: 0..<64, using: &generator), seed: 20261202, failures: &failures) { read += 1 }
        }
        XCTAssertGreaterThan(read, 30_000)
    }

    /// Every cell length 1-20 at every offset of two 32-byte blocks, so cells start, cross and
    /// end at the 16- and 32-byte boundaries.
    func testEveryLengthAtEveryOffset() {
        var generator = SeededGenerator(seed: 20261204)
        var failures = 0
        for length in 1...20 {
            for offset in 0..<64 where failures < 20 {
                var cell = digits(length, &generator)
                if length > 2, Bool.random(using: &generator) { cell[Int.random(in: 0..<length, using: &generator)] = UInt8(ascii: ".") }
                if Bool.random(using: &generator) { cell[0] = UInt8(ascii: "-") }
                check(cell, after: lookalike(&generator), offset: offset, seed: 20261204, failures: &failures)
            }
        }
    }

    /// Cells that end just before an unreadable page: SSE2 with exactly the reader's padding
    /// readable after the cell, the portable path with nothing after it. A read beyond
    /// would crash the test.
    func testNoReadBeyondThePadding() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let memory = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), memory != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw XCTSkip("mmap failed")
        }
        defer { munmap(memory, 2 * page) }
        XCTAssertEqual(mprotect(memory + page, page, PROT_NONE), 0)
        let end = memory.assumingMemoryBound(to: UInt8.self) + page
        var generator = SeededGenerator(seed: 20261205)
        for _ in 0..<20_000 {
            var cell = digits(Int.random(in: 1...17, using: &generator), &generator)
            if cell.count > 1, Bool.random(using: &generator) { cell[Int.random(in: 1..<cell.count, using: &generator)] = UInt8(ascii: ".") }
            if Bool.random(using: &generator) { cell[0] = UInt8(ascii: "+") }
            let text = String(decoding: cell, as: UTF8.self)
            for level in Self.levels {
                let after = level.portable == 0 ? TableReader.fieldPadding : 0
                let start = end - after - cell.count
                for index in 0..<(cell.count + after) { start[index] = index < cell.count ? cell[index] : UInt8(ascii: "9") }
                let reading = read(UnsafeBufferPointer(start: start, count: cell.count), portable: level.portable)
                let expected = cell.withUnsafeBufferPointer { NumberSyntax.double($0) }
                if let decimal = reading.decimal { XCTAssertEqual(decimal, expected?.bitPattern, "\(text), \(level.name)") }
                XCTAssertEqual(reading.decimal != nil, isShortPlain(cell, point: true), "\(text), \(level.name)")
            }
        }
    }

    func testEdgeCases() {
        func reading(_ text: String) -> [Reading] {
            Self.levels.map { level in padded(Array(text.utf8), after: Array("5.5".utf8)) { read($0, portable: level.portable) } }
        }
        for text in ["0", "-0", "+0", "0.0", "-0.0", "1", ".5", "5.", "-.5", "+5.", "12345678", "-99999999", "9999999.99999999",
                     "0.00000001", "1234567.1", "1.12345678", "-8.922596", "51538.09", "100.432327", "999999999999999",
                     "-999999999999999", ".999999999999999", "0.00000000000001", "000000000000001", "9007199254740.99",
                     "123456789012345.", "-.000000000000001"] {
            let expected = text.withCString { strtod($0, nil) }
            for (level, result) in zip(Self.levels, reading(text)) {
                XCTAssertEqual(result.decimal, expected.bitPattern, "\(text), \(level.name)")
                XCTAssertTrue(result.isDecimal, "\(text), \(level.name)")
            }
        }
        // Left to `double`: not the short shapes, or not numbers.
        for text in ["", "-", "+", ".", "-.", "+.", "1234567890123456", "0.000000000000001", "12345678901234567",
                     "1e5", "1.5e3", " 1.5", "1.5 ", "1..5", "1.5.", "1,5", "--1", "+-1", "-+1", "1-", "nan", "inf", "0x1", "1_0"] {
            for (level, result) in zip(Self.levels, reading(text)) {
                XCTAssertNil(result.decimal, "\(text), \(level.name)")
                XCTAssertFalse(result.isDecimal, "\(text), \(level.name)")
            }
        }
        for text in ["0", "-0", "+7", "12345678", "-12345678", "999999999999999", "-999999999999999", "000000000000042"] {
            for (level, result) in zip(Self.levels, reading(text)) { XCTAssertEqual(result.integer, Int64(text), "\(text), \(level.name)") }
        }
        for text in ["", "-", "+", "1234567890123456", "1.0", "1.", ".1", " 1", "1 ", "1-"] {
            for (level, result) in zip(Self.levels, reading(text)) { XCTAssertNil(result.integer, "\(text), \(level.name)") }
        }
    }

    /// The table the integer reader divides by: each entry the inverse of 5^k modulo 2^64.
    func testInversePowersOfFive() {
        let inverses = withUnsafeBytes(of: sluice_inverse_powers_of_five) { Array($0.bindMemory(to: UInt64.self)) }
        XCTAssertEqual(inverses.count, 16)
        var power: UInt64 = 1
        for inverse in inverses {
            XCTAssertEqual(power &* inverse, 1)
            power &*= 5
        }
    }

    /// The public readers are the SSE2 level on x86-64 (the portable one elsewhere).
    func testPublicReadersAreTheKernel() {
        var generator = SeededGenerator(seed: 20261206)
        for _ in 0..<20_000 {
            let cell = digits(Int.random(in: 1...9, using: &generator), &generator) + [UInt8(ascii: ".")] + digits(Int.random(in: 0...6, using: &generator), &generator)
            let (decimal, isDecimal, integer, isInteger) = padded(cell, after: []) {
                (NumberSyntax.shortDecimal(padded: $0), NumberSyntax.isShortDecimal(padded: $0), NumberSyntax.shortInteger(padded: $0), NumberSyntax.isShortInteger(padded: $0))
            }
            XCTAssertEqual(decimal?.bitPattern, cell.withUnsafeBufferPointer { NumberSyntax.double($0) }?.bitPattern)
            XCTAssertTrue(isDecimal)
            XCTAssertNil(integer)
            XCTAssertFalse(isInteger)
            let whole = Array(cell.prefix { $0 != UInt8(ascii: ".") })
            XCTAssertEqual(padded(whole, after: cell) { NumberSyntax.shortInteger(padded: $0) }, whole.withUnsafeBufferPointer { NumberSyntax.integer($0) })
        }
    }
}
