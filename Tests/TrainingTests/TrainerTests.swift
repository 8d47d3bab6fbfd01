import Core
@testable import Training
import TestSupport
import XCTest

final class TrainerTests: XCTestCase {
    private func plan(_ directory: TemporaryDirectory, command: ChildProcess.Command, timeout: Double? = nil) throws -> TrainPlan {
        try directory.write("data.csv", "x,label\n1,0\n2,1\n")
        try directory.write("src/a.py", "print(1)\n")
        return TrainPlan(trainer: .command(command), timeout: timeout, workingDirectory: directory.path, data: directory.file("data.csv"), schema: nil, label: "label", paramsFile: nil, parameters: ["depth": "3"], inputs: [directory.file("src")], outputDirectory: directory.file("out"), modelFile: "model.txt", cacheDirectory: directory.file("cache"), logPath: directory.file("train.log"), environment: [:])
    }

    func testCommandGetsDocumentedVariablesAndRunCacheRestoresOutputs() throws {
        let directory = try TemporaryDirectory()
        // Appends to a counter outside the outputs, so a second real run would show.
        let script = "echo trained; echo \"$SLUICE_DATA $SLUICE_LABEL $(cat \"$SLUICE_PARAMS\" | tr -d ' \\n')\" > \"$SLUICE_MODEL\"; echo run >> runs.txt"
        let plan = try plan(directory, command: .shell(script))
        let first = try Trainer.train(plan)
        XCTAssertFalse(first.cached)
        XCTAssertEqual(try String(contentsOfFile: first.modelPath, encoding: .utf8), "\(directory.file("data.csv")) label {\"depth\":\"3\"}\n")
        XCTAssertEqual(try String(contentsOfFile: plan.logPath, encoding: .utf8), "trained\n")
        try FileManager.default.removeItem(atPath: plan.outputDirectory)

        let second = try Trainer.train(plan)
        XCTAssertTrue(second.cached)
        XCTAssertEqual(second.cacheKey, first.cacheKey)
        XCTAssertTrue(FileManager.default.fileExists(atPath: plan.modelPath), "outputs restored from the cache")
        XCTAssertEqual(try String(contentsOfFile: directory.file("runs.txt"), encoding: .utf8), "run\n")

        _ = try Trainer.train(plan, useCache: false)
        XCTAssertEqual(try String(contentsOfFile: directory.file("runs.txt"), encoding: .utf8), "run\nrun\n")
    }

    func testCacheKeyFollowsInputContentsParametersAndCommand() throws {
        let directory = try TemporaryDirectory()
        var plan = try plan(directory, command: .arguments(["true"]))
        let base = try Trainer.cacheKey(plan)
        XCTAssertEqual(try Trainer.cacheKey(plan), base, "deterministic")
        try directory.write("src/a.py", "print(2)\n")
        let edited = try Trainer.cacheKey(plan)
        XCTAssertNotEqual(edited, base, "a changed file in a declared input directory")
        try directory.write("src/nested/b.py", "x\n")
        XCTAssertNotEqual(try Trainer.cacheKey(plan), edited, "a new file in a declared input directory")
        let withFile = try Trainer.cacheKey(plan)
        plan.parameters["depth"] = "4"
        XCTAssertNotEqual(try Trainer.cacheKey(plan), withFile)
        plan.parameters["depth"] = "3"
        plan.trainer = .command(.arguments(["true", "--fast"]))
        XCTAssertNotEqual(try Trainer.cacheKey(plan), withFile)
        plan.inputs = [directory.file("missing")]
        XCTAssertThrowsError(try Trainer.cacheKey(plan)) { XCTAssertEqual("\($0)", "declared input \(directory.file("missing")) does not exist") }
    }

    /// DVC's rule: inputs are named relative to the repository, so the same files in another
    /// checkout (a second CI job with the cache restored) make the same key.
    func testCacheKeyIsTheSameInAnotherCheckout() throws {
        let first = try TemporaryDirectory(), second = try TemporaryDirectory()
        var a = try plan(first, command: .arguments(["true"])), b = try plan(second, command: .arguments(["true"]))
        XCTAssertNotEqual(try Trainer.cacheKey(a), try Trainer.cacheKey(b), "absolute names differ without a root")
        a.cacheRoot = first.path
        b.cacheRoot = second.path
        XCTAssertEqual(try Trainer.cacheKey(a), try Trainer.cacheKey(b))
        try second.write("data.csv", "x,label\n1,0\n2,0\n")
        XCTAssertNotEqual(try Trainer.cacheKey(a), try Trainer.cacheKey(b), "contents still count")
    }

    func testFailureAndTimeoutAreRuntimeErrorsWithTheLogTail() throws {
        let directory = try TemporaryDirectory()
        let failing = try plan(directory, command: .shell("echo step one; echo boom >&2; exit 7"))
        XCTAssertThrowsError(try Trainer.train(failing)) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .runtime)
            XCTAssertEqual("\(error)", "the training command failed with exit status 7 (full log: \(failing.logPath)); last lines:\nstep one\nboom")
        }
        let slow = try plan(directory, command: .arguments(["sleep", "30"]), timeout: 0.5)
        let started = Date()
        XCTAssertThrowsError(try Trainer.train(slow, useCache: false)) { error in
            XCTAssertTrue("\(error)".hasPrefix("the training command timed out"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        let silent = try plan(directory, command: .arguments(["true"]))
        XCTAssertThrowsError(try Trainer.train(silent, useCache: false)) { error in
            XCTAssertEqual("\(error)", "the training command succeeded but wrote no model at \(silent.modelPath) (SLUICE_MODEL)")
        }
    }

    func testPredictionCommandTemplate() throws {
        let directory = try TemporaryDirectory()
        try Prediction.predict(model: "m.bin", data: "d.csv", output: directory.file("p.csv"), plan: PredictionPlan(command: .arguments(["sh", "-c", "echo \"$1 $2 $SLUICE_MODEL\" > \"$3\"", "-", "{model}", "{data}", "{output}"])))
        XCTAssertEqual(try String(contentsOfFile: directory.file("p.csv"), encoding: .utf8), "m.bin d.csv m.bin\n")
        XCTAssertThrowsError(try Prediction.predict(model: "m", data: "d", output: directory.file("none.csv"), plan: PredictionPlan(command: .arguments(["true"])))) { error in
            XCTAssertTrue("\(error)".hasPrefix("the prediction command succeeded but wrote no predictions"), "\(error)")
        }
    }

    func testRecordsGoThroughThePredictionCommandAsOneCSV() throws {
        let directory = try TemporaryDirectory()
        // score = x / 10 from the column named x, wherever it is; prediction 1 from 0.5.
        let script = #"awk -F, 'NR==1 { for (i = 1; i <= NF; i++) if ($i == "x") c = i; print "prediction,score"; next } { s = $c / 10; print (s >= 0.5 ? 1 : 0) "," s }' "$SLUICE_DATA" > "$SLUICE_PREDICTIONS""#
        let plan = PredictionPlan(command: .shell(script), workingDirectory: directory.path)
        let outputs = try Prediction.predict(records: [["x": "7", "zone": "a, b"], ["x": "2", "zone": "c"]], model: "m", plan: plan)
        XCTAssertEqual(outputs.map(\.value), [0.7, 0.2])
        XCTAssertEqual(outputs.map(\.label), ["1", "0"])
    }
}
