import Tabular
@testable import Validation
import XCTest

/// The compiled per-column checks (`CellPlan`) must accept exactly the cells the general
/// path (`FieldCheck.accepts`) accepts, for every combination of bounds.
final class CellPlanTests: XCTestCase {
    private func check(_ type: FieldType, _ constraints: FieldConstraints) throws -> FieldCheck {
        let field = try SchemaField(name: "f", type: type, constraints: constraints)
        return FieldCheck(field: field, column: 0, missing: TableSchema(fields: [field]).missingValues(of: field))
    }

    func testPlansChosenForTypeAndConstraints() throws {
        func plan(_ type: FieldType, _ constraints: FieldConstraints = FieldConstraints()) throws -> String {
            switch try check(type, constraints).plan {
            case .presence: return "presence"
            case .number(let bounds): return bounds == nil ? "number" : "number with bounds"
            case .integer(let bounds): return bounds == nil ? "integer" : "integer with bounds"
            case .general: return "general"
            }
        }
        XCTAssertEqual(try plan(.string), "presence")
        XCTAssertEqual(try plan(.string, FieldConstraints(required: true)), "presence")
        XCTAssertEqual(try plan(.string, FieldConstraints(unique: true)), "general")
        XCTAssertEqual(try plan(.string, FieldConstraints(enumValues: ["a"])), "general")
        XCTAssertEqual(try plan(.number), "number")
        XCTAssertEqual(try plan(.number, FieldConstraints(minimum: .number(0))), "number with bounds")
        XCTAssertEqual(try plan(.number, FieldConstraints(maximum: .number(.infinity))), "general")
        XCTAssertEqual(try plan(.number, FieldConstraints(unique: true, minimum: .number(0))), "general")
        XCTAssertEqual(try plan(.number, FieldConstraints(enumValues: ["1"])), "general")
        XCTAssertEqual(try plan(.integer, FieldConstraints(exclusiveMaximum: .integer(10))), "integer with bounds")
        XCTAssertEqual(try plan(.integer, FieldConstraints(exclusiveMaximum: .integer(.min))), "general")
        XCTAssertEqual(try plan(.date), "general")
    }

    /// The steps chosen for columns the general plan covers: short words for a text enum
    /// and a boolean, a date's own check, the parser for the rest.
    func testStepsChosenForGeneralColumns() throws {
        func work(_ type: FieldType, _ constraints: FieldConstraints = FieldConstraints()) throws -> ColumnStep.Work {
            ColumnStep(try check(type, constraints), index: 0).work
        }
        XCTAssertEqual(try work(.string, FieldConstraints(enumValues: ["a", "0123456789abcdef"])), .words)
        XCTAssertEqual(try work(.string, FieldConstraints(enumValues: ["a", "0123456789abcdefg"])), .parsed)
        XCTAssertEqual(try work(.string, FieldConstraints(maxLength: 3, enumValues: ["a"])), .parsed)
        XCTAssertEqual(try work(.string, FieldConstraints(unique: true, enumValues: ["a"])), .general)
        XCTAssertEqual(try work(.boolean), .words)
        XCTAssertEqual(try work(.boolean, FieldConstraints(enumValues: ["true"])), .parsed)
        XCTAssertEqual(try work(.date), .isoDate)
        XCTAssertEqual(try work(.date, FieldConstraints(minimum: .date(0))), .parsed)
        XCTAssertEqual(try work(.datetime), .parsed)
        XCTAssertEqual(try work(.integer, FieldConstraints(enumValues: ["1", "0"])), .integer)
        XCTAssertEqual(try work(.integer, FieldConstraints(enumValues: ["1", "3"])), .parsed)
        XCTAssertEqual(try work(.integer, FieldConstraints(enumValues: ["1", "1", "2"])), .parsed)
        XCTAssertEqual(try work(.integer, FieldConstraints(minimum: .integer(0), enumValues: ["1", "2"])), .parsed)
        XCTAssertEqual(try work(.number, FieldConstraints(enumValues: ["1", "2"])), .parsed)
    }

    /// Text enum members are compared by length, then bytes: members that are prefixes of
    /// each other, of equal length, empty or not ASCII are told apart exactly.
    func testTextEnumMembersMatchWholeCellsOnly() throws {
        let fieldCheck = try check(.string, FieldConstraints(enumValues: ["", "ab", "abc", "ac", "é"]))
        for (cell, member) in [("ab", true), ("abc", true), ("ac", true), ("é", true), ("", true), ("a", false), ("abcd", false),
                               ("ba", false), ("AB", false), ("e", false), ("ab ", false)] {
            let bytes = Array(cell.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                XCTAssertEqual(fieldCheck.accepts(.text, buffer), member, cell)
                XCTAssertEqual(fieldCheck.violations(.text, buffer).isEmpty, member, cell)
            }
        }
    }

    /// An integer field's enum is held as integers: members are found, other integers are
    /// not, and a number enum still compares numbers.
    func testIntegerEnumMembers() throws {
        let integers = try check(.integer, FieldConstraints(enumValues: ["0", "1", "-7"]))
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        for (value, member) in [(0, true), (1, true), (-7, true), (2, false), (7, false), (Int64.min, false)] as [(Int64, Bool)] {
            XCTAssertEqual(integers.accepts(.integer(value), empty), member, "\(value)")
        }
        let numbers = try check(.number, FieldConstraints(enumValues: ["1", "2.5"]))
        XCTAssertTrue(numbers.accepts(.number(2.5), empty))
        XCTAssertFalse(numbers.accepts(.number(2), empty))
    }

    func testNumberBoundsAgreeWithTheGeneralCheck() throws {
        let bounds: [Double?] = [nil, -1, -0.0, 0, 5e-324, 0.1, 1, 1.0000000000000002, .greatestFiniteMagnitude]
        let values: [Double] = [-.infinity, -.greatestFiniteMagnitude, -1, -5e-324, -0.0, 0, 5e-324, 0.1, 0.5, 1, 1.0000000000000002, 2, .greatestFiniteMagnitude, .infinity, .nan]
        var generator = SystemRandomNumberGenerator()
        var compared = 0
        for _ in 0..<400 {
            let picks = (0..<4).map { _ in bounds.randomElement(using: &generator)! }
            let constraints = FieldConstraints(minimum: picks[0].map(CellValue.number), maximum: picks[1].map(CellValue.number),
                                               exclusiveMinimum: picks[2].map(CellValue.number), exclusiveMaximum: picks[3].map(CellValue.number))
            let fieldCheck = try check(.number, constraints)
            let compiled: Bounds<Double>?
            switch fieldCheck.plan {
            case .number(let found): compiled = found
            default: return XCTFail("expected a number plan for \(constraints)")
            }
            for value in values {
                let general = fieldCheck.accepts(.number(value), UnsafeBufferPointer(start: nil, count: 0))
                XCTAssertEqual(compiled?.contains(value) ?? true, general, "\(value) against \(constraints)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 400 * values.count)
    }

    func testIntegerBoundsAgreeWithTheGeneralCheck() throws {
        let bounds: [Int64?] = [nil, .min, -1, 0, 1, 10, .max - 1]
        let values: [Int64] = [.min, .min + 1, -2, -1, 0, 1, 2, 9, 10, 11, .max - 1, .max]
        for minimum in bounds { for maximum in bounds { for exclusiveMinimum in bounds { for exclusiveMaximum in bounds {
            let constraints = FieldConstraints(minimum: minimum.map(CellValue.integer), maximum: maximum.map(CellValue.integer),
                                               exclusiveMinimum: exclusiveMinimum.map(CellValue.integer), exclusiveMaximum: exclusiveMaximum.map(CellValue.integer))
            let fieldCheck = try check(.integer, constraints)
            guard case .integer(let compiled) = fieldCheck.plan else {
                // Below Int64.min no integer lies: such a bound takes the general path.
                XCTAssertEqual(exclusiveMaximum, .min, "expected an integer plan for \(constraints)")
                continue
            }
            for value in values {
                let general = fieldCheck.accepts(.integer(value), UnsafeBufferPointer(start: nil, count: 0))
                XCTAssertEqual(compiled?.contains(value) ?? true, general, "\(value) against \(constraints)")
            }
        }}}}
    }

    /// `ColumnStep`, the validation pass's per-cell fast path, may pass only a cell the
    /// general path finds present and valid, and must pass every such cell (but NaN, which
    /// it leaves to the general path): for each kind of column, over cells at and around
    /// every bound, malformed numbers, white space and missing markers; each cell read alone
    /// and as the reader's padded buffer holds it (followed by digits and points, which the
    /// short-number path loads but must not use).
    func testColumnStepPassesExactlyTheCellsTheGeneralPathAccepts() throws {
        let schemas: [(FieldType, FieldConstraints, [String])] = [
            (.string, FieldConstraints(), [""]),
            (.string, FieldConstraints(required: true), [""]),
            (.string, FieldConstraints(), ["", "NA"]),
            (.string, FieldConstraints(enumValues: ["a", "1"]), [""]),
            (.number, FieldConstraints(), [""]),
            (.number, FieldConstraints(minimum: .number(-1.5), maximum: .number(100)), [""]),
            (.number, FieldConstraints(exclusiveMinimum: .number(0), exclusiveMaximum: .number(1)), [""]),
            (.number, FieldConstraints(minimum: .number(0)), ["", "-"]),
            (.integer, FieldConstraints(), [""]),
            (.integer, FieldConstraints(minimum: .integer(-3), exclusiveMaximum: .integer(10)), [""]),
            (.date, FieldConstraints(), [""]),
            (.date, FieldConstraints(), ["", "2024-02-29"]),
            (.boolean, FieldConstraints(), [""]),
            (.string, FieldConstraints(enumValues: ["north", "small_business", "é", "0123456789abcdef", "1", "true"]), [""]),
            (.string, FieldConstraints(enumValues: ["north", "0123456789abcdefg"]), [""]),
            (.string, FieldConstraints(required: true, enumValues: ["north", "2024-02-29"]), [""]),
            (.integer, FieldConstraints(enumValues: ["0", "1"]), [""]),
            (.integer, FieldConstraints(enumValues: ["-4", "-3", "-2"]), [""]),
            (.integer, FieldConstraints(enumValues: ["0", "9"]), [""]),
        ]
        let cells = ["", " ", "NA", "-", "a", "1", "-0", "0", "+0", "0.0", "1.5", "-1.5", "-1.6", "100", "100.0000000000001", "1e2",
                     "1e-400", "1e400", "-1e400", " 2 ", "2 ", "\t3", "nan", "NaN", "inf", "-Infinity", "9", "10", "-3", "-4",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1,5", "1.", ".5", "5e", "0x10",
                     "2026-11-30", "2026-02-30", "0.9999999999999999", "1.0000000000000002", "5e-324", "12345678901234567890.5",
                     "+", ".", "+.5", "-.5", "1.2.3", "-8.922596", "99.99999999", "99.999999999", "1234567.12345678",
                     "12345678.5", "12345678", "123456789", "-99999999", "00000001.00000001", "1.5 ", "1. 5", "1.5e", "+-1",
                     "true", "True", "TRUE", "tRue", "false", "False", "FALSE", "yes", "true ", "truee", "north", "nort", "north1",
                     "small_business", "small_busines", "small_business ", "é", "e", "0123456789abcdef", "0123456789abcde",
                     "0123456789abcdefg", "0123456789abcdeg", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "2024-13-01",
                     "2024-00-10", "2024-04-31", "2024-12-31", "2024-01-00", "0000-01-01", "2024-1-05", "2024-01-5", "2024/01/05",
                     "2024-01-05 ", "+024-01-05"]
        var passed = 0
        for (type, constraints, missing) in schemas {
            let field = try SchemaField(name: "f", type: type, constraints: constraints)
            let fieldCheck = FieldCheck(field: field, column: 0, missing: TableSchema(fields: [field], missingValues: missing).missingValues(of: field))
            let step = ColumnStep(fieldCheck, index: 0)
            for cell in cells { for padded in [false, true] {
                (Array(cell.utf8) + Array("1.5.9".utf8) + Array(repeating: UInt8(ascii: "9"), count: TableReader.fieldPadding)).withUnsafeBufferPointer { buffer in
                    let bytes = UnsafeBufferPointer(rebasing: buffer[0..<cell.utf8.count])
                    let value = fieldCheck.isMissing(bytes) ? nil : fieldCheck.parse(bytes)
                    let valid = value.map { !fieldCheck.hasValueConstraints || fieldCheck.accepts($0, bytes) } ?? false
                    let context = "\"\(cell)\" in a \(type) column with \(constraints), missing \(missing), padded \(padded)"
                    if step.passes(bytes, padded: padded) {
                        XCTAssertTrue(valid, "the step passes an invalid or missing cell: " + context)
                        passed += 1
                    } else if valid && step.work != .general && missing == [""] && value?.isNaN != true {
                        XCTFail("the step leaves a valid cell to the general path: " + context)
                    }
                }
            }}
        }
        XCTAssertGreaterThan(passed, 100)
    }
}
