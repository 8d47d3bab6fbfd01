import Foundation
import TestSupport
import XCTest

/// `sluice report render` as a CI job runs it.
final class ReportRenderCommandTests: XCTestCase {
    func testAllFormatsIntoADirectoryAndTheGitHubJobSummary() throws {
        let directory = try TemporaryDirectory()
        let summary = try directory.write("step-summary.md", "# earlier step\n")
        let result = try SluiceBinary.run(["report", "render", "--report", Fixtures.path("reports/failing-gate.json"), "--format", "all", "--out", directory.file("out")],
                                          environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary])
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in ["report.md", "report.html", "junit.xml", "metrics.txt", "run.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("out/\(name)")), name)
            XCTAssertTrue(result.stdout.contains(directory.file("out/\(name)")))
        }
        let appended = try String(contentsOfFile: summary, encoding: .utf8)
        XCTAssertTrue(appended.hasPrefix("# earlier step\n### ❌ **Do not merge**"), appended)
        let json = try String(contentsOfFile: directory.file("out/run.json"), encoding: .utf8)
        XCTAssertEqual(json, try String(contentsOfFile: Fixtures.path("reports/failing-gate.json"), encoding: .utf8), "run.json round-trips byte for byte")
    }

    func testMarkdownToStdoutWithABudgetAndAUserTemplate() throws {
        let directory = try TemporaryDirectory()
        let template = try directory.write("t.mustache", "{{headline.verdict}} ({{#gates}}{{summary}}{{/gates}})\n")
        let result = try SluiceBinary.run(["report", "render", "--report", Fixtures.path("reports/failing-gate.json"), "--template", template])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Do not merge (1 of 2 failed)\n")

        let trimmed = try SluiceBinary.run(["report", "render", "--report", Fixtures.path("reports/huge.json"), "--budget", "65536"],
                                           environment: ["GITLAB_CI": "true", "CI_JOB_URL": "https://gitlab.example.com/ml/churn/-/jobs/77"])
        XCTAssertEqual(trimmed.status, 0, trimmed.stderr)
        XCTAssertLessThanOrEqual(trimmed.stdout.utf16.count, 65_536)
        XCTAssertTrue(trimmed.stdout.contains("more rows in the job artifacts ([open](https://gitlab.example.com/ml/churn/-/jobs/77/artifacts/browse))"))
    }

    func testHelpDocumentsTheCommandsAndExitsZero() throws {
        let render = try SluiceBinary.run(["report", "render", "--help"])
        XCTAssertEqual(render.status, 0, render.stderr)
        XCTAssertTrue(render.stdout.contains("--format <format>"), render.stdout)
        let post = try SluiceBinary.run(["report", "post", "--help"])
        XCTAssertEqual(post.status, 0, post.stderr)
        XCTAssertTrue(post.stdout.contains("--require-post"), post.stdout)
    }

    func testUsageErrorsExitTwo() throws {
        let missing = try SluiceBinary.run(["report", "render", "--report", "/nonexistent/run.json"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot read the run report /nonexistent/run.json"), missing.stderr)
        let format = try SluiceBinary.run(["report", "render", "--report", Fixtures.path("reports/pass.json"), "--format", "pdf"])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.stderr.contains("--format must be one of markdown, html, junit, metrics, json, all"), format.stderr)
        let all = try SluiceBinary.run(["report", "render", "--report", Fixtures.path("reports/pass.json"), "--format", "all"])
        XCTAssertEqual(all.status, 2)
    }
}
