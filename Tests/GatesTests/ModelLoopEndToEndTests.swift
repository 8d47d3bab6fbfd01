import Foundation
import TestSupport
import XCTest

/// The example of templates/example run with the built binary, as a CI job would:
/// train, evaluate against the committed champion, gate.
final class ModelLoopEndToEndTests: XCTestCase {
    private func example() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let source = Fixtures.repo("templates/example")
        for name in ["reference.csv", "holdout.csv", "schema.json", "sluice.yml", "sluice-worse.yml", "champion/model.json"] {
            let target = directory.file(name)
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: (source as NSString).appendingPathComponent(name), toPath: target)
        }
        return directory
    }

    private func sluice(_ arguments: [String], in directory: TemporaryDirectory) throws -> ProcessResult {
        try SluiceBinary.run(arguments, in: directory.path)
    }

    func testExamplePassesItsGatesAndTheSecondRunIsCached() throws {
        let directory = try example()
        let train = try sluice(["train"], in: directory)
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.hasPrefix("trained: model at "), train.stdout)
        XCTAssertTrue(train.stderr.contains("train | built-in logistic-regression: 4000 rows"), train.stderr)

        let again = try sluice(["train"], in: directory)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.hasPrefix("cached, skipped: "), again.stdout)

        let evaluate = try sluice(["evaluate", "--model", ".sluice/model/model.json", "--output", ".sluice/evaluation.json"], in: directory)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.hasPrefix("binary evaluation on holdout.csv (1000 rows), champion: yes"), evaluate.stdout)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file(".sluice/evaluation.json")))) as! [String: Any]
        let metrics = summary["metrics"] as! [[String: Any]]
        let auc = metrics.first { $0["name"] as? String == "roc_auc" }!
        XCTAssertEqual(auc["verdict"] as? String, "better")
        XCTAssertEqual(auc["candidate"] as! Double, 0.82, accuracy: 0.01)
        XCTAssertEqual((summary["slices"] as! [Any]).count, 8, "5 regions and 3 segments")

        let gate = try sluice(["gate", "--evaluation", ".sluice/evaluation.json"], in: directory)
        XCTAssertEqual(gate.status, 0, gate.stdout + gate.stderr)
        XCTAssertTrue(gate.stdout.hasPrefix("gates: passed (6 passed, 0 failed, 0 not applicable)"), gate.stdout)
        XCTAssertTrue(gate.stdout.contains("tests: 5 of 5 passed"), gate.stdout)
    }

    func testWorseCandidateFailsTheGatesWithExitOneAndJUnit() throws {
        let directory = try example()
        XCTAssertEqual(try sluice(["train", "--config", "sluice-worse.yml"], in: directory).status, 0)
        let evaluate = try sluice(["evaluate", "--config", "sluice-worse.yml", "--model", ".sluice/worse-model/model.json", "--output", ".sluice/worse.json", "--format", "json"], in: directory)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let gate = try sluice(["gate", "--config", "sluice-worse.yml", "--evaluation", ".sluice/worse.json", "--format", "junit"], in: directory)
        XCTAssertEqual(gate.status, 1, gate.stderr)
        XCTAssertTrue(gate.stdout.contains("<testsuite name=\"gates\" tests=\"6\" failures=\"6\""), gate.stdout)
        XCTAssertTrue(gate.stdout.contains("<testcase classname=\"sluice.gates\" name=\"roc_auc drop vs champion &lt;= 0.01\">"), gate.stdout)
        let text = try sluice(["gate", "--config", "sluice-worse.yml", "--evaluation", ".sluice/worse.json"], in: directory)
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("\nFAIL  roc_auc >= 0.75                                 roc_auc = 0.5247 < 0.75\n"), text.stdout)
    }

    func testFirstRunWithoutChampionIsNotApplicable() throws {
        let directory = try example()
        try FileManager.default.removeItem(atPath: directory.file("champion/model.json"))
        XCTAssertEqual(try sluice(["train"], in: directory).status, 0)
        let evaluate = try sluice(["evaluate", "--model", ".sluice/model/model.json", "--output", ".sluice/evaluation.json"], in: directory)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stderr.contains("no champion model at"), evaluate.stderr)
        let gate = try sluice(["gate", "--evaluation", ".sluice/evaluation.json", "--format", "json"], in: directory)
        XCTAssertEqual(gate.status, 0, gate.stdout)
        let report = try JSONSerialization.jsonObject(with: Data(gate.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(report["outcome"] as? String, "passed")
        let statuses = (report["gates"] as! [[String: Any]]).map { $0["status"] as! String }
        XCTAssertEqual(statuses, ["passed", "not_applicable", "not_applicable", "passed", "passed", "passed"])
    }

    func testConfigErrorsAreLocatedAndExitTwo() throws {
        let directory = try example()
        try directory.write("bad.yml", "train:\n  builtin: logistic-regression\n  data: reference.csv\n  l3: 1\n")
        let result = try sluice(["train", "--config", "bad.yml"], in: directory)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "error: bad.yml:4:3: train: unknown key 'l3'; did you mean 'l2'?\n")
    }

    func testTrainingCommandFailureIsExitThreeWithTheLogTail() throws {
        let directory = try example()
        let result = try sluice(["train", "--data", "reference.csv", "--shell", "--", "echo preparing; echo 'ValueError: bad input' >&2; exit 2"], in: directory)
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("train | preparing\n"), result.stderr)
        XCTAssertTrue(result.stderr.hasSuffix("last lines:\npreparing\nValueError: bad input\n"), result.stderr)
    }

    /// `sluice predict` resolves train.predict as the evaluate stage does: the command runs
    /// in the configuration's directory (its working_directory), wherever sluice is started,
    /// and a section with train.predict alone is enough. Without --model, the model is the
    /// one `sluice train` writes.
    func testPredictRunsTrainPredictWhereTheRunWould() throws {
        let directory = try example()
        try FileManager.default.createDirectory(atPath: directory.file("project"), withIntermediateDirectories: true)
        try directory.write("project/sluice.yml", "train:\n  predict: \"cp answers.csv {output}\"\n  shell: true\n")
        try directory.write("project/answers.csv", "prediction,score\n1,0.9\n")
        let predicted = try sluice(["predict", "--config", "project/sluice.yml", "--model", "m", "--data", "holdout.csv", "--out", "p.csv"], in: directory)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        XCTAssertEqual(try String(contentsOfFile: directory.file("p.csv"), encoding: .utf8), "prediction,score\n1,0.9\n")

        let trained = try sluice(["train"], in: directory)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let byDefault = try sluice(["predict", "--data", "holdout.csv", "--out", "default.csv"], in: directory)
        XCTAssertEqual(byDefault.status, 0, byDefault.stderr)
        let explicit = try sluice(["predict", "--model", ".sluice/model/model.json", "--data", "holdout.csv", "--out", "explicit.csv"], in: directory)
        XCTAssertEqual(explicit.status, 0, explicit.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: directory.file("default.csv")), FileManager.default.contents(atPath: directory.file("explicit.csv")))
    }

    func testEvaluateAndPredictStandalone() throws {
        let directory = try example()
        let predict = try sluice(["predict", "--model", "champion/model.json", "--data", "holdout.csv", "--out", "preds.csv"], in: directory)
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let header = try String(contentsOfFile: directory.file("preds.csv"), encoding: .utf8).split(separator: "\n").first
        XCTAssertEqual(header, "customer_id,prediction,score")
        let evaluate = try sluice(["evaluate", "--predictions", "preds.csv", "--labels", "holdout.csv", "--task", "binary", "--id-column", "customer_id", "--format", "junit"], in: directory)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.contains("<testcase classname=\"sluice.evaluate\" name=\"roc_auc\">"), evaluate.stdout)
        let mismatch = try sluice(["evaluate", "--predictions", "preds.csv", "--labels", "reference.csv", "--task", "binary", "--config", "/dev/null"], in: directory)
        XCTAssertEqual(mismatch.status, 2)
        XCTAssertEqual(mismatch.stderr, "error: preds.csv has 1000 rows but reference.csv has 4000; joined by row order they must match (or join with --id-column)\n")
    }
}
