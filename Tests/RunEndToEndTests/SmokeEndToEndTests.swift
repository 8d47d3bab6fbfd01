import Foundation
import TestSupport
import XCTest

/// The smoke stage: `sluice run` starts the image it packaged with runc before anything is
/// pushed, and `sluice smoke` gives the same answer on the same sluice.yml.
final class SmokeEndToEndTests: XCTestCase {
    private func smokeRecord(_ report: [String: Any]) -> [String: Any]? {
        report.objects("stages").first { $0.string("name") == "smoke" }
    }

    /// The example's run builds an image that runc starts, that is ready and that predicts the
    /// first holdout rows as the evaluation did; `sluice smoke` agrees afterwards.
    func testTheExamplesImageStartsUnderRuncAndAnswersAsTheEvaluation() throws {
        try ContainerTools.require()
        let workspace = try RunWorkspace()
        let result = try workspace.run()
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try workspace.report()
        let stage = try XCTUnwrap(smokeRecord(report), "\(report.objects("stages"))")
        XCTAssertEqual(stage.string("status"), "passed", "\(stage)")
        XCTAssertTrue(stage.string("message")?.contains("10 rows") ?? false, "\(stage)")
        let smoke = report.object("image").object("smoke")
        XCTAssertEqual(smoke.string("outcome"), "passed")
        XCTAssertGreaterThan(smoke["startupSeconds"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(smoke["latencySeconds"] as? Double ?? 0, 0)
        XCTAssertTrue(smoke.string("runtime")?.hasPrefix("runc") ?? false, "\(smoke)")
        XCTAssertEqual(report.object("image").objects("layers").map { $0.string("name") }, ["runtime", "code", "model"])
        let markdown = try workspace.latest("report.md")
        XCTAssertTrue(markdown.contains("Smoke test: passed, ready in"), markdown)
        // The runtime layer unpacked beside training became the bundle's root, which is gone with it.
        for left in ["runtime-rootfs", "smoke/bundle"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.temp.file(".sluice/work/\(left)")), left)
        }

        // The same stage as a command, with no flags: its defaults are the image and the
        // predictions that run left behind.
        let run = report.string("runId") ?? ""
        let layout = workspace.temp.file(".sluice/runs/\(run)/image")
        let predictions = workspace.temp.file(".sluice/work/predictions/candidate.csv")
        XCTAssertTrue(FileManager.default.fileExists(atPath: predictions), predictions)
        let command = try SluiceBinary.run(["smoke", "--format", "json"], in: workspace.path)
        XCTAssertEqual(command.status, 0, command.stderr)
        XCTAssertTrue(command.stdout.contains(#""outcome" : "passed""#), command.stdout)

        // Predictions of another model (first row's value changed): the image disagrees, and
        // the message names the file and what to do.
        var lines = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        var first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let column = try XCTUnwrap(header.firstIndex(of: "score") ?? header.firstIndex(of: "prediction"))
        first[column] = "0.123"
        lines[1] = first.joined(separator: ",")
        let stale = try workspace.temp.write("stale-predictions.csv", lines.joined(separator: "\n"))
        let mismatch = try SluiceBinary.run(["smoke", "--image", layout, "--predictions", stale], in: workspace.path)
        XCTAssertEqual(mismatch.status, 1, mismatch.stderr)
        let said = mismatch.stdout + mismatch.stderr
        XCTAssertTrue(said.contains("row 1: the image's \(header[column]) is "), said)
        XCTAssertTrue(said.contains("the evaluation's 0.123 (\(stale))"), said)
        XCTAssertTrue(said.contains("run `sluice evaluate` again"), said)
    }

    /// A model the image cannot load: `sluice serve` exits before it is ready, the stage says
    /// so with the container's last lines, the run exits 1 and the registry is untouched.
    func testAnImageThatCannotServeFailsTheRunAndPushesNothing() throws {
        try ContainerTools.require()
        let registry = try TestRegistry.address()
        let repository = "e2e-\(UUID().uuidString.prefix(8).lowercased())/churn"
        let workspace = try RunWorkspace()
        try workspace.useRegistry(registry, repository: repository)
        try workspace.temp.write("broken-model/model.json", #"{"format": "sluice.linear-model", "version": 99}"#)
        try workspace.edit("""
            - name: code
              files: ["schema.json:/app/schema.json"]
        """, """
            - name: code
              files: ["schema.json:/app/schema.json"]
            - name: model
              files: ["broken-model/:/model"]
        """)
        let result = try workspace.run(environment: gitlabNightly)
        XCTAssertEqual(result.status, 1, result.stderr)
        let report = try workspace.report()
        let stage = try XCTUnwrap(smokeRecord(report))
        XCTAssertEqual(stage.string("status"), "failed")
        XCTAssertTrue(stage.string("message")?.contains("exited before it was ready") ?? false, "\(stage)")
        XCTAssertTrue(stage.string("message")?.contains("not a Sluice built-in model") ?? false, "the container's own error: \(stage)")
        for name in ["push", "promote"] {
            XCTAssertEqual(report.objects("stages").first { $0.string("name") == name }?.string("status"), "skipped", name)
        }
        XCTAssertEqual(report.object("outcome").string("failedStage"), "smoke")
        for tag in ["candidate", "champion"] {
            let inspect = try runProcess("skopeo", ["inspect", "--tls-verify=false", "docker://\(registry)/\(repository):\(tag)"])
            XCTAssertNotEqual(inspect.status, 0, "nothing was pushed as \(tag)")
        }
    }

    /// No runc on PATH: skipped, and said so; with package.smoke: required, a breakage (exit 3).
    func testWithoutARuntimeTheStageIsSkippedUnlessRequired() throws {
        let workspace = try RunWorkspace()
        // A PATH with umoci but no runc (Debian links runc into /usr/bin too).
        let tools = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: tools.file("umoci"), withDestinationPath: "/usr/bin/umoci")
        let noRunc = ["PATH": tools.path]
        let skipped = try workspace.run(environment: noRunc)
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        let stage = try XCTUnwrap(smokeRecord(try workspace.report()))
        XCTAssertEqual(stage.string("status"), "skipped")
        XCTAssertTrue(stage.string("message")?.contains("no runc on PATH") ?? false, "\(stage)")
        XCTAssertEqual(try workspace.report().object("image").object("smoke").string("outcome"), "skipped")

        try workspace.edit("  runtime: true", "  runtime: true\n  smoke: required")
        let required = try workspace.run(["--force"], environment: noRunc)
        XCTAssertEqual(required.status, 3, required.stderr)
        XCTAssertTrue(required.stderr.contains("package.smoke is required"), required.stderr)
    }
}
