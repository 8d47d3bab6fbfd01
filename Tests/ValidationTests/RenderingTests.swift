import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ReportModel
import Validation
import XCTest

final class RenderingTests: XCTestCase {
    private let invalid = ValidationSummary(
        file: "d.csv", valid: false, rowCount: 10, errorCount: 3,
        errorsByType: ["type-error": 2, "blank-row": 1], errorsByField: ["age": 2], firstErrors: [
            ValidationIssue(type: "type-error", row: 2, field: "age", value: "x<y", message: "\"x<y\" is not an integer", line: 2),
            ValidationIssue(type: "type-error", row: 3, field: "age", value: "&", message: "\"&\" is not an integer", line: 4),
            ValidationIssue(type: "blank-row", row: 5, field: nil, value: nil, message: "the row is blank; expected values", line: 6),
        ], schema: "s.json", fields: ["id", "age"], errorLimitReached: false)

    func testJUnitHasOneCasePerFieldAndTableCheck() {
        let document = ValidationJUnit.document(invalid)
        let cases = document.suites.flatMap(\.cases)
        XCTAssertEqual(cases.map(\.name), ["field id", "field age", "table header", "table rows", "table primary key", "table row count"])
        XCTAssertEqual(cases.map(\.outcome), [.passed, .failed(message: "2 errors (type-error)"), .passed, .failed(message: "1 error (blank-row)"), .passed, .passed])
        XCTAssertEqual(cases[1].output, "row 2 type-error: \"x<y\" is not an integer\nrow 3 type-error: \"&\" is not an integer")
        let xml = document.xml
        XCTAssertTrue(xml.contains(#"<testsuites name="sluice validate" tests="6" failures="2""#))
        XCTAssertTrue(xml.contains("&quot;x&lt;y&quot;"))
        XCTAssertTrue(XMLParser(data: Data(xml.utf8)).parse(), "well-formed XML")
    }

    func testTextSummaryFirstThenErrors() {
        let text = ValidationText.render(invalid)
        XCTAssertTrue(text.hasPrefix("✗ invalid: d.csv: 3 errors in 10 rows against s.json\n"))
        XCTAssertTrue(text.contains("  type-error  2\n  blank-row   1\n"))
        XCTAssertTrue(text.contains("  row 3 (line 4) age: type-error: \"&\" is not an integer\n"))
        XCTAssertTrue(text.contains("  row 5 (line 6) blank-row: the row is blank; expected values\n"))
        var valid = invalid
        valid.valid = true
        XCTAssertEqual(ValidationText.render(valid), "✓ valid: d.csv: 10 rows, 2 fields checked against s.json\n")
    }
}
