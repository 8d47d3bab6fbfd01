import Core
@testable import Training
import TestSupport
import XCTest

// Tests/Fixtures/training/recorded/ holds what Sluice wrote before training read typed
// columns from the reader's bytes and predictions streamed (the release build of main at
// 03cbc6d): `sluice train` with the built-in trainer on the fixtures below, then
// `sluice predict` with the model it wrote. The coefficients themselves match scikit-learn
// (BuiltinTrainerTests); these pin that the faster encoding changed no bit of a model or of
// a prediction file.
final class RecordedModelsTests: XCTestCase {
    private func check(_ name: String, _ kind: BuiltinTrainer, data: String, schema: String?, label: String, l2: Double, predict: String) throws {
        var options = BuiltinOptions()
        options.l2 = l2
        let model = try BuiltinTraining.train(kind, data: Fixtures.path(data), schema: schema.map(Fixtures.path), label: label, options: options)
        let recorded = try LinearModel.load(Fixtures.path("training/recorded/\(name).model.json"))
        XCTAssertEqual(model, recorded, name)
        let directory = try TemporaryDirectory()
        try model.predict(data: Fixtures.path(predict), to: directory.file("predictions.csv"))
        let written = try String(contentsOfFile: directory.file("predictions.csv"), encoding: .utf8)
        XCTAssertEqual(written, try String(contentsOfFile: Fixtures.path("training/recorded/\(name).predictions.csv"), encoding: .utf8), name)
    }

    func testBinaryLogisticRegressionIsUnchanged() throws {
        try check("logistic", .logisticRegression, data: "training/train.csv", schema: "training/schema.json", label: "label", l2: 2, predict: "training/score.csv")
    }

    func testRidgeRegressionIsUnchanged() throws {
        try check("ridge", .linearRegression, data: "training/train.csv", schema: "training/schema.json", label: "monthly_charges", l2: 2, predict: "training/score.csv")
    }

    func testMultinomialLogisticRegressionWithoutSchemaIsUnchanged() throws {
        try check("penguins", .logisticRegression, data: "training/penguins.csv", schema: nil, label: "species", l2: 0.5, predict: "training/penguins.csv")
    }
}
