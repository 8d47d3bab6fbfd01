import Foundation
import TestSupport
import XCTest

/// Issue 10 item 3: the example's current batch has a few invalid rows, within
/// `max_invalid_fraction`. The run is green, so nothing it writes may read as a failure.
final class SetAsideRowsEndToEndTests: XCTestCase {
    func testAGreenRunWithRowsSetAsideWritesNoFailure() throws {
        let workspace = try RunWorkspace()
        let result = try workspace.run()
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try workspace.report()
        XCTAssertEqual(report.object("outcome").string("status"), "passed")
        let aside = report.object("validation").object("setAside")
        let rows = try XCTUnwrap(aside["rows"] as? Int, "run.json records the rows set aside: \(report.object("validation"))")
        XCTAssertGreaterThan(rows, 0)
        XCTAssertEqual(aside["allowedFraction"] as? Double, 0.01)

        let junit = try workspace.latest("junit.xml")
        XCTAssertTrue(junit.contains("<testsuites name=\"sluice\"") && junit.contains("failures=\"0\" errors=\"0\">"), junit)
        XCTAssertFalse(junit.contains("<failure"), "Jenkins would mark the build UNSTABLE: \(junit)")
        XCTAssertTrue(junit.contains("set aside in rejected.csv"), junit)

        for name in ["report.md", "report.html"] {
            let text = try workspace.latest(name)
            XCTAssertFalse(text.contains("❌"), "\(name) shows no failure mark on a green run")
            XCTAssertTrue(text.contains("rows set aside in rejected.csv ("), name)
            XCTAssertTrue(text.contains("within the 1% allowed)") || text.contains("within the 1&#37; allowed)"), name)
            XCTAssertFalse(text.contains("current.valid.csv") || text.contains("train.csv"), "\(name) names the user's files, not the run's working copies")
        }
        XCTAssertTrue(result.stdout.contains("set aside in rejected.csv") || result.stderr.contains("set aside in rejected.csv"), "the log says the same")
    }
}
