import Foundation
import TestSupport
import XCTest

/// The data hygiene gates in `sluice run` and `sluice gate`: a label leaked into a feature,
/// and holdout rows copied from the training data, each fail their gate (exit 1) with the
/// evidence in run.json and the comment.
final class HygieneEndToEndTests: XCTestCase {
    private func workspaceWithHygieneGates() throws -> RunWorkspace {
        let workspace = try RunWorkspace()
        try workspace.edit("  - tests: all", "  - tests: all\n  - check: leakage\n  - check: holdout_overlap")
        return workspace
    }

    /// Adds `churned_flag`, a copy of the label, to every data file and to the schema.
    private func leakLabel(_ workspace: RunWorkspace) throws {
        for name in ["reference.csv", "current.csv", "holdout.csv"] {
            let lines = try String(contentsOfFile: workspace.temp.file(name), encoding: .utf8).split(separator: "\n")
            let leaked = lines.enumerated().map { index, line in line + "," + (index == 0 ? "churned_flag" : line.split(separator: ",").last!) }
            try (leaked.joined(separator: "\n") + "\n").write(toFile: workspace.temp.file(name), atomically: true, encoding: .utf8)
        }
        let schemaPath = workspace.temp.file("schema.json")
        var schema = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: schemaPath))) as? [String: Any])
        schema["fields"] = (schema["fields"] as? [Any] ?? []) + [["name": "churned_flag", "type": "integer"]]
        try JSONSerialization.data(withJSONObject: schema).write(to: URL(fileURLWithPath: schemaPath))
    }

    func testALeakedLabelFailsItsGate() throws {
        let workspace = try workspaceWithHygieneGates()
        try leakLabel(workspace)
        XCTAssertEqual(try SluiceBinary.run(["config", "check"], in: workspace.path).status, 0, "check gates are valid configuration")
        let result = try workspace.run(["--force"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let report = try workspace.report()
        XCTAssertEqual(report.object("outcome").string("failedStage"), "gates")
        let leakage = report.object("hygiene").objects("leakage")
        XCTAssertEqual(leakage.map { $0.string("column") }, ["churned_flag"])
        XCTAssertEqual(leakage.first?.string("kind"), "identical")
        let gate = report.objects("gates").first { $0.string("kind") == "leakage" }
        XCTAssertEqual(gate?.string("status"), "failed")
        XCTAssertEqual(gate?.string("detail"), "'churned_flag' equal to 'label' in all 6995 rows")
        let comment = try workspace.latest("report.md")
        XCTAssertTrue(comment.contains("#### Data hygiene: ⚠️ 1 feature leaks 'label'"), comment)
        XCTAssertTrue(comment.contains("- ⚠️ leak **churned\\_flag**: identical: equal to 'label' in all 6995 rows"), comment)
        XCTAssertTrue(try workspace.latest("report.html").contains("<h2>Data hygiene: 1 feature leaks &#39;label&#39;"), "the HTML report shows it too")

        // `sluice gate` alone, on the same sluice.yml, finds the same leak (on train.data).
        let evaluation = workspace.temp.file("evaluation.json")
        try JSONSerialization.data(withJSONObject: report.object("evaluation")).write(to: URL(fileURLWithPath: evaluation))
        let gate2 = try SluiceBinary.run(["gate", "--evaluation", evaluation, "--format", "json"], in: workspace.path)
        XCTAssertEqual(gate2.status, 1, gate2.stderr)
        XCTAssertTrue(gate2.stdout.contains("'churned_flag' equal to 'label' in all 4000 rows"), gate2.stdout)
    }

    func testHoldoutRowsCopiedFromTheTrainingDataFailTheOverlapGate() throws {
        let workspace = try workspaceWithHygieneGates()
        // Five reference rows copied into the holdout under new customer ids.
        let reference = try String(contentsOfFile: workspace.temp.file("reference.csv"), encoding: .utf8).split(separator: "\n")
        let copies = (1...5).map { "C9\(String(format: "%05d", $0))" + reference[$0 * 100].drop { $0 != "," } }
        let holdout = workspace.temp.file("holdout.csv")
        try (try String(contentsOfFile: holdout, encoding: .utf8) + copies.joined(separator: "\n") + "\n").write(toFile: holdout, atomically: true, encoding: .utf8)
        let result = try workspace.run(["--force"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let report = try workspace.report()
        let overlap = report.object("hygiene").object("holdoutOverlap")
        XCTAssertEqual(overlap["overlappingRows"] as? Int, 5)
        XCTAssertEqual(overlap["holdoutRows"] as? Int, 1005)
        XCTAssertFalse((overlap["columns"] as? [String] ?? []).contains("customer_id"), "the id column is not compared")
        let gates = report.objects("gates")
        XCTAssertEqual(gates.first { $0.string("kind") == "leakage" }?.string("status"), "passed", "the example leaks nothing")
        let gate = gates.first { $0.string("kind") == "holdout_overlap" }
        XCTAssertEqual(gate?.string("status"), "failed")
        XCTAssertTrue(gate?.string("detail")?.hasPrefix("5 of 1005 holdout rows (0.50%) are training rows, e.g. holdout.csv line 1002 = ") ?? false, "\(gate ?? [:])")
    }
}
