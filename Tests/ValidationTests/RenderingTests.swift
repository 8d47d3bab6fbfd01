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
        let xml = ValidationJUnit.render(invalid)
        XCTAssertTrue(xml.contains(#"<testsuites name="sluice validate" tests="6" failures="2">"#))
        XCTAssertTrue(xml.contains(#"<testcase classname="validate d.csv" name="field id"/>"#))
        XCTAssertTrue(xml.contains(#"name="field age">"#))
        XCTAssertTrue(xml.contains(#"<failure type="type-error" message="2 errors (type-error)">row 2 type-error: &quot;x&lt;y&quot; is not an integer"#))
        XCTAssertTrue(xml.contains(#"name="table rows">"#))
        XCTAssertTrue(xml.contains(#"<testcase classname="validate d.csv" name="table header"/>"#))
        XCTAssertTrue(xml.contains(#"<testcase classname="validate d.csv" name="table row count"/>"#))
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
