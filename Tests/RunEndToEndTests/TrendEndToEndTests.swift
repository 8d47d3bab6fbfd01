import Foundation
import HTTP
import MLflow
import TestSupport
import XCTest

/// The trend across the target branch's runs: with an MLflow tracking server, main's runs
/// logged there (the real server); else a merge request reads main's last run.json from
/// GitLab's job artifacts (strict fake); without it, the history a scheduled run on main
/// kept in the CI cache; with none, the report says so and the run still passes.
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

    /// On GitHub: main's last run.json from the newest `sluice-report` artifact a run on main
    /// uploaded (the starter workflow's upload of `.sluice/latest/`), through the Actions API
    /// and its redirect to storage.
    func testPullRequestShowsMainsTrendFromTheActionsArtifact() throws {
        let github = try FakeGitHub()
        let zip = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("artifacts/sluice-report.zip")))
        github.uploadArtifact(name: "sluice-report", branch: "main", zip: zip, created: "2026-11-29T02:00:00Z")
        let workspace = try RunWorkspace()
        let event = workspace.temp.file("event.json")
        try #"{"pull_request": {"number": 31, "html_url": "https://github.com/o/r/pull/31", "head": {"sha": "headsha"}}}"#.write(toFile: event, atomically: true, encoding: .utf8)
        let environment = ["GITHUB_ACTIONS": "true", "GITHUB_API_URL": github.apiURL, "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_NAME": "pull_request",
                           "GITHUB_EVENT_PATH": event, "GITHUB_SHA": "mergesha", "GITHUB_JOB": "sluice", "GITHUB_TOKEN": "ghs_actions",
                           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "9", "GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "tune"]
        let result = try workspace.run(environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        let trend = try workspace.report().object("trend")
        XCTAssertEqual(trend.string("source"), "forge_artifacts", "\(trend)")
        XCTAssertEqual(trend.objects("points").count, 7, "main's six earlier runs and its last run")
        XCTAssertEqual(github.storageRequests.map(\.authorized), [false], "the token stayed on GitHub's origin")
        let markdown = try workspace.latest("report.md")
        XCTAssertTrue(markdown.contains("History from the GitHub Actions artifact sluice-report of main."), markdown)
        XCTAssertTrue(github.allComments.last?.body.contains("#### Trend on main") ?? false, "the pull request's comment carries the trend")
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

    /// main's runs in MLflow, logged with the tags and metrics `sluice run` logs (three
    /// nightly runs, started out of creation order, and a merge request's run on main that
    /// must not count), are the trend a merge request shows, oldest first; the job artifacts
    /// are not asked.
    func testMergeRequestShowsMainsTrendFromItsMLflowRuns() throws {
        let uri = try TestMLflow.uri()
        let endpoint = try MLflowEndpoint(trackingURI: uri)
        let mlflow = MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint)))
        let experiment = TestMLflow.name("trend")
        let experimentID = try mlflow.createExperiment(name: experiment)
        let logged: [(run: String, start: Int64, mode: String, auc: Double)] = [
            ("nightly-2", 2000, "nightly", 0.72), ("nightly-1", 1000, "nightly", 0.70), ("mr-9", 2500, "mr", 0.99), ("nightly-3", 3000, "nightly", 0.74),
        ]
        for entry in logged {
            let run = try mlflow.createRun(experimentID: experimentID, name: "sluice \(entry.run)", startTime: 1_764_000_000_000 + entry.start, tags: [
                MLflowKeyValue("mlflow.source.git.branch", "main"), MLflowKeyValue("mlflow.source.git.commit", "c0ffee\(entry.run.suffix(1))000000"),
                MLflowKeyValue("sluice.mode", entry.mode), MLflowKeyValue("sluice.run_id", entry.run),
            ])
            try mlflow.logBatch(runID: run.info.runID, metrics: [MLflowMetric(key: "candidate.roc_auc", value: entry.auc, timestamp: 1),
                                                                 MLflowMetric(key: "holdout.rows", value: 1000, timestamp: 1)])
            try mlflow.updateRun(runID: run.info.runID, status: .finished)
        }
        let workspace = try RunWorkspace()
        try workspace.append("""
        mlflow:
          experiment: \(experiment)
          register: false
        """)
        let gitlab = try FakeGitLab()
        let result = try workspace.run(environment: gitlabMergeRequestVariables(gitlab).merging(["MLFLOW_TRACKING_URI": uri]) { $1 })
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(gitlab.artifactRequests.count, 0, "MLflow answered first")
        let trend = try workspace.report().object("trend")
        XCTAssertEqual(trend.string("source"), "mlflow_runs")
        XCTAssertEqual(trend.objects("points").map { $0.string("runId") }, ["nightly-1", "nightly-2", "nightly-3"])
        XCTAssertEqual(trend.objects("points").map { $0.object("metrics")["roc_auc"] as? Double }, [0.70, 0.72, 0.74])
        let markdown = try workspace.latest("report.md")
        XCTAssertTrue(markdown.contains("| metric | last 3 runs of main, then this run | main (c0ffee30) | this run | change |"), markdown)
        let section = try XCTUnwrap(markdown.components(separatedBy: "#### Trend on main").last)
        let row = try XCTUnwrap(section.split(separator: "\n").first { $0.hasPrefix("| roc\\_auc ↑ |") }, markdown)
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(cells[1].count, 4, "a sparkline of main's three runs and this one: \(row)")
        XCTAssertEqual(cells[2], "0.7400", "main's last run: \(row)")
        XCTAssertTrue(markdown.contains("History from the MLflow runs of main in experiment \(experiment)."), markdown)
        XCTAssertTrue(gitlab.allNotes.last?.body.contains("#### Trend on main") ?? false, "the posted comment carries the trend")
    }
}
