import Pipeline
import ReportModel
import XCTest

final class PathGlobTests: XCTestCase {
    func testSegmentsWildcardsAndDirectories() {
        XCTAssertTrue(PathGlob("train/**").matches("train/model/fit.py"))
        XCTAssertTrue(PathGlob("train/").matches("train/fit.py"))
        XCTAssertTrue(PathGlob("train").matches("train/fit.py"), "a plain directory name covers what is below it")
        XCTAssertTrue(PathGlob("params.yaml").matches("params.yaml"))
        XCTAssertFalse(PathGlob("params.yaml").matches("other/params.yaml"))
        XCTAssertTrue(PathGlob("**/params.yaml").matches("other/params.yaml"))
        XCTAssertTrue(PathGlob("**/params.yaml").matches("params.yaml"))
        XCTAssertTrue(PathGlob("src/*.py").matches("src/a.py"))
        XCTAssertFalse(PathGlob("src/*.py").matches("src/deep/a.py"), "* stays within one segment")
        XCTAssertFalse(PathGlob("src/*.py").matches("src/a.pyc"))
        XCTAssertTrue(PathGlob("data/v?.csv").matches("data/v2.csv"))
        XCTAssertTrue(PathGlob("./data/**/*.csv").matches("data/a/b/c.csv"))
        XCTAssertFalse(PathGlob("data/**/*.csv").matches("docs/data.csv"))
    }
}

final class TriggerTests: XCTestCase {
    private func drift(_ drifted: [String], of total: Int, dataset: Bool) -> DriftSummary {
        let features = (0..<total).map { index -> FeatureDrift in
            let name = index < drifted.count ? drifted[index] : "f\(index)"
            return FeatureDrift(name: name, kind: "numeric", method: .measured(.wasserstein), statistic: 0.2, pValue: nil, threshold: 0.1, drifted: index < drifted.count, missingRateReference: 0, missingRateCurrent: 0)
        }
        return DriftSummary(reference: "r", current: "c", datasetDrift: dataset, driftShareThreshold: 0.5, driftedFeatures: drifted.count, totalFeatures: total, fromSketches: false, features: features)
    }

    private func result(_ results: [TriggerResult], _ kind: TriggerKind) -> TriggerResult {
        results.first { $0.name == kind.rawValue }!
    }

    func testDatasetDriftFiresWithTheDriftedFeaturesAsEvidence() {
        let evaluator = TriggerEvaluator(settings: TriggerSettings(), active: [.drift])
        let results = evaluator.evaluate(TriggerInputs(mode: .nightly, drift: drift(["income", "region"], of: 3, dataset: true)))
        XCTAssertTrue(result(results, .drift).fired)
        XCTAssertTrue(result(results, .drift).evidence.contains("income, region"), result(results, .drift).evidence)
    }

    func testWatchedFeatureFiresWithoutDatasetDrift() {
        let settings = TriggerSettings(drift: .init(enabled: true, features: ["income"]))
        let results = TriggerEvaluator(settings: settings, active: [.drift]).evaluate(TriggerInputs(mode: .nightly, drift: drift(["income"], of: 5, dataset: false)))
        XCTAssertTrue(result(results, .drift).fired)
        let unwatched = TriggerEvaluator(settings: TriggerSettings(), active: [.drift]).evaluate(TriggerInputs(mode: .nightly, drift: drift(["income"], of: 5, dataset: false)))
        XCTAssertFalse(result(unwatched, .drift).fired)
    }

    func testAccuracyDecayAgainstFloorAndAgainstTrainingRun() {
        let settings = TriggerSettings(accuracyDecay: .init(metric: "roc_auc", floor: 0.7, maxDrop: 0.03))
        let evaluator = TriggerEvaluator(settings: settings, active: [.accuracyDecay])
        let belowFloor = evaluator.evaluate(TriggerInputs(mode: .nightly, championFresh: ["roc_auc": 0.65]))
        XCTAssertTrue(result(belowFloor, .accuracyDecay).fired)
        let dropped = evaluator.evaluate(TriggerInputs(mode: .nightly, championFresh: ["roc_auc": 0.76], championAtTraining: ["roc_auc": 0.80]))
        XCTAssertTrue(result(dropped, .accuracyDecay).fired)
        XCTAssertTrue(result(dropped, .accuracyDecay).evidence.contains("dropped 0.04"), result(dropped, .accuracyDecay).evidence)
        let healthy = evaluator.evaluate(TriggerInputs(mode: .nightly, championFresh: ["roc_auc": 0.79], championAtTraining: ["roc_auc": 0.80]))
        XCTAssertFalse(result(healthy, .accuracyDecay).fired)
        let noChampion = evaluator.evaluate(TriggerInputs(mode: .nightly))
        XCTAssertFalse(result(noChampion, .accuracyDecay).fired)
    }

    func testChangedPathsAndModeGating() {
        let settings = TriggerSettings(changedPaths: ["train/", "params.yaml"])
        let evaluator = TriggerEvaluator(settings: settings, active: [.changedPaths, .force])
        let hit = evaluator.evaluate(TriggerInputs(mode: .mr, changedPaths: ["README.md", "train/fit.py"]))
        XCTAssertTrue(result(hit, .changedPaths).fired)
        XCTAssertEqual(result(hit, .changedPaths).evidence, "changed: train/fit.py")
        let miss = evaluator.evaluate(TriggerInputs(mode: .mr, changedPaths: ["README.md"]))
        XCTAssertFalse(result(miss, .changedPaths).fired)
        // Drift would fire, but it is not an active trigger in this mode.
        let inactive = evaluator.evaluate(TriggerInputs(mode: .mr, drift: drift(["a"], of: 1, dataset: true)))
        XCTAssertFalse(result(inactive, .drift).fired)
        XCTAssertTrue(result(inactive, .drift).evidence.contains("not a trigger in mr pipelines"))
    }

    func testMissingChampionFiresSoTheFirstBaselineGetsTrained() {
        let evaluator = TriggerEvaluator(settings: TriggerSettings(), active: ModePolicy.nightlyDefault.triggers)
        XCTAssertTrue(result(evaluator.evaluate(TriggerInputs(mode: .nightly, championExists: false)), .noChampion).fired)
        XCTAssertFalse(result(evaluator.evaluate(TriggerInputs(mode: .nightly, championExists: true)), .noChampion).fired)
    }

    func testScheduleAlwaysFiresOnlyOnNightly() {
        let evaluator = TriggerEvaluator(settings: TriggerSettings(schedule: .always), active: Set(TriggerKind.allCases))
        XCTAssertTrue(result(evaluator.evaluate(TriggerInputs(mode: .nightly)), .schedule).fired)
        XCTAssertFalse(result(evaluator.evaluate(TriggerInputs(mode: .mr)), .schedule).fired)
        XCTAssertTrue(result(evaluator.evaluate(TriggerInputs(mode: .mr, forced: true)), .force).fired)
    }
}
