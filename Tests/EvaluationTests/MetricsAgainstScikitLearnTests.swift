@testable import Evaluation
import ReportModel
import TestSupport
import XCTest

// Expected values: scikit-learn 1.9.1 (numpy 2.4.6) on Tests/Fixtures/evaluation/*, which
// Tests/Fixtures/evaluation/make_fixtures.py generated (numpy seed 7) and scored; it printed
// the values pasted here. Scores are thresholded at 0.5. The tests never run Python.

private let binaryCandidate: [String: Double] = [
    "accuracy": 0.89, "balanced_accuracy": 0.8916171410697529, "precision": 0.9210526315789473,
    "recall": 0.8695652173913043, "f1": 0.8945686900958466, "precision_macro": 0.8895803698435277,
    "recall_macro": 0.8916171410697529, "f1_macro": 0.889793055849317, "precision_weighted": 0.8918883357041252,
    "recall_weighted": 0.89, "f1_weighted": 0.8901432690273958, "roc_auc": 0.9521426337191117,
    "pr_auc": 0.9542408637289359, "log_loss": 0.3556395600227053, "brier": 0.10849566666666666,
]
private let binaryChampion: [String: Double] = [
    "accuracy": 0.79, "balanced_accuracy": 0.7896018588855623, "precision": 0.810126582278481,
    "recall": 0.7950310559006211, "f1": 0.8025078369905956, "precision_macro": 0.7888661080406489,
    "recall_macro": 0.7896018588855623, "f1_macro": 0.7891542743671839, "precision_weighted": 0.7904252094847566,
    "recall_weighted": 0.79, "f1_weighted": 0.790133535626234, "roc_auc": 0.8572992537646902,
    "pr_auc": 0.8661547849317198, "log_loss": 0.48050442073836186, "brier": 0.15760566666666667,
]
private let eastSlice: [String: Double] = [
    "accuracy": 0.8584905660377359, "balanced_accuracy": 0.8642264695275874, "precision": 0.9230769230769231,
    "recall": 0.8135593220338984, "f1": 0.8648648648648649, "f1_macro": 0.8581750066898581,
    "f1_weighted": 0.8589323491247647, "roc_auc": 0.9444644789037145, "pr_auc": 0.9555217994606059,
    "log_loss": 0.3876091940526329, "brier": 0.1196433962264151,
]
private let southSlice: [String: Double] = [
    "accuracy": 0.8876404494382022, "f1_macro": 0.8864795918367347, "roc_auc": 0.9441326530612244,
    "pr_auc": 0.9457872605486343, "log_loss": 0.34292210649244903,
]
private let multiclass: [String: Double] = [
    "accuracy": 0.7133333333333334, "balanced_accuracy": 0.7097680861760961, "precision_macro": 0.7108350586611456,
    "recall_macro": 0.7097680861760961, "f1_macro": 0.7096955215234785, "precision_weighted": 0.7137008281573499,
    "recall_weighted": 0.7133333333333334, "f1_weighted": 0.7128938126787588, "log_loss": 0.6979863631081082,
    // roc_auc_score(multi_class="ovr", average="macro")
    "roc_auc": 0.8668091457622783,
]
private let regression: [String: Double] = [
    "mae": 3.762985, "rmse": 4.739790762786897, "r2": 0.898986946752502, "mape": 0.08824266495668716,
]

private func assertClose(_ actual: [String: Double], _ expected: [String: Double], _ what: String, line: UInt = #line) {
    for (name, value) in expected {
        guard let got = actual[name] else { XCTFail("\(what): no \(name)", line: line); continue }
        XCTAssertEqual(got, value, accuracy: 1e-9, "\(what): \(name)", line: line)
    }
}

private func fixture(_ name: String) -> String { Fixtures.path("evaluation/\(name)") }

final class MetricsAgainstScikitLearnTests: XCTestCase {
    func testBinaryCandidateChampionAndSlicesByIdJoin() throws {
        var options = EvaluationOptions(task: .binary)
        options.idColumn = "id"
        options.sliceBy = ["region"]
        options.bootstrap = 200
        options.seed = 42
        let summary = try Evaluator.evaluate(candidate: fixture("binary-candidate.csv"), champion: fixture("binary-champion.csv"), labels: fixture("binary-labels.csv"), options: options)
        XCTAssertEqual(summary.rowCount, 300)
        XCTAssertTrue(summary.championAvailable)
        assertClose(Dictionary(uniqueKeysWithValues: summary.metrics.map { ($0.name, $0.candidate) }), binaryCandidate, "candidate")
        assertClose(Dictionary(uniqueKeysWithValues: summary.metrics.compactMap { m in m.champion.map { (m.name, $0) } }), binaryChampion, "champion")
        XCTAssertEqual(summary.confusionMatrix, ConfusionMatrix(labels: ["0", "1"], counts: [[127, 12], [21, 140]]))
        XCTAssertEqual(summary.slices.map(\.value), ["east", "north", "south"])
        XCTAssertEqual(summary.slices.map(\.rowCount), [106, 105, 89])
        assertClose(summary.slices[0].metrics, eastSlice, "east")
        assertClose(summary.slices[2].metrics, southSlice, "south")
        // The candidate is much better: the interval of the delta lies above zero.
        let auc = try XCTUnwrap(summary.metrics.first { $0.name == "roc_auc" })
        XCTAssertEqual(auc.verdict, .better)
        XCTAssertLessThan(try XCTUnwrap(auc.ciLow), try XCTUnwrap(auc.delta))
        XCTAssertGreaterThan(try XCTUnwrap(auc.ciLow), 0)
        let logLoss = try XCTUnwrap(summary.metrics.first { $0.name == "log_loss" })
        XCTAssertFalse(logLoss.higherIsBetter)
        XCTAssertEqual(logLoss.verdict, .better)
        let curve = try XCTUnwrap(summary.rocCurves?["candidate"])
        XCTAssertEqual(curve.first, CurvePoint(x: 0, y: 0))
        XCTAssertEqual(curve.last, CurvePoint(x: 1, y: 1))
        XCTAssertNotNil(summary.rocCurves?["champion"])
    }

    func testMulticlassFromPredictionsAndProbabilities() throws {
        let summary = try Evaluator.evaluate(candidate: fixture("multiclass-predictions.csv"), champion: nil, labels: fixture("multiclass-labels.csv"), options: EvaluationOptions(task: .multiclass))
        assertClose(Dictionary(uniqueKeysWithValues: summary.metrics.map { ($0.name, $0.candidate) }), multiclass, "multiclass")
        XCTAssertEqual(summary.confusionMatrix, ConfusionMatrix(labels: ["cat", "dog", "fox"], counts: [[41, 2, 9], [4, 38, 9], [11, 8, 28]]))
        XCTAssertTrue(summary.metrics.allSatisfy { $0.verdict == .notApplicable && $0.champion == nil })
    }

    func testRegression() throws {
        let summary = try Evaluator.evaluate(candidate: fixture("regression-predictions.csv"), champion: nil, labels: fixture("regression-labels.csv"), options: EvaluationOptions(task: .regression))
        assertClose(Dictionary(uniqueKeysWithValues: summary.metrics.map { ($0.name, $0.candidate) }), regression, "regression")
        XCTAssertNil(summary.confusionMatrix)
    }

    func testBootstrapIsSeededAndPaired() throws {
        var options = EvaluationOptions(task: .binary)
        options.idColumn = "id"
        options.bootstrap = 100
        let run = { try Evaluator.evaluate(candidate: fixture("binary-candidate.csv"), champion: fixture("binary-champion.csv"), labels: fixture("binary-labels.csv"), options: options) }
        let first = try run(), second = try run()
        XCTAssertEqual(first.metrics, second.metrics)
        options.seed = 9
        XCTAssertNotEqual(try run().metrics.map(\.ciLow), first.metrics.map(\.ciLow))
        // The same predictions as champion: every delta and interval is exactly zero.
        let same = try Evaluator.evaluate(candidate: fixture("binary-candidate.csv"), champion: fixture("binary-candidate.csv"), labels: fixture("binary-labels.csv"), options: options)
        XCTAssertTrue(same.metrics.allSatisfy { $0.delta == 0 && $0.ciLow == 0 && $0.ciHigh == 0 && $0.verdict == .noSignificantDifference })
    }

    func testWeightsEqualRepeatedRows() {
        // A resample weight of 2 must score exactly like the row written twice.
        let suite = BinaryMetrics(classes: ["0", "1"], truth: [true, false, true, false, true], predicted: [true, false, false, true, true], scores: [0.9, 0.2, 0.4, 0.6, 0.4])
        let repeated = BinaryMetrics(classes: ["0", "1"], truth: [true, false, true, true, false, true], predicted: [true, false, false, false, true, true], scores: [0.9, 0.2, 0.4, 0.4, 0.6, 0.4])
        let weighted = Dictionary(uniqueKeysWithValues: suite.metrics([1, 1, 2, 1, 1]).map { ($0.name, $0.value) })
        assertClose(weighted, Dictionary(uniqueKeysWithValues: repeated.metrics(nil).map { ($0.name, $0.value) }), "weighted")
    }

    func testSingleClassHoldoutLeavesOutRankingMetrics() throws {
        // Issue 15: an all-positive holdout gave pr_auc 0.999999999999999 (scikit-learn 1.9.1
        // returns 1.0 with a warning); neither ranking metric says anything with one class.
        let directory = try TemporaryDirectory()
        let scores = try directory.write("p.csv", "score\n0.9\n0.8\n0.3\n0.6\n0.55\n0.1\n0.7\n")
        for label in ["1", "0"] {
            let labels = try directory.write("l.csv", "label\n" + String(repeating: label + "\n", count: 7))
            let summary = try Evaluator.evaluate(candidate: scores, champion: nil, labels: labels, options: EvaluationOptions(task: .binary))
            let names = Set(summary.metrics.map(\.name))
            XCTAssertFalse(names.contains("pr_auc"), "all \(label)")
            XCTAssertFalse(names.contains("roc_auc"), "all \(label)")
            XCTAssertTrue(names.contains("accuracy") && names.contains("log_loss"), "all \(label)")
        }
    }

    func testPercentileMatchesNumpyLinear() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) == [1.075, 3.925]
        XCTAssertEqual(PairedBootstrap.percentile([1, 2, 3, 4], 0.025), 1.075, accuracy: 1e-12)
        XCTAssertEqual(PairedBootstrap.percentile([1, 2, 3, 4], 0.975), 3.925, accuracy: 1e-12)
    }

    func testHardLabelsOnlyAndProbabilitiesOnly() throws {
        let directory = try TemporaryDirectory()
        // Binary from labels: threshold metrics only. scikit-learn 1.9.1 on y=[1,0,1,1,0],
        // p=[1,0,0,1,1]: accuracy 0.6, precision 2/3, recall 2/3, f1 2/3, balanced 7/12.
        let labels = try directory.write("l.csv", "label\n1\n0\n1\n1\n0\n")
        let summary = try Evaluator.evaluate(candidate: try directory.write("p.csv", "prediction\n1\n0\n0\n1\n1\n"), champion: nil, labels: labels, options: EvaluationOptions(task: .binary))
        let values = Dictionary(uniqueKeysWithValues: summary.metrics.map { ($0.name, $0.candidate) })
        assertClose(values, ["accuracy": 0.6, "precision": 2.0 / 3, "recall": 2.0 / 3, "f1": 2.0 / 3, "balanced_accuracy": 7.0 / 12], "labels only")
        XCTAssertNil(values["roc_auc"])
        XCTAssertNil(summary.rocCurves)
        // Multiclass without a prediction column: the most probable class.
        let multi = try Evaluator.evaluate(candidate: try directory.write("m.csv", "proba_a,proba_b\n0.9,0.1\n0.2,0.8\n0.6,0.4\n"), champion: nil, labels: try directory.write("ml.csv", "label\na\nb\nb\n"), options: EvaluationOptions(task: .multiclass))
        XCTAssertEqual(multi.confusionMatrix, ConfusionMatrix(labels: ["a", "b"], counts: [[1, 0], [1, 1]]))
    }
}
