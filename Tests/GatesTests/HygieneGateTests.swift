import Core
@testable import Gates
import ReportModel
import XCTest

final class HygieneGateTests: XCTestCase {
    private let leaky = HygieneSummary(
        trainingData: "data/train.csv", holdoutData: "data/holdout.csv", label: "survived", columnsChecked: 14,
        leakage: [LeakageFinding(column: "alive", kind: .determines, rows: 891, evidence: "each of its 2 values goes with one 'survived' value in all 891 rows: 'no' → '0', 'yes' → '1'")],
        holdoutOverlap: HoldoutOverlap(columns: ["a", "survived"], holdoutRows: 200, trainingRows: 891, overlappingRows: 3, examples: [.init(holdoutLine: 22, trainingLine: 2)]))

    func testLeakageAndOverlapFailWithTheirEvidence() throws {
        let results = try GateEvaluator.apply([GateSpec(check: .leakage), GateSpec(check: .holdoutOverlap)], evaluation: nil, tests: [], hygiene: leaky)
        XCTAssertEqual(results.map(\.status), [.failed, .failed])
        XCTAssertEqual(results[0].name, "no feature leaks the label")
        XCTAssertEqual(results[0].kind, .leakage)
        XCTAssertEqual(results[0].detail, "'alive' each of its 2 values goes with one 'survived' value in all 891 rows: 'no' → '0', 'yes' → '1'")
        XCTAssertEqual(results[1].detail, "3 of 200 holdout rows (1.50%) are training rows, e.g. data/holdout.csv line 22 = data/train.csv line 2")
        XCTAssertEqual(results[1].observed, 0.015)

        // A tolerated fraction, and clean data.
        let tolerant = try GateEvaluator.apply([GateSpec(max: 0.02, check: .holdoutOverlap)], evaluation: nil, tests: [], hygiene: leaky)
        XCTAssertEqual(tolerant.first?.status, .passed)
        var clean = leaky
        clean.leakage = []
        clean.holdoutOverlap?.overlappingRows = 0
        let passed = try GateEvaluator.apply([GateSpec(check: .leakage), GateSpec(check: .holdoutOverlap)], evaluation: nil, tests: [], hygiene: clean)
        XCTAssertEqual(passed.map(\.status), [.passed, .passed])
        XCTAssertEqual(passed[0].detail, "none of 14 features gives 'survived' away on data/train.csv")
        clean.holdoutOverlap = nil
        XCTAssertEqual(try GateEvaluator.apply([GateSpec(check: .holdoutOverlap)], evaluation: nil, tests: [], hygiene: clean).first?.status, .notApplicable)
    }

    func testMisconfiguredChecksAreUsageErrors() {
        for (spec, message) in [
            (GateSpec(metric: "f1", check: .leakage), "gates[0]: a check gate takes no metric or tests"),
            (GateSpec(max: 1, check: .leakage), "gates[0]: a leakage check takes no min or max"),
            (GateSpec(max: 5, check: .holdoutOverlap), "gates[0]: max of a holdout_overlap check is a fraction from 0 to 1 (got 5.0)"),
        ] {
            XCTAssertThrowsError(try GateEvaluator.apply([spec], evaluation: nil, tests: [], hygiene: leaky)) { error in
                XCTAssertEqual("\(error)", message)
                XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
            }
        }
        XCTAssertThrowsError(try GateEvaluator.apply([GateSpec(check: .leakage)], evaluation: nil, tests: [], hygiene: nil)) { error in
            XCTAssertTrue("\(error)".contains("the leakage check needs the training data and the label"), "\(error)")
        }
    }
}
