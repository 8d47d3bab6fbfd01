import Foundation
import ReportModel
@testable import Reports
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Rows set aside within `max_invalid_fraction` read the same, neutrally, in the comment, the
/// HTML and JUnit (issue 10 item 3: a green run writes no failing test case).
final class SetAsideWordingTests: XCTestCase {
    private func report(rows aside: Int, of total: Int, allowed: Double = 0.01, tableErrors: Int = 0) -> RunReport {
        var validation = ValidationSummary(file: "current.csv", valid: false, rowCount: total, errorCount: aside + tableErrors,
                                           errorsByType: ["type-error": aside, "constraint-error": tableErrors].filter { $0.value > 0 },
                                           errorsByField: [:], firstErrors: [ValidationIssue(type: "type-error", row: 12, field: "age", value: "abc", message: "not an integer")],
                                           tableErrorCount: tableErrors)
        validation.setAside = SetAsideRows(rows: aside, totalRows: total, allowedFraction: allowed, file: "rejected.csv")
        let accepted = validation.accepted
        return RunReport(runId: "r1", createdAt: "2026-11-30T10:00:00Z", sluiceVersion: "test",
                         outcome: Outcome(status: accepted ? .passed : .failed, summary: "", failedStage: accepted ? nil : Stage.validate),
                         validation: validation)
    }

    func testWithinTheAllowanceIsNeutralEverywhere() throws {
        let green = report(rows: 5, of: 3000)
        let validation = try XCTUnwrap(green.validation)
        XCTAssertTrue(validation.accepted)
        let line = "2,995 of 3,000 rows valid; 5 rows set aside in rejected.csv (0.17%, within the 1% allowed)"
        XCTAssertEqual(ValidationWording.text(validation), line)
        XCTAssertEqual(ValidationWording.line(validation), "✅ " + line)

        let junit = JUnitReport.render(green)
        XCTAssertTrue(XMLParser(data: Data(junit.utf8)).parse(), junit)
        XCTAssertTrue(junit.contains("<testsuites name=\"sluice\" tests=\"1\" failures=\"0\" errors=\"0\">"), junit)
        XCTAssertTrue(junit.contains(line), "the JUnit case says what was set aside: \(junit)")

        let markdown = try MarkdownReport.render(green)
        XCTAssertFalse(markdown.contains("❌"), markdown)
        XCTAssertTrue(markdown.contains("Validation of current.csv: ✅ 2,995 of 3,000 rows valid; 5 rows set aside in rejected.csv (0.17&#37;, within the 1&#37; allowed)"), markdown)
        let html = HTMLReport.render(green)
        XCTAssertFalse(html.contains("❌"), html)
        XCTAssertTrue(html.contains("<h2>Validation of current.csv: ✅ 2,995 of 3,000 rows valid; 5 rows set aside"), html)
    }

    func testBeyondTheAllowanceOrABrokenTableFails() throws {
        let red = report(rows: 40, of: 3000)
        let validation = try XCTUnwrap(red.validation)
        XCTAssertFalse(validation.accepted)
        XCTAssertEqual(ValidationWording.line(validation), "❌ 40 of 3,000 rows invalid (1.3%, more than the 1% allowed)")
        let junit = JUnitReport.render(red)
        XCTAssertTrue(junit.contains("failures=\"1\""), junit)
        XCTAssertTrue(junit.contains("<failure message=\"40 of 3,000 rows invalid (1.3%, more than the 1% allowed) (40 type-error)\">"), junit)

        let broken = report(rows: 2, of: 3000, tableErrors: 1)
        XCTAssertFalse(try XCTUnwrap(broken.validation).accepted, "a table that is itself invalid is never passed off as a few rows")
        XCTAssertEqual(ValidationWording.line(try XCTUnwrap(broken.validation)), "❌ 3 errors in 3,000 rows (the table itself is invalid)")
        XCTAssertTrue(JUnitReport.render(broken).contains("failures=\"1\""))
    }

    func testValidDataAndCountsReadForPeople() {
        let valid = ValidationSummary(file: "current.csv", valid: true, rowCount: 1_234_567, errorCount: 0, errorsByType: [:], errorsByField: [:], firstErrors: [])
        XCTAssertEqual(ValidationWording.line(valid), "✅ 1,234,567 rows valid")
        XCTAssertEqual(Format.share(0.0017), "0.17%")
        XCTAssertEqual(Format.share(0.01), "1%")
        XCTAssertEqual(Format.share(0.125), "12%")
        XCTAssertEqual(Format.share(0.0000001), "<0.01%")
        XCTAssertEqual(Format.count(-1000), "−1,000")
        XCTAssertEqual(Format.count(999), "999")
    }
}
