import Foundation
import ReportModel
import Tabular
import TestSupport
import Validation
import XCTest

/// Validating gzip input gives exactly the plain file's results, whichever tool wrote it.
final class GzipValidationTests: XCTestCase {
    func testBGZFAndConcatenatedMembersValidateLikeThePlainFile() throws {
        let schema = try TableSchema.load(path: Fixtures.path("gzip/rows.schema.json"))
        func summary(_ name: String) throws -> ValidationSummary {
            var result = try Validator(schema: schema).validate(TableSource(path: Fixtures.path("gzip/\(name)")))
            result.file = "rows"
            return result
        }
        let expected = try summary("rows.csv")
        // The fixture's invalid cells: 5 unknown regions, 4 scores above 1, one missing id.
        XCTAssertEqual(expected.rowCount, 5_000)
        XCTAssertEqual(expected.errorsByField, ["region": 5, "score": 4, "id": 1])
        XCTAssertEqual(try summary("rows.bgzf.csv.gz"), expected)
        XCTAssertEqual(try summary("rows.members.csv.gz"), expected)
    }

    func testDamagedGzipExitsThreeNamingTheFileAndOffset() throws {
        let dir = try TemporaryDirectory()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("gzip/rows.bgzf.csv.gz")))
        bytes = bytes.prefix(15_223 + 100)
        let path = dir.file("cut.csv.gz")
        try bytes.write(to: URL(fileURLWithPath: path))
        let result = try SluiceBinary.run(["validate", path, "--schema", Fixtures.path("gzip/rows.schema.json")])
        XCTAssertEqual(result.status, 3, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("\(path): cannot read: corrupt gzip member at byte 15223"), result.stderr)
    }
}
