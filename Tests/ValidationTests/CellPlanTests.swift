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
}
