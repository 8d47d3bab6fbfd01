import Foundation
import TestSupport
import XCTest

/// `sluice report post` run as a CI job would run it, against the loopback forges.
final class ReportPostCommandTests: XCTestCase {
    private let report = Fixtures.path("reports/failing-gate.json")

    private func gitlabCI(_ fake: FakeGitLab, job: String) -> [String: String] {
        ["GITLAB_CI": "true", "CI_API_V4_URL": fake.apiURL, "CI_PROJECT_ID": fake.projectID, "CI_PROJECT_PATH": fake.projectPath,
         "CI_PROJECT_URL": "https://gitlab.example.com/ml/churn", "CI_MERGE_REQUEST_IID": "\(fake.mergeRequest)",
         "CI_PIPELINE_SOURCE": "merge_request_event", "CI_COMMIT_SHA": "3f2a9c1d5e7b", "CI_JOB_NAME": job,
         "CI_JOB_URL": "https://gitlab.example.com/ml/churn/-/jobs/77", "CI_JOB_TOKEN": "job-token-secret",
         "SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"]
    }

    func testGitLabPostsThenUpdatesThenAnotherJobAddsItsOwn() throws {
        let fake = try FakeGitLab()
        fake.seed(body: "LGTM once the gate passes", authorID: 8)
        let first = try SluiceBinary.run(["report", "post", "--report", report, "--status"], environment: gitlabCI(fake, job: "evaluate"))
        XCTAssertEqual(first.status, 1, "the run's verdict (a failed gate), not the post: \(first.stderr)")
        XCTAssertTrue(first.stdout.contains("created the report comment (key evaluate) on gitlab 42 !17: https://gitlab.example.com/ml/churn/-/merge_requests/17#note_"), first.stdout)
        XCTAssertTrue(first.stdout.contains("set commit status sluice/evaluate to failure on 3f2a9c1d5e7b"), first.stdout)

        let second = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json"), "--status"], environment: gitlabCI(fake, job: "evaluate"))
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("updated the report comment (key evaluate)"), second.stdout)

        let third = try SluiceBinary.run(["report", "post", "--report", report], environment: gitlabCI(fake, job: "evaluate: [linear]"))
        XCTAssertTrue(third.stdout.contains("created the report comment (key evaluate: [linear])"), third.stdout)

        let notes = fake.allNotes
        XCTAssertEqual(notes.count, 3)
        XCTAssertTrue(notes[1].body.hasPrefix("<!-- sluice-report key=\"evaluate\" -->\n### ✅ **Ready to merge**"), notes[1].body)
        XCTAssertTrue(notes[1].body.contains("Sluice · evaluate ·"))
        XCTAssertTrue(notes[2].body.hasPrefix("<!-- sluice-report key=\"evaluate: [linear]\" -->\n### ❌ **Do not merge**"))
        XCTAssertEqual(fake.statuses.map(\.state), ["failed", "success"])
        for result in [first, second, third] {
            XCTAssertFalse((result.stdout + result.stderr).contains("glpat-sluice-bot"))
            XCTAssertFalse((result.stdout + result.stderr).contains("job-token-secret"))
        }
    }

    func testVerboseTraceRedactsTheTokenAndFilesAreWrittenEvenWhenPostingFails() throws {
        let fake = try FakeGitLab()
        var environment = gitlabCI(fake, job: "evaluate")
        environment["SLUICE_GITLAB_TOKEN"] = "glpat-wrong-secret"
        let directory = try TemporaryDirectory()
        let result = try SluiceBinary.run(["report", "post", "--report", report, "--verbose", "--out", directory.file("report")], environment: environment)
        XCTAssertEqual(result.status, 1, "exit follows the verdict when the post fails: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("warning: could not post the report to gitlab 42 !17"), result.stderr)
        XCTAssertTrue(result.stderr.contains("401"), result.stderr)
        XCTAssertTrue(result.stderr.contains("PRIVATE-TOKEN: REDACTED"), result.stderr)
        XCTAssertFalse(result.stderr.contains("glpat-wrong-secret"))
        for name in ["report.md", "report.html", "junit.xml", "metrics.txt", "run.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("report/\(name)")), name)
            XCTAssertFalse(try String(contentsOfFile: directory.file("report/\(name)"), encoding: .utf8).contains("glpat-wrong-secret"))
        }
        let required = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json"), "--require-post"], environment: environment)
        XCTAssertEqual(required.status, 3, required.stderr)
    }

    func testJobTokenAloneIsExplainedAndTheVerdictStillDecides() throws {
        let fake = try FakeGitLab()
        var environment = gitlabCI(fake, job: "evaluate")
        environment["SLUICE_GITLAB_TOKEN"] = nil
        let result = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json")], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("only CI_JOB_TOKEN is set, and GitLab's job token cannot create or edit merge request notes"), result.stderr)
        XCTAssertTrue(fake.server.requests.isEmpty)
    }

    func testGitHubActionsPullRequest() throws {
        let fake = try FakeGitHub()
        let directory = try TemporaryDirectory()
        let event = try directory.write("event.json", #"{"pull_request": {"number": 31, "html_url": "https://github.com/o/r/pull/31", "head": {"sha": "headsha"}}}"#)
        let environment = ["GITHUB_ACTIONS": "true", "GITHUB_API_URL": fake.apiURL, "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_NAME": "pull_request",
                           "GITHUB_EVENT_PATH": event, "GITHUB_SHA": "mergesha", "GITHUB_JOB": "evaluate", "GITHUB_TOKEN": "ghs_actions",
                           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "9", "GITHUB_STEP_SUMMARY": directory.file("summary.md")]
        let first = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/huge.json"), "--status", "--out", directory.file("report")], environment: environment)
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stdout.contains("created the report comment (key evaluate) on github o/r #31: https://github.com/o/r/pull/31#issuecomment-"), first.stdout)
        let summary = try String(contentsOfFile: directory.file("summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.hasPrefix("### ❌ **Do not merge**"), String(summary.prefix(200)))
        XCTAssertTrue(summary.contains("feature\\_2999"), "the job summary holds the whole drift table")
        let second = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json"), "--status"], environment: environment)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("updated"), second.stdout)
        XCTAssertEqual(fake.allComments.count, 1)
        XCTAssertEqual(fake.statuses.map(\.sha), ["headsha", "headsha"], "statuses go on the pull request's head, not the merge commit")
        XCTAssertEqual(fake.statuses.map(\.state), ["failure", "success"])
        XCTAssertTrue(fake.statuses.allSatisfy { $0.description.count <= 140 })
    }

    func testHugeReportFitsGitHubsLimit() throws {
        let fake = try FakeGitHub()
        let result = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/huge.json"), "--forge", "github", "--api-url", fake.apiURL,
                                           "--project", "o/r", "--number", "31", "--key", "nightly"], environment: ["GITHUB_TOKEN": "ghp_alice"])
        XCTAssertTrue(result.stdout.contains("created"), result.stderr)
        let body = try XCTUnwrap(fake.allComments.first?.body)
        XCTAssertLessThanOrEqual(body.unicodeScalars.count, 65_536)
        XCTAssertTrue(body.contains("more rows in the job artifacts"))
    }

    func testJenkinsMultibranchWithGitHubEnterpriseAndWithTheGitLabPlugin() throws {
        let github = try FakeGitHub()
        let enterprise = try SluiceBinary.run(["report", "post", "--report", report], environment: [
            "JENKINS_URL": "https://ci.example.com/", "BUILD_URL": "https://ci.example.com/job/churn/PR-31/4/", "JOB_NAME": "churn/PR-31",
            "CHANGE_ID": "31", "CHANGE_URL": "\(github.server.baseURL)/o/r/pull/31", "CHANGE_TARGET": "main", "GIT_COMMIT": "c0ffee",
            "GITHUB_TOKEN": "ghp_alice",
        ])
        XCTAssertTrue(enterprise.stdout.contains("created the report comment (key churn/PR-31) on github o/r #31"), enterprise.stdout + enterprise.stderr)
        XCTAssertTrue(github.server.requests.allSatisfy { $0.path.hasPrefix("/api/v3/") || $0.path.hasPrefix("/repositories/") })

        let gitlab = try FakeGitLab()
        let plugin = try SluiceBinary.run(["report", "post", "--report", report, "--status"], environment: [
            "JENKINS_HOME": "/var/lib/jenkins", "BUILD_URL": "https://ci.example.com/job/churn/12/", "JOB_NAME": "churn",
            "gitlabMergeRequestIid": "17", "gitlabMergeRequestId": "99812", "gitlabTargetRepoHttpUrl": "\(gitlab.server.baseURL)/ml/churn.git",
            "gitlabMergeRequestLastCommit": "deadbeef", "GITLAB_TOKEN": "glpat-sluice-bot",
        ])
        XCTAssertEqual(plugin.status, 1, plugin.stderr)
        XCTAssertTrue(plugin.stdout.contains("created the report comment (key churn) on gitlab ml/churn !17"), plugin.stdout + plugin.stderr)
        XCTAssertEqual(gitlab.statuses.first?.sha, "deadbeef")
        XCTAssertEqual(gitlab.statuses.first?.targetURL.map { $0.hasPrefix("\(gitlab.server.baseURL)/ml/churn/-/merge_requests/17#note_") }, true)
    }

    func testDryRunSendsNothing() throws {
        let fake = try FakeGitLab()
        let result = try SluiceBinary.run(["report", "post", "--report", report, "--dry-run"], environment: gitlabCI(fake, job: "evaluate"))
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.hasPrefix("would post as key evaluate to gitlab \(fake.apiURL) project 42 number 17\n<!-- sluice-report key=\"evaluate\" -->\n### ❌"), result.stdout)
        XCTAssertTrue(fake.server.requests.isEmpty)
    }

    func testOutsideCIItIsAWarning() throws {
        let result = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json"), "--format", "json"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("warning: no forge to post to"), result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["comment"] as? String, "skipped")
        XCTAssertEqual(json["key"] as? String, "sluice")
        XCTAssertEqual((json["warnings"] as? [String])?.count, 1)
    }
}
