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

    /// A merge request from the fork alice/churn (99) into ml/churn (42), its pipeline run in
    /// the fork: the note goes on the merge request in ml/churn, the status on the fork's commit.
    func testGitLabMergeRequestFromAForkPostsToTheTargetProject() throws {
        let fake = try FakeGitLab()
        var environment = gitlabCI(fake, job: "evaluate")
        environment["CI_PROJECT_ID"] = fake.forkProjectID
        environment["CI_PROJECT_PATH"] = fake.forkProjectPath
        environment["CI_PROJECT_URL"] = "https://gitlab.example.com/alice/churn"
        environment["CI_MERGE_REQUEST_PROJECT_ID"] = fake.projectID
        environment["CI_MERGE_REQUEST_PROJECT_PATH"] = fake.projectPath
        environment["CI_MERGE_REQUEST_PROJECT_URL"] = "https://gitlab.example.com/ml/churn"
        environment["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"] = fake.forkProjectID
        let result = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json"), "--status", "--require-post"], environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("created the report comment (key evaluate) on gitlab 42 !17: https://gitlab.example.com/ml/churn/-/merge_requests/17#note_"), result.stdout)
        XCTAssertEqual(fake.allNotes.count, 1)
        XCTAssertEqual(fake.statuses.map(\.project), [fake.forkProjectID], "the commit and its pipeline are in the fork")
        XCTAssertFalse(fake.server.requests.contains { $0.path.hasPrefix("/api/v4/projects/99/merge_requests") })

        // A branch pipeline in the fork finds the merge request in the target project.
        let branch = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json"), "--require-post"], environment: [
            "GITLAB_CI": "true", "CI_API_V4_URL": fake.apiURL, "CI_SERVER_URL": "https://gitlab.example.com", "CI_PROJECT_ID": fake.forkProjectID,
            "CI_PROJECT_PATH": fake.forkProjectPath, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "tune", "CI_JOB_NAME": "evaluate",
            "CI_OPEN_MERGE_REQUESTS": "\(fake.projectPath)!\(fake.mergeRequest)", "SLUICE_GITLAB_TOKEN": "glpat-sluice-bot",
        ])
        XCTAssertEqual(branch.status, 0, branch.stderr)
        XCTAssertTrue(branch.stdout.contains("updated the report comment (key evaluate) on gitlab ml/churn !17: https://gitlab.example.com/ml/churn/-/merge_requests/17#note_"), branch.stdout)
        XCTAssertEqual(fake.allNotes.count, 1)
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

    /// A pull request from the fork alice/r into o/r. Under `pull_request_target` the run is
    /// the base repository's, with a token that may write: the comment goes on o/r #31 and
    /// the status on the fork's head commit. Under `pull_request` the token is read-only:
    /// the post is a warning that says why, and the verdict decides the exit status.
    func testGitHubPullRequestFromAFork() throws {
        let fake = try FakeGitHub()
        let directory = try TemporaryDirectory()
        let event = try directory.write("event.json", #"{"pull_request": {"number": 31, "html_url": "https://github.com/o/r/pull/31", "head": {"sha": "forkhead", "repo": {"full_name": "alice/r"}}, "base": {"sha": "basesha", "repo": {"full_name": "o/r"}}}}"#)
        var environment = ["GITHUB_ACTIONS": "true", "GITHUB_API_URL": fake.apiURL, "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_NAME": "pull_request_target",
                           "GITHUB_EVENT_PATH": event, "GITHUB_SHA": "basesha", "GITHUB_JOB": "evaluate", "GITHUB_TOKEN": "ghs_actions",
                           "GITHUB_HEAD_REF": "tune", "GITHUB_BASE_REF": "main"]
        let target = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json"), "--status", "--require-post"], environment: environment)
        XCTAssertEqual(target.status, 0, target.stderr)
        XCTAssertTrue(target.stdout.contains("created the report comment (key evaluate) on github o/r #31"), target.stdout)
        XCTAssertEqual(fake.statuses.map(\.sha), ["forkhead"], "the pull request's head, not the base branch that pull_request_target checks out")

        environment["GITHUB_EVENT_NAME"] = "pull_request"
        environment["GITHUB_TOKEN"] = "ghs_fork_readonly"
        let readOnly = try SluiceBinary.run(["report", "post", "--report", Fixtures.path("reports/pass.json")], environment: environment)
        XCTAssertEqual(readOnly.status, 0, "the verdict decides: \(readOnly.stderr)")
        XCTAssertTrue(readOnly.stderr.contains("Resource not accessible by integration"), readOnly.stderr)
        XCTAssertTrue(readOnly.stderr.contains("pull requests from forks get a read-only GITHUB_TOKEN"), readOnly.stderr)
        XCTAssertEqual(fake.allComments.count, 1, "the read-only token changed nothing")
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
