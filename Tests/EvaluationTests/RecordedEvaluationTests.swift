import Core
@testable import Evaluation
import Foundation
import ReportModel
import TestSupport
import XCTest

// Tests/Fixtures/evaluation/recorded-binary-evaluation.json is what Sluice printed before
// the bootstrap counted draws in bytes and ranked through runs of tied scores (the release
// build of main at 03cbc6d):
//   sluice evaluate --task binary --labels binary-labels.csv --predictions binary-candidate.csv
//     --champion-predictions binary-champion.csv --id-column id --slice-by region
//     --bootstrap 200 --seed 42 --format json
// The metrics match scikit-learn (MetricsAgainstScikitLearnTests); the seeded intervals have
// no other reference, so this pins that the same seed still gives the same intervals.
final class RecordedEvaluationTests: XCTestCase {
    func testBinaryEvaluationAndBootstrapIntervalsAreUnchanged() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("evaluation/recorded-binary-evaluation.json")))
        let recorded = try JSONOutput.decoder().decode(EvaluationSummary.self, from: data)
        var options = EvaluationOptions(task: .binary)
        options.idColumn = "id"
        options.sliceBy = ["region"]
        options.bootstrap = 200
        options.seed = 42
        let summary = try Evaluator.evaluate(candidate: Fixtures.path("evaluation/binary-candidate.csv"), champion: Fixtures.path("evaluation/binary-champion.csv"), labels: Fixtures.path("evaluation/binary-labels.csv"), options: options)
        XCTAssertEqual(summary.metrics.map(\.name), recorded.metrics.map(\.name))
        for (got, want) in zip(summary.metrics, recorded.metrics) {
            XCTAssertEqual(got.candidate, want.candidate, accuracy: 1e-12, got.name)
            for (value, expected, what) in [(got.champion, want.champion, "champion"), (got.delta, want.delta, "delta"), (got.ciLow, want.ciLow, "ci_low"), (got.ciHigh, want.ciHigh, "ci_high")] {
                XCTAssertEqual(value!, try XCTUnwrap(expected), accuracy: 1e-12, "\(got.name) \(what)")
            }
            XCTAssertEqual(got.verdict, want.verdict, got.name)
        }
        XCTAssertEqual(summary.slices.map(\.value), recorded.slices.map(\.value))
        for (got, want) in zip(summary.slices, recorded.slices) {
            XCTAssertEqual(got.rowCount, want.rowCount)
            XCTAssertEqual(got.metrics.keys.sorted(), want.metrics.keys.sorted())
            for (name, value) in want.metrics { XCTAssertEqual(got.metrics[name]!, value, accuracy: 1e-12, "\(got.value) \(name)") }
        }
        XCTAssertEqual(summary.confusionMatrix, recorded.confusionMatrix)
        XCTAssertEqual(summary.rocCurves, recorded.rocCurves)
    }
}
