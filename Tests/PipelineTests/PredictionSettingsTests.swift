import Config
import Core
import Pipeline
import TestSupport
import Training
import XCTest

/// How models are predicted with, as `sluice predict`, the evaluate and decay stages and
/// the behavioural checks all resolve it from the `train:` section.
final class PredictionSettingsTests: XCTestCase {
    var temp: TemporaryDirectory!

    override func setUpWithError() throws {
        temp = try TemporaryDirectory()
    }

    private func plan(_ yaml: String?) throws -> PredictionPlan {
        let file = try yaml.map { try ConfigFile(yaml: $0, path: temp.file("sluice.yml")) }
        return try TrainSettings.predictionPlan(SettingsSources(file: file, environment: [:], workingDirectory: "/elsewhere"))
    }

    func testABuiltInTrainersModelIsPredictedInProcess() throws {
        let plan = try plan("train: {builtin: logistic-regression, data: train.csv, output: models/churn}\n")
        XCTAssertNil(plan.command)
        XCTAssertEqual(plan.defaultModel, temp.file("models/churn/model.json"), "the model sluice train writes, beside sluice.yml")
    }

    func testTrainPredictAloneIsEnoughAndNeedsNoTrainingData() throws {
        let plan = try plan("""
        train:
          predict: "python predict.py {model} {data} {output}"
          shell: true
          working_directory: ml
          environment: {MODE: score}
          timeout: 2m
        """)
        XCTAssertEqual(plan.command, .shell("python predict.py {model} {data} {output}"))
        XCTAssertEqual(plan.workingDirectory, temp.file("ml"), "the command runs where training runs, not where sluice started")
        XCTAssertEqual(plan.environment, ["MODE": "score"])
        XCTAssertEqual(plan.timeout, 120)
        XCTAssertEqual(plan.defaultModel, temp.file(".sluice/model"), "a command's model is its output directory")
    }

    func testACommandTrainersModelFileIsTheDefaultModel() throws {
        let plan = try plan("train: {command: [python, train.py], predict: [python, predict.py, '{model}'], data: d.csv, model: model.pkl}\n")
        XCTAssertEqual(plan.command, .arguments(["python", "predict.py", "{model}"]))
        XCTAssertEqual(plan.defaultModel, temp.file(".sluice/model/model.pkl"))
    }

    func testWithoutAWayToTrainOrPredictThereIsNoDefaultModel() throws {
        XCTAssertEqual(try plan(nil), .inProcess)
        XCTAssertEqual(try plan("train: {data: d.csv}\n"), .inProcess)
    }
}
