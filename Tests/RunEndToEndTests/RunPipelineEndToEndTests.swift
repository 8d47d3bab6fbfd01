import Foundation
import TestSupport
import XCTest

/// The issue's end-to-end scenarios: the built binary runs the whole loop against the real
/// registry (Debian's docker-registry, started by ci/test) and a strict fake GitLab.
final class RunPipelineEndToEndTests: XCTestCase {
    // MARK: Merge requests

    private func gitlabMergeRequest(_ gitlab: FakeGitLab) -> [String: String] {
        gitlabMergeRequestVariables(gitlab)
    }

    /// 1. A GitLab merge request pipeline posts the report; a second run updates the same note.
    func testMergeRequestPostsOneStickyNoteAndUpdatesIt() throws {
        let gitlab = try FakeGitLab()
        gitlab.seed(body: "<!-- sluice:report key=sluice-mr -->\nsomeone else's copy", authorID: 8)
        let workspace = try RunWorkspace()
        let first = try workspace.run(environment: gitlabMergeRequest(gitlab))
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("mode mr"), first.stderr)
        let report = try workspace.report()
        XCTAssertEqual(report.object("outcome").string("status"), "passed")
        let stages = report.objects("stages").reduce(into: [String: String]()) { $0[$1.string("name")!] = $1.string("status") }
        XCTAssertEqual(stages["promote"], "skipped", "merge requests never promote")
        XCTAssertEqual(stages["push"], "skipped")
        var mine = gitlab.allNotes.filter { $0.authorID == 7 }
        XCTAssertEqual(mine.count, 1)
        XCTAssertTrue(mine[0].body.contains("Ready to merge"), mine[0].body)
        XCTAssertTrue(mine[0].body.contains("holdout.csv"), "the report names the holdout")

        var environment = gitlabMergeRequest(gitlab)
        environment["CI_JOB_ID"] = "2"
        let second = try workspace.run(environment: environment)
        XCTAssertEqual(second.status, 0, second.stderr)
        mine = gitlab.allNotes.filter { $0.authorID == 7 }
        XCTAssertEqual(mine.count, 1, "the second run updates its note instead of adding one")
        XCTAssertTrue(second.stderr.contains("comment: updated"), second.stderr)
        XCTAssertEqual(gitlab.allNotes.filter { $0.authorID == 8 }.first?.body, "<!-- sluice:report key=sluice-mr -->\nsomeone else's copy", "another user's note is never touched")
    }

    /// 6. Jenkins multibranch variables instead of GitLab's: the same flow against the fake GitLab.
    func testJenkinsChangeRequestPostsToGitLab() throws {
        let gitlab = try FakeGitLab()
        let workspace = try RunWorkspace()
        let base = String(gitlab.apiURL.dropLast("/api/v4".count))
        let environment = ["JENKINS_URL": "http://jenkins.example/", "BUILD_URL": "http://jenkins.example/job/churn/PR-17/3/", "JOB_NAME": "churn/PR-17",
                           "BUILD_NUMBER": "3", "CHANGE_ID": "\(gitlab.mergeRequest)", "CHANGE_URL": "\(base)/\(gitlab.projectPath)/-/merge_requests/\(gitlab.mergeRequest)",
                           "CHANGE_TARGET": "main", "CHANGE_BRANCH": "retrain", "SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"]
        let result = try workspace.run(environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("mode mr (jenkins merge request pipeline)"), result.stderr)
        let notes = gitlab.allNotes.filter { $0.authorID == 7 }
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes.first?.body.contains("Ready to merge") ?? false)
        XCTAssertEqual(try workspace.report().object("lineage").string("ciSystem"), "jenkins")
    }

    // MARK: Nightly, with the real registry

    private func champion(_ registry: String, _ repository: String) throws -> String? {
        let result = try runProcess("skopeo", ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(registry)/\(repository):champion"])
        return result.status == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// 2, 3 and 4: a nightly retrain on drifted data is pushed and promoted; a nightly on
    /// data that did not drift leaves the champion alone; a worse candidate is refused.
    func testNightlyRetrainPromotionNoDriftAndWorseCandidate() throws {
        let registry = try TestRegistry.address()
        let repository = "e2e-\(UUID().uuidString.prefix(8).lowercased())/churn"
        let workspace = try RunWorkspace()
        try workspace.useRegistry(registry, repository: repository)
        XCTAssertNil(try champion(registry, repository))

        // 2. Drifted data: retrain, gates pass, push, promote.
        let drifted = try workspace.run(environment: gitlabNightly)
        XCTAssertEqual(drifted.status, 0, drifted.stderr)
        var report = try workspace.report()
        XCTAssertTrue(report.objects("triggers").contains { $0.string("name") == "drift" && $0["fired"] as? Bool == true })
        let image = report.object("image")
        XCTAssertEqual(image["pushed"] as? Bool, true)
        XCTAssertEqual(image.string("promotedTag"), "champion")
        let promoted = try XCTUnwrap(try champion(registry, repository), "the champion tag exists after promotion")
        XCTAssertEqual(promoted, image.string("digest"), "champion points at the image this run pushed")
        // The data files' hashes, computed while the first stages ran, are in the lineage and
        // in the pushed image's metadata.
        let pushedManifest = try runProcess("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(registry)/\(repository):champion"]).stdout
        for name in ["reference.csv", "current.csv"] {
            let sha256 = String(try runProcess("sha256sum", [workspace.temp.file(name)]).stdout.prefix(64))
            XCTAssertEqual((report.object("lineage")["dataHashes"] as? [String: String])?[name], sha256, "\(report.object("lineage"))")
            XCTAssertTrue(pushedManifest.contains("\\\"\(name)\\\":\\\"\(sha256)\\\""), "\(name) \(sha256) in \(pushedManifest)")
        }
        XCTAssertTrue(try workspace.latest("junit.xml").contains("<testcase"), "JUnit written for the test panel")
        XCTAssertTrue(try workspace.latest("report.md").contains("no champion"), "the first run says there was no champion to compare with")

        // 3. Current data like the reference and a healthy champion: no retrain.
        try FileManager.default.removeItem(atPath: workspace.temp.file("current.csv"))
        try FileManager.default.copyItem(atPath: workspace.temp.file("holdout.csv"), toPath: workspace.temp.file("current.csv"))
        var environment = gitlabNightly
        environment["CI_JOB_ID"] = "9002"
        let quiet = try workspace.run(environment: environment)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        report = try workspace.report()
        XCTAssertTrue(report.objects("triggers").allSatisfy { $0["fired"] as? Bool == false }, "\(report.objects("triggers"))")
        XCTAssertTrue(report.object("outcome").string("summary")?.contains("no retrain") ?? false)
        let decay = report.objects("triggers").first { $0.string("name") == "accuracy_decay" }
        XCTAssertTrue(decay?.string("evidence")?.contains("at training") ?? false, "decay compares with the champion's own evaluation: \(decay ?? [:])")
        let manifest = try runProcess("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(registry)/\(repository):champion"])
        let annotations = (try JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8)) as? [String: Any])?["annotations"] as? [String: String]
        XCTAssertTrue(annotations?["dev.sluice.model.metrics"]?.contains("\"roc_auc\"") ?? false, "the champion image carries its metrics in its metadata: \(manifest.stdout)")
        XCTAssertNil(report["image"] as? [String: Any], "nothing packaged without a retrain")
        XCTAssertEqual(try champion(registry, repository), promoted, "the champion is untouched")
        XCTAssertTrue(try workspace.latest("report.md").contains("no trigger fired"), "the report says why")

        // 4. A worse candidate (it forgot the strong features): gate fails, exit 1, champion untouched.
        try workspace.edit("  output: .sluice/model", "  output: .sluice/model\n  features: [age, region, annual_income]")
        environment["CI_JOB_ID"] = "9003"
        let worse = try workspace.run(["--force"], environment: environment)
        XCTAssertEqual(worse.status, 1, worse.stderr)
        report = try workspace.report()
        XCTAssertEqual(report.object("outcome").string("status"), "failed")
        XCTAssertEqual(report.object("outcome").string("failedStage"), "gates")
        let failed = report.objects("gates").filter { $0.string("status") == "failed" }.compactMap { $0.string("name") }
        XCTAssertFalse(failed.isEmpty)
        let markdown = try workspace.latest("report.md")
        let escaped = failed.map { $0.replacingOccurrences(of: "_", with: "\\_").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "<", with: "&lt;") }
        XCTAssertTrue(escaped.allSatisfy { markdown.contains($0) }, "the report names the failed gates \(escaped)")
        XCTAssertTrue(markdown.split(separator: "\n").first?.contains(escaped[0]) ?? false, "the top line names a failing gate: \(markdown.prefix(200))")
        XCTAssertEqual(try champion(registry, repository), promoted, "a refused candidate never moves the champion")
        XCTAssertTrue(worse.stdout.contains("push      skipped"), worse.stdout)
    }

    // MARK: Breakage

    /// 5. A crashing training command: exit 3, the report names the stage and shows the log tail.
    func testCrashingTrainingCommandIsAnInfrastructureError() throws {
        let workspace = try RunWorkspace()
        try workspace.edit("  builtin: logistic-regression", "  command: [sh, -c, \"echo loading data; echo 'Traceback: out of memory' >&2; exit 7\"]")
        try workspace.edit("  data: reference.csv\n", "")
        let result = try workspace.run(["--force"])
        XCTAssertEqual(result.status, 3, result.stderr)
        let report = try workspace.report()
        XCTAssertEqual(report.object("outcome").string("status"), "error")
        XCTAssertEqual(report.object("outcome").string("failedStage"), "train")
        let train = report.objects("stages").first { $0.string("name") == "train" }
        XCTAssertEqual(train?.string("status"), "error")
        XCTAssertTrue(train?.string("logTail")?.contains("Traceback: out of memory") ?? false, "\(train ?? [:])")
        XCTAssertTrue(try workspace.latest("report.md").contains("Traceback: out of memory"), "the comment shows the log tail")
        XCTAssertEqual(train?.string("message"), "the training command failed with exit status 7 (full log: .sluice/runs/\(report.string("runId")!)/train.log)", "the message is one line; the tail has its own field")
        let after = report.objects("stages").filter { ["evaluate", "tests", "gates", "package", "push", "promote"].contains($0.string("name") ?? "") }
        XCTAssertEqual(after.count, 6, "every later stage is recorded")
        XCTAssertTrue(after.allSatisfy { $0.string("status") == "skipped" && $0.string("message") == "stage train broke" }, "\(after)")
    }

    /// A file whose read stops early is never passed off as a few invalid rows, however few
    /// rows were rejected before the break.
    func testATableThatStopsReadingFailsEvenWithQuarantine() throws {
        let workspace = try RunWorkspace()
        let current = workspace.temp.file("current.csv")
        var text = try String(contentsOfFile: current, encoding: .utf8)
        text += "C999999,2024-01-01,north,consumer,\"two-year,40,1000,1,10,0,1,5,true,false,0\n"
        try text.write(toFile: current, atomically: true, encoding: .utf8)
        let result = try workspace.run()
        XCTAssertEqual(result.status, 1, result.stderr)
        let report = try workspace.report()
        XCTAssertEqual(report.object("outcome").string("failedStage"), "validate")
        let validate = report.objects("stages").first { $0.string("name") == "validate" }
        XCTAssertTrue(validate?.string("message")?.contains("the table itself is invalid") ?? false, "\(validate ?? [:])")
        XCTAssertEqual(report.object("validation")["tableErrorCount"] as? Int, 1)
    }

    /// Configuration problems stop the run before any work, with file, line and column.
    func testBadConfigurationIsExit2BeforeAnyWork() throws {
        let workspace = try RunWorkspace()
        try workspace.edit("  drift_share: 0.5", "  drift_shar: 0.5")
        let result = try workspace.run()
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("sluice.yml:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("did you mean 'drift_share'"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.temp.file(".sluice")), "nothing was started")
        let check = try SluiceBinary.run(["config", "check", "sluice.yml"], in: workspace.path)
        XCTAssertEqual(check.status, 2)
        XCTAssertEqual(check.stderr, result.stderr)
    }
}
