import Foundation
import TestSupport
import XCTest

/// The trend across the target branch's runs: a merge request reads main's last run.json
/// from GitLab's job artifacts (strict fake); without it, the history a scheduled run on main
/// kept in the CI cache; with neither, the report says so and the run still passes.
final class TrendEndToEndTests: XCTestCase {
    func testMergeRequestShowsMainsTrendFromTheJobArtifacts() throws {
        let gitlab = try FakeGitLab()
        let mainRun = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("reports/example-pass.json")))
        gitlab.publishArtifact(ref: "main", job: "sluice-nightly", path: ".sluice/latest/run.json", contents: mainRun)
        let workspace = try RunWorkspace()
        var environment = gitlabMergeRequestVariables(gitlab)
        environment["CI_JOB_URL"] = "https://gitlab.example.com/ml/churn/-/jobs/2"
        let result = try workspace.run(environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(gitlab.artifactRequests.map { "\($0.ref) \($0.job) \($0.path)" }, ["main sluice-nightly .sluice/latest/run.json"])
        let trend = try workspace.report().object("trend")
        XCTAssertEqual(trend.string("source"), "forge_artifacts")
        XCTAssertEqual(trend.objects("points").count, 7, "main's six earlier runs and its last run")
        let markdown = try workspace.latest("report.md")
        XCTAssertTrue(markdown.contains("#### Trend on main"), markdown)
        XCTAssertTrue(markdown.contains("| roc\\_auc ↑ | "), markdown)
        XCTAssertTrue(markdown.contains("History from the job artifacts of sluice-nightly on main."), markdown)
        let posted = gitlab.allNotes.last?.body ?? ""
        XCTAssertTrue(posted.contains("#### Trend on main"), "the posted comment carries the trend")
        XCTAssertTrue(posted.contains("📄 [Open the full report](https://gitlab.example.com/ml/churn/-/jobs/2/artifacts/file/.sluice/latest/report.html)"),
                      "the comment links straight to report.html: \(posted.prefix(400))")
    }

    func testScheduledRunsKeepHistoryInTheCICacheForTheNextMergeRequest() throws {
        let workspace = try RunWorkspace()
        let first = try workspace.run(environment: gitlabNightly)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(try workspace.latest("report.md").contains("No history to compare with: no earlier run of main found"), "missing history is said plainly")
        let history = workspace.temp.file(".sluice/cache/history/main.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: history), "the nightly run kept its metrics in the CI cache")

        let gitlab = try FakeGitLab()   // no artifacts published: the cache is the source
        let result = try workspace.run(environment: gitlabMergeRequestVariables(gitlab))
        XCTAssertEqual(result.status, 0, result.stderr)
        let trend = try workspace.report().object("trend")
        XCTAssertEqual(trend.string("source"), "ci_cache")
        XCTAssertEqual(trend.objects("points").count, 1)
        XCTAssertTrue(try workspace.latest("report.md").contains("History from the CI cache (.sluice/cache/history/main.json)."))
    }
}
