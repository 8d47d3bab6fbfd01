import Foundation
import TestSupport
import XCTest

/// `sluice run` runs the champion's stages (champion, decay) beside drift when the champion
/// is a model file: the log and the report must still read as one stage after the other,
/// and a failure must be the one a sequential run meets.
final class StageOrderEndToEndTests: XCTestCase {
    /// The bundled example with current data like the reference: drift and decay run, no
    /// trigger fires, the run stops after the triggers.
    private func example() throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory()
        let example = Fixtures.repo("templates/example")
        for name in try FileManager.default.contentsOfDirectory(atPath: example) {
            try FileManager.default.copyItem(atPath: (example as NSString).appendingPathComponent(name), toPath: repo.file(name))
        }
        try FileManager.default.removeItem(atPath: repo.file("current.csv"))
        try FileManager.default.copyItem(atPath: repo.file("holdout.csv"), toPath: repo.file("current.csv"))
        return repo
    }

    /// The stage lines of the log (start, outcome or skip), as (mark, text).
    private func stageLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { line in ["▶", "✔", "✘", "‼", "○"].contains { line.hasPrefix($0) } }
    }

    private func stages(_ repo: TemporaryDirectory) throws -> [(name: String, status: String)] {
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.file(".sluice/latest/run.json")))) as? [String: Any])
        return (report["stages"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["status"] as? String ?? "") }
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
}
