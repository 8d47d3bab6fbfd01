import Core
@testable import Gates
import ReportModel
import TestSupport
import XCTest

private func evaluation(champion: Bool) -> EvaluationSummary {
    let auc = champion
        ? MetricComparison(name: "roc_auc", higherIsBetter: true, candidate: 0.80, champion: 0.82, delta: -0.02, ciLow: -0.035, ciHigh: -0.004, verdict: .worse)
        : MetricComparison(name: "roc_auc", higherIsBetter: true, candidate: 0.80, verdict: .notApplicable)
    let loss = champion
        ? MetricComparison(name: "log_loss", higherIsBetter: false, candidate: 0.40, champion: 0.41, delta: -0.01, ciLow: -0.03, ciHigh: 0.01, verdict: .noSignificantDifference)
        : MetricComparison(name: "log_loss", higherIsBetter: false, candidate: 0.40, verdict: .notApplicable)
    return EvaluationSummary(task: "binary", holdout: "holdout.csv", rowCount: 100, championAvailable: champion, metrics: [auc, loss], slices: [
        SliceMetrics(column: "region", value: "north", rowCount: 60, metrics: ["roc_auc": 0.85]),
        SliceMetrics(column: "region", value: "south", rowCount: 35, metrics: ["roc_auc": 0.68]),
        SliceMetrics(column: "region", value: "west", rowCount: 5, metrics: ["roc_auc": 0.40]),
    ])
}

final class GateEvaluatorTests: XCTestCase {
    func testEachKindWithTheDecidingValues() throws {
        let specs = [
            GateSpec(metric: "roc_auc", min: 0.75),
            GateSpec(metric: "log_loss", max: 0.35),
            GateSpec(metric: "roc_auc", maxDrop: 0.005),
            GateSpec(metric: "log_loss", maxDrop: 0.02),
            GateSpec(metric: "roc_auc", notSignificantlyWorse: true),
            GateSpec(metric: "log_loss", significantlyBetter: true),
            GateSpec(metric: "roc_auc", min: 0.7, slice: "region", minRows: 10),
            GateSpec(name: "unit tests", tests: "unit"),
        ]
        let tests = [TestCaseResult(suite: "unit", name: "a", status: .passed), TestCaseResult(suite: "unit", name: "b", status: .failed, message: "x")]
        let results = try GateEvaluator.apply(specs, evaluation: evaluation(champion: true), tests: tests)
        XCTAssertEqual(results.map(\.status), [.passed, .failed, .failed, .passed, .failed, .failed, .failed, .failed])
        XCTAssertEqual(results.map(\.detail), [
            "roc_auc = 0.8000 >= 0.75",
            "log_loss = 0.4000 > 0.35",
            "roc_auc = 0.8000 vs champion 0.8200: delta -0.0200, drop 0.0200 > 0.005",
            "log_loss = 0.4000 vs champion 0.4100: delta -0.0100, drop 0.0000 <= 0.02",
            "roc_auc delta -0.0200, interval [-0.0350, -0.0040]: worse",
            "log_loss delta -0.0100, interval [-0.0300, +0.0100]: no significant difference",
            "1 of 2 region slices miss >= 0.7: region=south: 0.6800",
            "1 of 2 tests failed: unit/b",
        ])
        XCTAssertEqual(results[6].observed, 0.68)
        XCTAssertEqual(results[2].observed, -0.02)
        XCTAssertEqual(results[2].threshold, -0.005)
        XCTAssertEqual(results.map(\.kind), [.absolute, .absolute, .relative, .relative, .significance, .significance, .slice, .test] as [GateResult.Kind])
    }

    func testComparisonsWithoutChampionAreNotApplicable() throws {
        let results = try GateEvaluator.apply([GateSpec(metric: "roc_auc", min: 0.7, maxDrop: 0.01, notSignificantlyWorse: true), GateSpec(tests: "all")], evaluation: evaluation(champion: false), tests: [])
        XCTAssertEqual(results.map(\.status), [.passed, .notApplicable, .notApplicable, .notApplicable])
        XCTAssertEqual(results[1].detail, "no champion yet (first run)")
        XCTAssertTrue(GateReport(gates: results, tests: []).passed)
    }

    func testConfigurationMistakesAreUsageErrors() {
        XCTAssertThrowsError(try GateEvaluator.apply([GateSpec(metric: "roc_aux", min: 0.7)], evaluation: evaluation(champion: false), tests: [])) { error in
            XCTAssertEqual("\(error)", "gates[0]: metric 'roc_aux' is not in this binary evaluation; did you mean 'roc_auc'?")
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
        }
        XCTAssertThrowsError(try GateEvaluator.apply([GateSpec(metric: "roc_auc", min: 0.7, slice: "segment")], evaluation: evaluation(champion: false), tests: [])) { error in
            XCTAssertEqual("\(error)", "gates[0]: slice column 'segment' was not evaluated (add it to evaluate.slice_by or --slice-by)")
        }
        XCTAssertThrowsError(try GateEvaluator.apply([GateSpec(metric: "roc_auc")], evaluation: evaluation(champion: false), tests: []))
    }

    func testJUnitHasOneCasePerGateAndTest() throws {
        let report = GateReport(gates: [GateResult(name: "f1 >= 0.8", kind: .absolute, status: .failed, detail: "f1 = 0.7 < 0.8"), GateResult(name: "drop", kind: .relative, status: .notApplicable, detail: "no champion yet (first run)")],
                                tests: [TestCaseResult(suite: "unit", name: "t1", status: .passed, durationSeconds: 0.5)])
        XCTAssertFalse(report.passed)
        let xml = report.junit.xml
        XCTAssertTrue(xml.contains("<testsuites name=\"sluice gate\" tests=\"3\" failures=\"1\" errors=\"0\">"), xml)
        XCTAssertTrue(xml.contains("<testcase classname=\"sluice.gates\" name=\"f1 &gt;= 0.8\">\n      <failure message=\"f1 = 0.7 &lt; 0.8\">"), xml)
        XCTAssertTrue(xml.contains("<skipped message=\"no champion yet (first run)\"/>"), xml)
        XCTAssertTrue(xml.contains("<testcase classname=\"sluice.tests.unit\" name=\"t1\" time=\"0.500\">"), xml)
    }
}
