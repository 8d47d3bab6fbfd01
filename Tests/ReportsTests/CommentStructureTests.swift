import Foundation
import ReportModel
@testable import Reports
import TestSupport
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The Markdown comment as the forge reads it: Debian's cmark-gfm (GitHub's CommonMark
/// parser with the GFM extensions GitLab follows too) parses it to its XML tree, and the
/// structure is asserted there rather than in the text.
final class CommentStructureTests: XCTestCase {
    /// The statements of Mermaid's `xychart-beta` as of Mermaid 10.5, which GitLab's bundled
    /// 10.7 reads; nothing newer (no plain `xychart`, no per-series styling).
    static let mermaidStatements: Set<String> = ["xychart-beta", "title", "x-axis", "y-axis", "bar", "line"]

    private func parse(_ markdown: String) throws -> XMLElement {
        let cmark = "/usr/bin/cmark-gfm"
        guard FileManager.default.isExecutableFile(atPath: cmark) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("cmark-gfm is not installed: run ci/setup (ci/packages/reports.txt)") }
            throw XCTSkip("cmark-gfm is not installed (ci/packages/reports.txt)")
        }
        let result = try runProcess(cmark, ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "--to", "xml"], stdin: Data(markdown.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        // The tree without its DTD and default namespace, so plain XPath names match.
        let xml = result.stdout.replacingOccurrences(of: "<!DOCTYPE document SYSTEM \"CommonMark.dtd\">", with: "")
            .replacingOccurrences(of: " xmlns=\"http://commonmark.org/xml/1.0\"", with: "")
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        return try XCTUnwrap(document.rootElement())
    }

    private func text(_ node: XMLNode) -> String { node.stringValue ?? "" }

    private func nodes(_ root: XMLElement, _ path: String) throws -> [XMLElement] {
        try root.nodes(forXPath: path).compactMap { $0 as? XMLElement }
    }

    func testAPassingCommentHasItsStructure() throws {
        let report = try ReportFile.read(Fixtures.path("reports/example-pass.json"))
        let markdown = try MarkdownReport.render(report)
        let root = try parse(markdown)
        let blocks = root.children?.compactMap { $0 as? XMLElement } ?? []
        let first = try XCTUnwrap(blocks.first)
        XCTAssertEqual(first.name, "heading")
        XCTAssertEqual(first.attribute(forName: "level")?.stringValue, "3")
        XCTAssertTrue(text(first).hasPrefix("✅ Ready to merge"), text(first))

        let tables = try nodes(root, "//table")
        let headers = try tables.map { try nodes($0, "table_header/table_cell").map(text) }
        let metrics = try XCTUnwrap(headers.first { $0.first == "metric" }, "\(headers)")
        XCTAssertEqual(metrics, ["metric", "champion", "candidate", "delta", "95% CI", ""])
        let trend = try XCTUnwrap(headers.first { $0.first == "metric" && $0.count == 5 }, "a trend table: \(headers)")
        XCTAssertEqual(trend, ["metric", "last 6 runs of main, then this run", "main (f00dfeed)", "this run", "change"])
        let slices = try XCTUnwrap(headers.first { $0.first == "column" && $0.count > 3 && $0[3].contains("(gated)") }, "a slices table with gated columns first: \(headers)")
        XCTAssertEqual(Array(slices.prefix(3)), ["column", "value", "rows"])
        // Every row of every table has the header's cell count: no stray pipe split a cell.
        for table in tables {
            let width = try nodes(table, "table_header/table_cell").count
            for row in try nodes(table, "table_row") {
                XCTAssertEqual(try nodes(row, "table_cell").count, width)
            }
        }
        let sliceTable = try XCTUnwrap(tables.first { (try? nodes($0, "table_header/table_cell").first.map(text)) == "column" })
        let worst = try nodes(sliceTable, "table_row/table_cell/strong")
        XCTAssertFalse(worst.isEmpty, "the worst slice's value is bold")

        let charts = try nodes(root, "//code_block[@info='mermaid']")
        XCTAssertGreaterThanOrEqual(charts.count, 2, "metrics and drift charts")
        for chart in charts {
            let statements = text(chart).split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            XCTAssertEqual(statements.first, "xychart-beta")
            XCTAssertTrue(Set(statements.dropFirst().filter { $0 != "horizontal" }).isSubset(of: Self.mermaidStatements), "\(statements)")
        }
        // After the trend table and its source line, a Mermaid line per gated metric, in the table's order.
        let trendTable = try XCTUnwrap(blocks.firstIndex { $0.name == "table" && (try? nodes($0, "table_header/table_cell").map(text)) == trend })
        XCTAssertEqual(blocks[trendTable + 1].name, "paragraph")
        let trendCharts = blocks[(trendTable + 2)...].prefix { $0.name == "code_block" }.map(text)
        XCTAssertEqual(trendCharts.map { $0.split(separator: "\n")[1] }, ["recall", "roc_auc", "log_loss"].map { "    title \"\($0) over the last runs of main and this run\"" })
        for chart in trendCharts {
            let series = try XCTUnwrap(chart.split(separator: "\n").first { $0.hasPrefix("    line [") })
            XCTAssertEqual(series.split(separator: ",").count, 7, "main's six runs and this run: \(series)")
        }
        let html = try nodes(root, "//html_block").map(text).joined()
        XCTAssertEqual(html.components(separatedBy: "<details>").count, html.components(separatedBy: "</details>").count, "every <details> closes")
        XCTAssertFalse(markdown.contains("❌"), "a green run shows no failure mark")
        XCTAssertFalse(markdown.contains("current.valid.csv") || markdown.contains("train.csv"), "no working copies named, only the user's files")
    }
}
