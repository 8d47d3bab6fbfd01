import Core
import Foundation
import ReportModel
@testable import Reports
import TestSupport
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

final class ReportRenderingTests: XCTestCase {
    private func fixture(_ name: String) throws -> RunReport {
        try ReportFile.read(Fixtures.path("reports/\(name).json"))
    }

    func testShippedTemplateFileIsTheBuiltInOne() throws {
        let file = try String(contentsOfFile: Fixtures.repo("templates/report/comment.mustache"), encoding: .utf8)
        XCTAssertEqual(file, DefaultTemplates.comment, "regenerate Sources/Reports/DefaultTemplates.swift from templates/report/")
    }

    func testPassingRunSaysReadyToMergeWithMarkedMetrics() throws {
        let markdown = try MarkdownReport.render(try fixture("pass"))
        XCTAssertTrue(markdown.hasPrefix("### ✅ **Ready to merge**: all 2 gates passed\n"), markdown)
        XCTAssertTrue(markdown.contains("| roc\\_auc ↑ | 0.9051 | **0.9132** | +0.0081 | [+0.0032, +0.0131] | 🟢 better |"), markdown)
        XCTAssertTrue(markdown.contains("| log\\_loss ↓ | 0.2904 | **0.2810** | −0.0094 | [−0.0150, −0.0038] | 🟢 better |"))
        XCTAssertTrue(markdown.contains("| f1 ↑ | 0.8101 | **0.8120** | +0.0019 | [−0.0040, +0.0078] | ⚪ no significant change |"))
        XCTAssertTrue(markdown.contains("#### Gates: 2 passed"))
        XCTAssertTrue(markdown.contains("```mermaid\nxychart-beta\n"))
        XCTAssertTrue(markdown.contains("<details><summary>Per-feature drift"))
        XCTAssertTrue(markdown.contains("[!17](https://gitlab.example.com/ml/churn/-/merge_requests/17)"))
    }

    func testFailingGateIsNamedOnTheTopLine() throws {
        let markdown = try MarkdownReport.render(try fixture("failing-gate"))
        let firstLine = markdown.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertEqual(firstLine, "### ❌ **Do not merge**: gate roc\\_auc\\_vs\\_champion failed: roc\\_auc delta -0.0120 &lt; -0.005")
        XCTAssertTrue(markdown.contains("#### Gates: 1 of 2 failed"))
        // The failed gate is listed first.
        let gateRows = markdown.split(separator: "\n").filter { $0.contains("| relative |") || $0.contains("| absolute |") }
        XCTAssertTrue(gateRows.first?.contains("❌ failed") ?? false, "\(gateRows)")
        XCTAssertTrue(markdown.contains("🔴 worse"))
        XCTAssertEqual(ReportHeadline.text(try fixture("failing-gate")), "Do not merge: gate roc_auc_vs_champion failed: roc_auc delta -0.0120 < -0.005")
    }

    func testHeadlinesWithoutAFailedGate() throws {
        var report = RunReport(runId: "r", createdAt: "t", sluiceVersion: "0")
        report.outcome = Outcome(status: .failed, summary: "")
        XCTAssertEqual(ReportHeadline.text(report), "Do not merge: a check said no")
        report.outcome = Outcome(status: .failed, summary: "5 invalid rows", failedStage: .validate)
        XCTAssertEqual(ReportHeadline.text(report), "Do not merge: validate failed: 5 invalid rows")
        report.outcome = Outcome(status: .error, summary: "python exited 1", failedStage: .train)
        XCTAssertEqual(ReportHeadline.text(report), "No verdict: stage train broke: python exited 1")
        XCTAssertTrue(try MarkdownReport.render(report).hasPrefix("### ⚠️ **No verdict**: stage train broke: python exited 1\n"))
    }

    func testNoChampionShowsTheCandidateAlone() throws {
        let markdown = try MarkdownReport.render(try fixture("no-champion"))
        XCTAssertTrue(markdown.contains("No champion to compare with"))
        XCTAssertTrue(markdown.contains("| roc\\_auc ↑ | – | **0.9132** | – | – | no champion |"), markdown)
        XCTAssertTrue(markdown.contains("1 passed, 1 not applicable"))
        XCTAssertFalse(markdown.contains("    line [0."), "no champion line in the metrics chart")
    }

    func testValuesFromTheMergeRequestAndDataAreEscaped() throws {
        let markdown = try MarkdownReport.render(try fixture("drift"))
        XCTAssertFalse(markdown.contains("<script>"))
        XCTAssertFalse(markdown.contains("<b>"))
        XCTAssertFalse(markdown.contains("@team"), "no mention")
        XCTAssertTrue(markdown.contains("feat/\\*bold\\* \\| &lt;script&gt;alert(1)&lt;/script&gt; &#64;team &#35;12 → main"), markdown)
        XCTAssertTrue(markdown.contains("Refresh data \\`2026-11\\` \\[skip ci\\] &#33;\\[x\\](http://evil)"))
        XCTAssertTrue(markdown.contains("| contract\\|type &lt;b&gt; | categorical |"))
        XCTAssertTrue(markdown.contains("**dataset drift**"))
        XCTAssertTrue(markdown.contains("\"contract|type b\""), "Mermaid label without angle brackets")
        // Every table row still has the header's number of cells.
        for line in markdown.split(separator: "\n") where line.hasPrefix("| contract") {
            XCTAssertEqual(line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count, 9)
        }
    }

    func testHashesCommitsAndURLsCannotBreakOutOrLeakCredentials() throws {
        var report = RunReport(runId: "r", createdAt: "t", sluiceVersion: "0")
        report.lineage = Lineage(commit: "ab`<img src=x>`", pipelineURL: "https://ci:t0ken@gitlab.example/p/-/pipelines/1",
                                 dataHashes: ["train.csv": "`| <b>x</b>"])
        let markdown = try MarkdownReport.render(report)
        XCTAssertTrue(markdown.contains("| train.csv | `????b?x?/b?` |"), markdown)
        XCTAssertTrue(markdown.contains("commit `ab??img?`"), markdown)
        XCTAssertTrue(markdown.contains("[pipeline](https://gitlab.example/p/-/pipelines/1)"), markdown)
        XCTAssertFalse(markdown.contains("t0ken"))
        XCTAssertFalse(HTMLReport.render(report).contains("t0ken"))
    }

    func testSizeBudgetStepsDownAndNeverFails() throws {
        let huge = try fixture("huge")
        let full = try MarkdownReport.render(huge)
        XCTAssertLessThan(Budget.length(full), 1_000_000, "GitLab's limit holds the whole report")
        XCTAssertFalse(full.contains("more rows in the job artifacts"))

        let github = try MarkdownReport.render(huge, budget: 65_536 - 40, artifactsURL: "https://gitlab.example.com/ml/churn/-/jobs/77/artifacts/browse")
        XCTAssertLessThanOrEqual(Budget.length(github), 65_536 - 40)
        XCTAssertTrue(github.hasPrefix("### ❌ **Do not merge**: validate failed: validation failed: 4000 errors"), String(github.prefix(200)))
        XCTAssertTrue(github.contains("_… 2950 more rows in the job artifacts ([open](https://gitlab.example.com/ml/churn/-/jobs/77/artifacts/browse))._"), github)
        XCTAssertFalse(github.contains("```mermaid"), "charts go first")

        let tiny = try MarkdownReport.render(huge, budget: 1000)
        XCTAssertLessThanOrEqual(Budget.length(tiny), 1000)
        XCTAssertTrue(tiny.hasPrefix("### ❌ **Do not merge**"))
        XCTAssertTrue(tiny.contains("the report was cut to fit the comment size limit"))
    }

    func testAUserTemplateGetsEscapedValues() throws {
        let markdown = try MarkdownReport.render(try fixture("drift"), template: "{{headline.icon}} {{lineage.branch}} {{{lineage.branch}}}{{#drift}} {{driftedFeatures}}/{{totalFeatures}}{{/drift}}", key: "a|b")
        XCTAssertEqual(markdown, "✅ feat/\\*bold\\* \\| &lt;script&gt;alert(1)&lt;/script&gt; &#64;team &#35;12 feat/\\*bold\\* \\| &lt;script&gt;alert(1)&lt;/script&gt; &#64;team &#35;12 4/6\n")
        XCTAssertThrowsError(try MarkdownReport.render(try fixture("pass"), template: "{{#open}} never closed")) { error in
            XCTAssertEqual((error as? Failure)?.exitStatus, .usage)
        }
    }

    func testHTMLIsSelfContainedWithDistributionAndROCCharts() throws {
        let html = HTMLReport.render(try fixture("drift"))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src=\"http"), "nothing fetched")
        XCTAssertTrue(html.contains("<title>monthly_charges: reference vs current</title>"))
        XCTAssertTrue(html.contains("<title>contract|type &lt;b&gt;: reference vs current</title>"))
        XCTAssertEqual(html.components(separatedBy: "<polyline").count - 1, 2, "candidate and champion ROC curves")
        XCTAssertTrue(html.contains("feat/*bold* | &lt;script&gt;alert(1)&lt;/script&gt;"))
        // Every inline chart is well-formed SVG.
        let charts = html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + ($0.components(separatedBy: "</svg>").first ?? "") + "</svg>" }
        XCTAssertEqual(charts.count, 3, "two drifted features with distributions and one ROC chart")
        for chart in charts { XCTAssertTrue(XMLParser(data: Data(chart.utf8)).parse(), chart) }
    }

    func testJUnitIsWellFormedAndCountsFailures() throws {
        let xml = JUnitReport.render(try fixture("failing-gate"))
        XCTAssertTrue(XMLParser(data: Data(xml.utf8)).parse(), xml)
        XCTAssertTrue(xml.contains("<testsuites name=\"sluice\" tests=\"5\" failures=\"2\" errors=\"0\">"), xml)
        XCTAssertTrue(xml.contains("<failure message=\"roc_auc delta -0.0120 &lt; -0.005\">"))
        let huge = JUnitReport.render(try fixture("huge"))
        XCTAssertTrue(XMLParser(data: Data(huge.utf8)).parse())
        XCTAssertTrue(huge.contains("<testsuite name=\"sluice.validation\" tests=\"1\" failures=\"1\""))
    }

    func testOpenMetricsText() throws {
        let text = OpenMetricsReport.render(try fixture("failing-gate"))
        XCTAssertTrue(text.hasSuffix("# EOF\n"))
        XCTAssertTrue(text.contains("sluice_run_passed 0\n"))
        XCTAssertTrue(text.contains("sluice_metric{metric=\"roc_auc\",model=\"candidate\"} 0.8931\n"))
        XCTAssertTrue(text.contains("sluice_metric{metric=\"roc_auc\",model=\"champion\"} 0.9051\n"))
        XCTAssertTrue(text.contains("sluice_metric_delta{metric=\"roc_auc\"} -0.012\n"))
        XCTAssertTrue(text.contains("sluice_gate_passed{gate=\"roc_auc_vs_champion\"} 0\n"))
        XCTAssertEqual(text.components(separatedBy: "# TYPE sluice_metric gauge\n").count, 2, "one TYPE line per family")
    }

    func testReportFileErrorsNameWhatIsWrong() throws {
        let directory = try TemporaryDirectory()
        let newer = try directory.write("v2.json", #"{"schemaVersion": 2}"#)
        XCTAssertThrowsError(try ReportFile.read(newer)) { XCTAssertEqual("\($0)", "\(newer) has schemaVersion 2; this sluice reads version 1") }
        let broken = try directory.write("broken.json", #"{"schemaVersion": 1, "runId": "r", "createdAt": "t", "sluiceVersion": "0", "outcome": {"status": "maybe", "summary": ""}}"#)
        XCTAssertThrowsError(try ReportFile.read(broken)) { XCTAssertTrue("\($0)".contains("outcome.status"), "\($0)") }
        XCTAssertThrowsError(try ReportFile.read(directory.file("missing.json"))) { XCTAssertEqual(($0 as? Failure)?.exitStatus, .usage) }
    }

    func testTruncatedOrNonObjectRunReportsAreExplained() throws {
        let directory = try TemporaryDirectory()
        let truncated = try directory.write("t.json", "{\n  \"schemaVersion\": 1,\n  \"runId\": \"r")
        XCTAssertThrowsError(try ReportFile.read(truncated)) {
            XCTAssertEqual("\($0)", "\(truncated) is not valid JSON at line 3, column 14: the document ends early (is it truncated?): a string is not closed; expected a run report (run.json, see docs/run-report.md)")
        }
        let array = try directory.write("a.json", "[{\"schemaVersion\": 1}]")
        XCTAssertThrowsError(try ReportFile.read(array)) {
            XCTAssertEqual("\($0)", "\(array) holds a JSON array, not a JSON object; expected a run report (run.json, see docs/run-report.md)")
        }
        let wrongType = try directory.write("w.json", #"{"schemaVersion": 1, "runId": "r", "createdAt": "t", "sluiceVersion": "0", "outcome": {"status": "passed", "summary": ""}, "lineage": []}"#)
        XCTAssertThrowsError(try ReportFile.read(wrongType)) { XCTAssertEqual("\($0)", "\(wrongType): lineage should be an object, not an array") }
    }
}

final class RunReportDocumentTests: XCTestCase {
    /// The minimal document in docs/run-report.md reads and renders.
    func testTheDocumentedMinimalReportRenders() throws {
        let doc = try String(contentsOfFile: Fixtures.repo("docs/run-report.md"), encoding: .utf8)
        let start = try XCTUnwrap(doc.range(of: "## A minimal valid document\n\n```json\n"))
        let end = try XCTUnwrap(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
        let directory = try TemporaryDirectory()
        let path = try directory.write("run.json", String(doc[start.upperBound..<end.lowerBound]))
        let report = try ReportFile.read(path)
        XCTAssertEqual(report.runId, "r1")
        XCTAssertEqual(try MarkdownReport.render(report), "### ✅ **Ready to merge**: every check held\n\n<sub>sluice 0.1.0 · run r1</sub>\n")
    }
}
