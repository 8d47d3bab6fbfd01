import Foundation
import ReportModel
@testable import Reports
import TestSupport
import XCTest

/// The HTML report as a reader sees it: Debian's chromium loads `report.html` of a passing,
/// a failing and a broken run (run.json files written by `sluice run` on the example), and a
/// test-only copy with a small script measures every chart label in the page. Screenshots
/// go to `test-artifacts/report-screenshots/` (or `$SLUICE_TEST_ARTIFACTS`) for CI to keep.
final class BrowserReportTests: XCTestCase {
    /// Reads each chart's box and its labels' boxes, the page's requests and its visible
    /// text, and writes them as JSON into the DOM that `--dump-dom` prints.
    static let measureScript = """
    <script>
    (function () {
      const box = (r) => ({x: r.left, y: r.top, w: r.width, h: r.height});
      const charts = [...document.querySelectorAll('svg')].map((svg) => ({
        title: (svg.querySelector('title') || {}).textContent || '',
        box: box(svg.getBoundingClientRect()),
        labels: [...svg.querySelectorAll('text')].map((t) => Object.assign({text: t.textContent}, box(t.getBoundingClientRect())))
      }));
      const out = {
        charts: charts,
        resources: performance.getEntriesByType('resource').map((e) => e.name),
        text: document.body.innerText,
        overflowing: [...document.querySelectorAll('td, th, h1, h2, h3, p')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.slice(0, 80))
      };
      const pre = document.createElement('pre');
      pre.id = 'sluice-measure';
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    })();
    </script>
    """

    struct Measure: Decodable {
        struct Box: Decodable { let x, y, w, h: Double }
        struct Label: Decodable { let text: String; let x, y, w, h: Double }
        struct Chart: Decodable { let title: String; let box: Box; let labels: [Label] }
        let charts: [Chart]
        let resources: [String]
        let text: String
        let overflowing: [String]
    }

    /// Renders the fixture run, measures its test-only copy in chromium and keeps a
    /// screenshot of the report itself.
    private func load(_ name: String, chromium: Chromium) throws -> (Measure, RunReport) {
        let report = try ReportFile.read(Fixtures.path("reports/\(name).json"))
        let html = HTMLReport.render(report)
        let temp = try TemporaryDirectory()
        let measured = try measure(html, in: temp, chromium: chromium)
        try chromium.screenshot(try temp.write("report.html", html), to: try Self.screenshotDirectory() + "/\(name).png")
        return (measured, report)
    }

    private func measure(_ html: String, in temp: TemporaryDirectory, chromium: Chromium, width: Int = 1280) throws -> Measure {
        let page = try temp.write("report.measure.html", html.replacingOccurrences(of: "</body>", with: Self.measureScript + "</body>"))
        let dom = try chromium.dumpDOM(page, width: width)
        let start = try XCTUnwrap(dom.range(of: "<pre id=\"sluice-measure\">"), "the measuring script ran: \(dom.suffix(500))")
        let end = try XCTUnwrap(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        let json = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Measure.self, from: Data(json.utf8))
    }

    /// A fixture run that reads well and shows its verdict and `expected` texts.
    @discardableResult
    private func assertRun(_ name: String, verdict: String, shows expected: [String]) throws -> (Measure, RunReport) {
        let (measure, report) = try load(name, chromium: try Chromium.find())
        assertReadable(measure, name)
        XCTAssertTrue(measure.text.contains(verdict), "\(name): the verdict is on the page")
        for text in expected { XCTAssertTrue(measure.text.contains(text), "\(name): the page shows '\(text)'") }
        return (measure, report)
    }

    static func screenshotDirectory() throws -> String {
        let root = ProcessInfo.processInfo.environment["SLUICE_TEST_ARTIFACTS"] ?? Fixtures.repo("test-artifacts")
        let directory = (root as NSString).appendingPathComponent("report-screenshots")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Every label inside its chart, no two labels of a chart overlapping, nothing cut.
    private func assertReadable(_ measure: Measure, _ name: String) {
        XCTAssertEqual(measure.resources, [], "\(name): the page fetched nothing")
        XCTAssertFalse(measure.text.contains("…"), "\(name): no text cut with an ellipsis")
        XCTAssertEqual(measure.overflowing, [], "\(name): no text runs out of its cell")
        for chart in measure.charts {
            XCTAssertGreaterThan(chart.labels.count, 2, "\(name) \(chart.title): a chart has labels")
            for label in chart.labels {
                XCTAssertFalse(label.text.contains("…"), "\(name) \(chart.title): '\(label.text)' is cut")
                let inside = label.x >= chart.box.x - 0.5 && label.y >= chart.box.y - 0.5
                    && label.x + label.w <= chart.box.x + chart.box.w + 0.5 && label.y + label.h <= chart.box.y + chart.box.h + 0.5
                XCTAssertTrue(inside, "\(name) \(chart.title): '\(label.text)' \(label) lies outside its chart \(chart.box)")
            }
            for (i, a) in chart.labels.enumerated() {
                for b in chart.labels[(i + 1)...] {
                    let overlapX = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
                    let overlapY = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
                    XCTAssertFalse(overlapX > 0.5 && overlapY > 0.5, "\(name) \(chart.title): '\(a.text)' and '\(b.text)' overlap")
                }
            }
        }
    }

    func testAPassingRunReadsWell() throws {
        let (measure, report) = try assertRun("example-pass", verdict: "Ready to merge", shows: ["Worst slice for roc_auc: region=", "Trend on main", "The last 6 runs of main"])
        let titles = measure.charts.map(\.title)
        XCTAssertTrue(titles.contains("ROC curves") && titles.contains("Gated metrics over the last runs of main"), "\(titles)")
        let drifted = report.drift?.features.filter { $0.drifted && $0.distribution != nil }.map(\.name) ?? []
        XCTAssertFalse(drifted.isEmpty)
        for feature in drifted { XCTAssertTrue(titles.contains("\(feature): reference vs current"), "\(feature) has its chart: \(titles)") }
        XCTAssertFalse(measure.text.contains("❌"), "a green run shows no failure mark")
    }

    func testAFailingRunNamesTheGateAndTheWorstSlice() throws {
        try assertRun("example-fail", verdict: "Do not merge", shows: ["gate roc_auc >= 0.75 failed", "Worst slice for roc_auc: region=south"])
    }

    func testABrokenRunShowsTheStageAndItsLog() throws {
        try assertRun("example-broken", verdict: "No verdict", shows: ["stage train broke", "MemoryError: cannot allocate"])
    }

    /// Long names wrap instead of being cut, and long-tailed numbers get people's labels.
    func testLongNamesAndLongTailsStayInsideTheirCharts() throws {
        let chromium = try Chromium.find()
        let edges = [0.0, 12_000, 18_500, 23_000, 27_250, 31_000, 36_000, 42_000, 51_000, 68_000, 2_400_000]
        let histogram = FeatureDrift(name: "annual_household_income_reported_by_the_customer_at_signup", kind: "numeric", method: .measured(.wasserstein),
                                     statistic: 0.4, pValue: nil, threshold: 0.1, drifted: true, missingRateReference: 0, missingRateCurrent: 0,
                                     distribution: Distribution(bins: Array(repeating: "", count: 10), reference: Array(repeating: 0.1, count: 10),
                                                                current: [0.02, 0.03, 0.05, 0.05, 0.1, 0.1, 0.1, 0.15, 0.15, 0.25], edges: edges, binning: .referenceDeciles))
        let categories = FeatureDrift(name: "plan", kind: "categorical", method: .measured(.chisquare), statistic: 40, pValue: 0.0001, threshold: 0.05, drifted: true,
                                      missingRateReference: 0, missingRateCurrent: 0,
                                      distribution: Distribution(bins: ["a very long plan name that someone typed in full", "basic", "pro"], reference: [0.2, 0.5, 0.3], current: [0.6, 0.2, 0.2]))
        var report = RunReport(runId: "r", createdAt: "t", sluiceVersion: "test")
        report.drift = DriftSummary(reference: "reference.csv", current: "current.csv", datasetDrift: true, driftShareThreshold: 0.5, driftedFeatures: 2, totalFeatures: 2,
                                    fromSketches: false, features: [histogram, categories])
        let temp = try TemporaryDirectory()
        let measure = try measure(HTMLReport.render(report), in: temp, chromium: chromium, width: 800)
        assertReadable(measure, "long")
        let labels = measure.charts.flatMap(\.labels).map(\.text)
        XCTAssertTrue(labels.contains("2.4M") && labels.contains("12k"), "SI suffixes on the axis: \(labels)")
        XCTAssertTrue(labels.contains("a very long plan name that someone typed in full"), "category names whole: \(labels)")
        XCTAssertTrue(labels.contains("bins: the reference's deciles (a tenth of its rows each)"), "the binning is stated")
        try chromium.screenshot(try temp.write("long-plain.html", HTMLReport.render(report)), to: try Self.screenshotDirectory() + "/long-names.png", width: 800, height: 900)
    }
}
