import CIEnvironment
@testable import Pipeline
import XCTest

/// The comment's one-click link to the HTML report, per CI, from the CI's own variables.
final class ReportLinkTests: XCTestCase {
    func testEachCILinksStraightToTheReport() {
        let gitlab = CIEnvironment.detect(["GITLAB_CI": "true", "CI_JOB_URL": "https://gitlab.example.com/ml/churn/-/jobs/812"])
        XCTAssertEqual(ReportLink.url(gitlab), "https://gitlab.example.com/ml/churn/-/jobs/812/artifacts/file/.sluice/latest/report.html")
        let jenkins = CIEnvironment.detect(["JENKINS_URL": "https://ci.example.com/", "BUILD_URL": "https://ci.example.com/job/churn/PR-3/7/"])
        XCTAssertEqual(ReportLink.url(jenkins), "https://ci.example.com/job/churn/PR-3/7/Sluice_20report/", "publishHTML's page for reportName 'Sluice report'")
        let github = CIEnvironment.detect(["GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_RUN_ID": "99"], readFile: { _ in nil })
        XCTAssertEqual(ReportLink.url(github), "https://github.com/o/r/actions/runs/99#artifacts")
        XCTAssertNil(ReportLink.url(CIFacts()))
    }
}
