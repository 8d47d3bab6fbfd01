import Core
import Foundation
import ReportModel
import Tabular
import TestSupport
import Validation
import XCTest

/// Validating a directory of files: partition columns typed by the schema, errors that name
/// the file and its line, rows numbered across files.
final class DatasetValidationTests: XCTestCase {
    func testErrorsNameTheFileAndPartitionValuesAreTypedByTheSchema() throws {
        let dir = try TemporaryDirectory()
        try dir.write("sales/date=2026-11-01/part-0.csv", "id,amount\n1,10\n2,x\n")
        let second = try dir.write("sales/date=2026-11-31/part-0.csv", "id,amount\n3,30\n")
        let schema = try TableSchema(json: Data(#"""
            {"fields": [{"name": "id", "type": "integer"}, {"name": "amount", "type": "number"}, {"name": "date", "type": "date"}]}
            """#.utf8), source: "test")
        let summary = try Validator(schema: schema).validate(TableSource(path: dir.file("sales")))
        XCTAssertEqual(summary.rowCount, 3)
        XCTAssertEqual(summary.errorsByType, ["type-error": 2])
        let amount = try XCTUnwrap(summary.firstErrors.first { $0.field == "amount" })
        XCTAssertEqual(amount.row, 3, "frictionless numbering: the header is row 1, then rows run on across files")
        XCTAssertEqual(amount.line, 3)
        XCTAssertEqual(amount.file, dir.file("sales/date=2026-11-01/part-0.csv"))
        let date = try XCTUnwrap(summary.firstErrors.first { $0.field == "date" })
        XCTAssertEqual(date.value, "2026-11-31", "November has 30 days")
        XCTAssertEqual(date.file, second)
        XCTAssertEqual(date.line, 2)
        XCTAssertTrue(ValidationText.render(summary).contains("row 4 (\(second) line 2) date: type-error"), ValidationText.render(summary))
    }
}
