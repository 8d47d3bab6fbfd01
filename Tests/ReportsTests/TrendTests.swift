import Foundation
import ReportModel
@testable import Reports
import TestSupport
import XCTest

/// The target branch's history: chained through each run's report, shown as a sparkline
/// table in the comment and a line chart in the HTML, and said plainly when missing.
final class TrendTests: XCTestCase {
    private func report(_ id: String, roc: Double?, earlier: [TrendPoint] = []) -> RunReport {
        var report = RunReport(runId: id, createdAt: "2026-11-30T02:00:00Z", sluiceVersion: "test", lineage: Lineage(commit: "abcdef12\(id)"))
        if let roc {
            report.evaluation = EvaluationSummary(task: "binary", holdout: "holdout.csv", rowCount: 100, championAvailable: false,
                                                  metrics: [MetricComparison(name: "roc_auc", higherIsBetter: true, candidate: roc, verdict: .notApplicable),
                                                            MetricComparison(name: "log_loss", higherIsBetter: false, candidate: 0.4, verdict: .notApplicable)])
        }
        report.gates = [GateResult(name: "roc_auc >= 0.7", kind: .absolute, status: .passed, detail: "", metric: "roc_auc")]
        if !earlier.isEmpty { report.trend = Trend(branch: "main", points: earlier) }
        return report
    }

    func testHistoryChainsThroughEachRunsReportAndKeepsTheLastTen() {
        var last = report("r0", roc: 0.70)
        for index in 1...12 {
            last = report("r\(index)", roc: 0.70 + Double(index) / 100, earlier: RunHistory.points(through: last))
        }
        let trend = RunHistory.trend(after: last, branch: "main", source: .forgeArtifacts, origin: "the job artifacts of sluice-nightly on main")
        XCTAssertEqual(trend.points.count, RunHistory.limit)
        XCTAssertEqual(trend.points.last?.runId, "r12", "the branch's last run is the last point")
        XCTAssertEqual(trend.points.first?.runId, "r3")
        XCTAssertNil(trend.missing)
        let untrained = report("r13", roc: nil, earlier: trend.points)
        XCTAssertEqual(RunHistory.points(through: untrained).map(\.runId), trend.points.map(\.runId), "a run without metrics keeps the chain")
        XCTAssertEqual(RunHistory.trend(after: report("x", roc: nil), branch: "main", source: .ciCache, origin: "cache").missing,
                       "the last run of main (cache) measured no metrics")
    }

    func testCommentShowsASparklineTableAndTheChangeAgainstTheBranch() throws {
        var current = report("now", roc: 0.80, earlier: [0.70, 0.72, 0.75, 0.78].enumerated().map { TrendPoint(runId: "p\($0)", createdAt: "t", commit: "c0ffee0\($0)", metrics: ["roc_auc": $1, "log_loss": 0.5]) })
        current.trend?.origin = "the job artifacts of sluice-nightly on main"
        XCTAssertEqual(RunHistory.sparkline([0.70, 0.72, 0.75, 0.78, 0.80]), "▁▂▅▇█")
        let markdown = try MarkdownReport.render(current)
        XCTAssertTrue(markdown.contains("#### Trend on main"), markdown)
        XCTAssertTrue(markdown.contains("| metric | last 4 runs of main, then this run | main (c0ffee03) | this run | change |"), markdown)
        XCTAssertTrue(markdown.contains("| roc\\_auc ↑ | ▁▂▅▇█ | 0.7800 | **0.8000** | +0.0200 |"), markdown)
        let section = try XCTUnwrap(markdown.components(separatedBy: "#### Trend on main").last?.components(separatedBy: "####").first)
        XCTAssertFalse(section.contains("log\\_loss"), "only the gated metrics: \(section)")
        XCTAssertTrue(markdown.contains("History from the job artifacts of sluice-nightly on main."))
        XCTAssertTrue(markdown.contains("""
            <sub>History from the job artifacts of sluice-nightly on main.</sub>

            ```mermaid
            xychart-beta
                title "roc_auc over the last runs of main and this run"
                x-axis ["c0ffee00", "c0ffee01", "c0ffee02", "c0ffee03", "this run"]
                y-axis "roc_auc" 0.685 --> 0.815
                line [0.7000, 0.7200, 0.7500, 0.7800, 0.8000]
            ```
            """), "a Mermaid line per gated metric, the axis spanning its values: \(markdown)")
        let html = HTMLReport.render(current)
        XCTAssertTrue(html.contains("<h2>Trend on main</h2>"))
        XCTAssertTrue(html.contains("<title>Gated metrics over the last runs of main</title>"))
    }

    /// Nightly runs often share a commit: then the chart numbers the runs instead, since
    /// Mermaid places repeated categories on one spot.
    func testRunsSharingACommitAreNumberedOnTheChart() throws {
        let points = [0.70, 0.71].enumerated().map { TrendPoint(runId: "p\($0)", createdAt: "t", commit: "c0ffee00", metrics: ["roc_auc": $1]) }
        XCTAssertEqual(RunHistory.runLabels(Trend(branch: "main", points: points)), ["run 1", "run 2"])
        let flat = report("now", roc: 0.70, earlier: points.map { var point = $0; point.metrics["roc_auc"] = 0.70; return point })
        let markdown = try MarkdownReport.render(flat)
        XCTAssertTrue(markdown.contains("    x-axis [\"run 1\", \"run 2\", \"this run\"]\n    y-axis \"roc_auc\" 0.665 --> 0.735\n    line [0.7000, 0.7000, 0.7000]"),
                      "an unchanged metric still gets an axis around it: \(markdown)")
    }

    func testChartsAreTheFirstThingTheBudgetDrops() throws {
        let current = report("now", roc: 0.80, earlier: [TrendPoint(runId: "p", createdAt: "t", commit: "c0ffee00", metrics: ["roc_auc": 0.7])])
        let full = try MarkdownReport.render(current)
        XCTAssertTrue(full.contains("roc_auc over the last runs of main"))
        let tight = try MarkdownReport.render(current, budget: Budget.length(full) - 1)
        XCTAssertFalse(tight.contains("```mermaid"), tight)
        XCTAssertTrue(tight.contains("| roc\\_auc ↑ | ▁█ | 0.7000 | **0.8000** | +0.1000 |"), "the sparkline table stays: \(tight)")
    }

    func testMissingHistoryIsSaidPlainly() throws {
        var current = report("now", roc: 0.8)
        current.trend = Trend(branch: "main", missing: "no earlier run of main found: no history of main in the CI cache (.sluice/cache/history/main.json)")
        let markdown = try MarkdownReport.render(current)
        XCTAssertTrue(markdown.contains("No history to compare with: no earlier run of main found: no history of main in the CI cache (.sluice/cache/history/main.json)."), markdown)
        XCTAssertTrue(HTMLReport.render(current).contains("No history to compare with: no earlier run of main found"))
    }

    func testAxisTicksAreRound() {
        XCTAssertEqual(SVGCharts.axisTicks(low: 0.7712, high: 0.8229), [0.76, 0.78, 0.8, 0.82, 0.84].map { $0 }, accuracy: 1e-9)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(a) vs \(b)", file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}
