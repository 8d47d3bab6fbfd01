import Foundation
import TestSupport
import XCTest

/// `sluice run` runs the champion's stages (champion, decay) beside drift when the champion
/// is a model file, hygiene beside training, and the reference's validation beside the
/// current data's when a quarantine rides along: the log and the report must still read as
/// one stage after the other, and a failure must be the one a sequential run meets.
final class StageOrderEndToEndTests: XCTestCase {
    /// The bundled example with current data like the reference: drift and decay run, no
    /// trigger fires, the run stops after the triggers.
    /// `retrain`: the example's own current data, so the run retrains, evaluates and gates,
    /// and stops there unless `packaging` keeps the `package:` section.
    private func example(retrain: Bool = false, packaging: Bool = false) throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory()
        let example = Fixtures.repo("templates/example")
        for name in try FileManager.default.contentsOfDirectory(atPath: example) {
            try FileManager.default.copyItem(atPath: (example as NSString).appendingPathComponent(name), toPath: repo.file(name))
        }
        if retrain, !packaging {
            let config = try String(contentsOfFile: repo.file("sluice.yml"), encoding: .utf8)
            let package = try XCTUnwrap(config.range(of: "\npackage:"))
            try String(config[..<package.lowerBound]).write(toFile: repo.file("sluice.yml"), atomically: true, encoding: .utf8)
        } else if !retrain {
            try FileManager.default.removeItem(atPath: repo.file("current.csv"))
            try FileManager.default.copyItem(atPath: repo.file("holdout.csv"), toPath: repo.file("current.csv"))
        }
        return repo
    }

    /// Whether `lines` hold lines starting with each of `starts`, in that order.
    private func assertInOrder(_ starts: [String], _ lines: [String], file: StaticString = #filePath, line: UInt = #line) {
        let positions = starts.map { start in lines.firstIndex { $0.hasPrefix(start) } }
        XCTAssertFalse(positions.contains(nil), "\(starts) in \(lines)", file: file, line: line)
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), "\(lines)", file: file, line: line)
    }

    /// The records of train, hygiene and evaluate follow each other with `statuses`.
    private func assertTrainHygieneEvaluate(_ repo: TemporaryDirectory, _ statuses: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let recorded = try stages(repo)
        let train = try XCTUnwrap(recorded.firstIndex { $0.name == "train" }, file: file, line: line)
        XCTAssertEqual(recorded[train...].prefix(3).map(\.name), ["train", "hygiene", "evaluate"], file: file, line: line)
        XCTAssertEqual(recorded[train...].prefix(3).map(\.status), statuses, file: file, line: line)
    }

    /// Appends one CSV row to a file of the project.
    private func append(_ row: String, to name: String, in repo: TemporaryDirectory) throws {
        let text = try String(contentsOfFile: repo.file(name), encoding: .utf8)
        try (text + row + "\n").write(toFile: repo.file(name), atomically: true, encoding: .utf8)
    }

    /// Paths beneath `directory` whose name contains `part`.
    private func files(under directory: String, containing part: String) -> [String] {
        (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).filter { ($0 as NSString).lastPathComponent.contains(part) }
    }

    /// The stage lines of the log (start, outcome or skip), as (mark, text).
    private func stageLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { line in ["▶", "✔", "✘", "‼", "○"].contains { line.hasPrefix($0) } }
    }

    private func report(_ repo: TemporaryDirectory) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.file(".sluice/latest/run.json")))) as? [String: Any])
    }

    private func stages(_ repo: TemporaryDirectory) throws -> [(name: String, status: String)] {
        let written = try report(repo)
        return (written["stages"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["status"] as? String ?? "") }
    }

    func testDriftAndTheChampionsStagesLogInOrder() throws {
        let repo = try example()
        let run = try SluiceBinary.run(["run", "--mode", "nightly"], in: repo.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = stageLines(run.stderr)
        let expected = ["▶ Validating", "✔ validate passed", "▶ Comparing", "✔ drift passed", "▶ Using the champion model",
                        "✔ champion passed", "▶ Evaluating the champion on fresh labels", "✔ decay passed", "▶ Deciding whether to retrain", "✔ triggers passed"]
        XCTAssertGreaterThanOrEqual(lines.count, expected.count, run.stderr)
        for (line, start) in zip(lines, expected) { XCTAssertTrue(line.hasPrefix(start), "\(line) where \(start) was expected:\n\(run.stderr)") }
        // Drift's own progress lines stay inside its stage.
        let log = run.stderr.split(separator: "\n").map(String.init)
        let driftEnd = try XCTUnwrap(log.firstIndex { $0.hasPrefix("✔ drift passed") })
        XCTAssertFalse(log[driftEnd...].contains { $0.hasPrefix("drift ") }, run.stderr)
        let recorded = try stages(repo)
        XCTAssertEqual(recorded.prefix(5).map(\.name), ["validate", "drift", "champion", "decay", "triggers"])
        XCTAssertEqual(recorded.prefix(5).map(\.status), ["passed", "passed", "passed", "passed", "passed"])
    }

    func testABrokenChampionFailsDecayAfterDriftPassed() throws {
        let repo = try example()
        try "{\"not\": \"a model\"}".write(toFile: repo.file("champion/model.json"), atomically: true, encoding: .utf8)
        let run = try SluiceBinary.run(["run", "--mode", "nightly"], in: repo.path)
        XCTAssertEqual(run.status, 2, "a champion file that is not a model is a configuration error: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("is not a Sluice built-in model file"), run.stderr)
        let lines = stageLines(run.stderr)
        let order = ["✔ drift passed", "▶ Using the champion model", "✔ champion passed", "▶ Evaluating the champion on fresh labels", "‼ decay error", "○ triggers: skipped, stage decay broke"]
        let positions = order.map { start in lines.firstIndex { $0.hasPrefix(start) } }
        XCTAssertFalse(positions.contains(nil), "\(order) in \(lines)")
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), "\(lines)")
        let recorded = try stages(repo)
        XCTAssertEqual(recorded.prefix(5).map(\.name), ["validate", "drift", "champion", "decay", "triggers"])
        XCTAssertEqual(recorded.prefix(5).map(\.status), ["passed", "passed", "passed", "error", "skipped"])
    }

    func testTrainingAndHygieneLogInOrder() throws {
        let repo = try example(retrain: true)
        let run = try SluiceBinary.run(["run", "--mode", "nightly", "--force"], in: repo.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        assertInOrder(["▶ Validating", "✔ validate passed", "▶ Training the candidate", "training data: ", "✔ train passed", "▶ Checking the training data",
                       "✔ hygiene passed", "▶ Evaluating candidate and champion", "✔ evaluate passed", "▶ Applying"],
                      run.stderr.split(separator: "\n").map(String.init))
        try assertTrainHygieneEvaluate(repo, ["passed", "passed", "passed"])
        let hygiene = try XCTUnwrap(try report(repo)["hygiene"] as? [String: Any], "the report keeps the hygiene findings")
        XCTAssertEqual(hygiene["trainingData"] as? String, "reference.csv + current.csv (valid rows)")
    }

    func testABrokenHoldoutFailsHygieneAfterTrainingPassed() throws {
        let repo = try example(retrain: true)
        // Only the hygiene stage reads the holdout before evaluation: an unterminated quote
        // breaks it while training (beside it) succeeds.
        try append("C999999,2024-01-01,north,consumer,\"two-year,40,1000,1,10,0,1,5,true,false,0", to: "holdout.csv", in: repo)
        let run = try SluiceBinary.run(["run", "--mode", "nightly", "--force"], in: repo.path)
        XCTAssertNotEqual(run.status, 0, run.stderr)
        XCTAssertNotEqual(run.status, 1, "a holdout that cannot be read is a breakage, not a verdict: \(run.stderr)")
        assertInOrder(["✔ train passed", "▶ Checking the training data", "‼ hygiene error", "○ evaluate: skipped, stage hygiene broke"], stageLines(run.stderr))
        try assertTrainHygieneEvaluate(repo, ["passed", "error", "skipped"])
    }

    func testAnInvalidReferenceFailsValidationAndSetsNoRowsAside() throws {
        let repo = try example(retrain: true)
        try append("C999998,2024-01-01,north,consumer,two-year,forty,1000,1,10,0,1,5,true,false,0", to: "reference.csv", in: repo)
        let run = try SluiceBinary.run(["run", "--mode", "nightly", "--force"], in: repo.path)
        XCTAssertEqual(run.status, 1, run.stderr)
        let recorded = try stages(repo)
        XCTAssertEqual(recorded.first?.name, "validate")
        XCTAssertEqual(recorded.first?.status, "failed")
        let written = try report(repo)
        let validate = try XCTUnwrap((written["stages"] as? [[String: Any]])?.first)
        XCTAssertTrue((validate["message"] as? String ?? "").hasPrefix("the reference data reference.csv is invalid: 1 errors"), "\(validate)")
        XCTAssertNil(written["validation"], "the current data's summary is not reported, as when it was never validated")
        // The current data's quarantine (validated beside the reference) leaves nothing.
        XCTAssertEqual(files(under: repo.file(".sluice"), containing: "rejected"), [])
        XCTAssertEqual(files(under: repo.file(".sluice"), containing: "current.valid"), [])
    }

    /// The runtime layer is compressed into the run cache beside training, before the gates
    /// decide; a candidate that fails them still gets no image, and nothing half-written.
    func testAFailedGateWritesNoImage() throws {
        let repo = try example(retrain: true, packaging: true)
        let config = try String(contentsOfFile: repo.file("sluice.yml"), encoding: .utf8)
        XCTAssertTrue(config.contains("    min: 0.75\n"))
        try config.replacingOccurrences(of: "    min: 0.75\n", with: "    min: 0.9999\n").write(toFile: repo.file("sluice.yml"), atomically: true, encoding: .utf8)
        let run = try SluiceBinary.run(["run", "--mode", "nightly", "--force"], in: repo.path)
        XCTAssertEqual(run.status, 1, run.stderr)
        let recorded = try stages(repo)
        let release = recorded.filter { ["package", "smoke", "push", "promote"].contains($0.name) }
        XCTAssertEqual(release.map(\.name), ["package", "smoke", "push", "promote"])
        XCTAssertEqual(Set(release.map(\.status)), ["skipped"])
        XCTAssertEqual(recorded.first { $0.name == "gates" }?.status, "failed")
        XCTAssertEqual(files(under: repo.file(".sluice/runs"), containing: "index.json"), [], "no image layout")
        XCTAssertEqual(files(under: repo.file(".sluice/runs"), containing: "oci-layout"), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.file(".sluice/work/runtime-layer")), "the scratch layout is removed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.file(".sluice/work/runtime-rootfs")), "the layer unpacked for a smoke test is removed")
        XCTAssertEqual(files(under: repo.file(".sluice/cache/layers"), containing: ".json").count, 1, "the runtime layer waits in the run cache")
    }
}
