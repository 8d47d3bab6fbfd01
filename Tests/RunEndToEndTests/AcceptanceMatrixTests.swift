import Foundation
import TestSupport
import XCTest

/// Issue 10's acceptance matrix, run as a new user would with the built binary: public data
/// (slices of seaborn-data's titanic, penguins and diamonds in Tests/Fixtures/scenarios,
/// cut by make_fixtures.py) and the bundled example. For each: `sluice init` (every --ci),
/// `sluice run` exits 0 with a report, an identical second run restores training from the
/// run cache, and `sluice evaluate`/`sluice gate` given the same sluice.yml give the run's
/// evaluation and verdicts.
final class AcceptanceMatrixTests: XCTestCase {
    /// One project a user brings.
    private struct Scenario {
        var name: String
        var label: String?
        /// The CI system `init` writes first; the other two are added afterwards.
        var ci: String
        /// The trained model, relative to the repository.
        var model: String
        var task: String
        /// Edits a user makes to the starter sluice.yml: (old text, new text).
        var edits: [(String, String)] = []
    }

    /// Two or three rows of 200 may carry a category the reference lacks (titanic's deck G):
    /// the user accepts a few more invalid rows, as a first review of the schema would.
    private static let tolerance = ("max_invalid_fraction: 0.01 ", "max_invalid_fraction: 0.05 ")

    func testTitanicBinaryWithTheUsersOwnTrainAndPredictScripts() throws {
        try check(Scenario(name: "titanic", label: "survived", ci: "gitlab", model: ".sluice/model/model.txt", task: "binary", edits: [
            Self.tolerance,
            ("  builtin: logistic-regression      # or command: [python, train.py] (docs/commands/train.md)\n",
             "  command: [sh, train.sh]\n  predict: [sh, predict.sh, \"{model}\", \"{data}\", \"{output}\"]\n  model: model.txt\n"),
            ("  l2: 1.0                           # the L2 penalty\n", ""),
            // The user's own model (model.txt) needs its own server image (docs/serving.md):
            // the built-in runtime cannot serve it, so the smoke stage would rightly fail.
            ("  runtime: true", "  smoke: off\n  runtime: false"),
        ]))
    }

    func testPenguinsMulticlassWithTheBuiltInTrainer() throws {
        try check(Scenario(name: "penguins", label: "species", ci: "jenkins", model: ".sluice/model/model.json", task: "multiclass", edits: [Self.tolerance]))
    }

    func testDiamondsRegressionWithTheBuiltInTrainer() throws {
        try check(Scenario(name: "diamonds", label: "price", ci: "github", model: ".sluice/model/model.json", task: "regression", edits: [Self.tolerance]))
    }

    func testTheBundledExample() throws {
        try check(Scenario(name: "example", label: nil, ci: "gitlab", model: ".sluice/model/model.json", task: "binary"))
    }

    private func check(_ scenario: Scenario) throws {
        let repo = try TemporaryDirectory()
        try setUp(scenario, in: repo)
        for ci in ["gitlab", "jenkins", "github"] where ci != scenario.ci {
            let added = try SluiceBinary.run(["init", "--ci", ci], in: repo.path)
            XCTAssertEqual(added.status, 0, "\(scenario.name) --ci \(ci): \(added.stderr)")
        }
        for file in [".gitlab-ci.yml", "Jenkinsfile", ".github/workflows/sluice.yml", ".gitignore"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: repo.file(file)), "\(scenario.name): \(file)")
        }
        let checked = try SluiceBinary.run(["config", "check"], in: repo.path)
        XCTAssertEqual(checked.status, 0, "\(scenario.name): \(checked.stderr)")

        // The first run trains (no champion yet) and passes.
        let first = try SluiceBinary.run(["run", "--mode", "nightly"], in: repo.path)
        XCTAssertEqual(first.status, 0, "\(scenario.name): \(first.stderr)\n\(first.stdout)")
        let report = try json(repo.file(".sluice/latest/run.json"))
        XCTAssertEqual((report["outcome"] as? [String: Any])?["status"] as? String, "passed", scenario.name)
        XCTAssertEqual((report["evaluation"] as? [String: Any])?["task"] as? String, scenario.task, scenario.name)
        XCTAssertTrue(FileManager.default.fileExists(atPath: repo.file(".sluice/latest/report.html")), scenario.name)
        XCTAssertEqual(stage("train", report), "passed")
        let runDirectory = repo.file(".sluice/runs/\(report["runId"] as! String)")
        let data = try FileManager.default.subpathsOfDirectory(atPath: runDirectory).filter { $0.hasSuffix(".csv") && $0 != "rejected.csv" }
        XCTAssertEqual(data, [], "\(scenario.name): the run directory (the artifacts) carries no data")

        // An identical second run restores training from the run cache.
        let second = try SluiceBinary.run(["run", "--mode", "nightly"], in: repo.path)
        XCTAssertEqual(second.status, 0, "\(scenario.name): \(second.stderr)")
        XCTAssertTrue(second.stderr.contains("train: cached, skipped"), "\(scenario.name): \(second.stderr)")
        XCTAssertTrue(second.stdout.contains("cached, skipped (key"), second.stdout)
        let entries = try FileManager.default.contentsOfDirectory(atPath: repo.file(".sluice/cache")).filter { !["oci", "layers"].contains($0) }
        XCTAssertEqual(entries.count, 1, "\(scenario.name): one cache entry for two identical runs: \(entries)")
        // With a runtime layer, the second image's is the file the first run compressed and
        // the run cache kept (the same inode), not compressed again.
        let imageLayers = (report["image"] as? [String: Any])?["layers"] as? [[String: Any]] ?? []
        if imageLayers.contains(where: { $0["name"] as? String == "runtime" }) {
            let layers = try FileManager.default.contentsOfDirectory(atPath: repo.file(".sluice/cache/layers")).filter { $0.hasSuffix(".json") }
            XCTAssertEqual(layers.count, 1, "\(scenario.name): one cached runtime layer: \(layers)")
            XCTAssertEqual(try runtimeBlobFile(report, repo), try runtimeBlobFile(try json(repo.file(".sluice/latest/run.json")), repo), scenario.name)
        } else {
            XCTAssertFalse(FileManager.default.fileExists(atPath: repo.file(".sluice/cache/layers")), "\(scenario.name): no runtime layer, nothing cached")
        }

        // The single commands, given the same sluice.yml, agree with the run.
        let evaluate = try SluiceBinary.run(["evaluate", "--model", scenario.model, "--output", "evaluation.json"], in: repo.path)
        XCTAssertEqual(evaluate.status, 0, "\(scenario.name): \(evaluate.stderr)")
        let latest = try json(repo.file(".sluice/latest/run.json"))
        let alone = try json(repo.file("evaluation.json"))
        XCTAssertEqual(try canonical(alone), try canonical(latest["evaluation"] as Any), "\(scenario.name): evaluate alone and the run's evaluation")
        let gate = try SluiceBinary.run(["gate", "--evaluation", "evaluation.json", "--model", scenario.model, "--format", "json"], in: repo.path)
        XCTAssertEqual(gate.status, 0, "\(scenario.name): \(gate.stderr)")
        let verdicts = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(gate.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(verdicts["outcome"] as? String, "passed")
        // A check gate alone reads train.data; the run gives it the data it assembled
        // (docs/commands/gate.md): the same verdicts, each detail naming its own data.
        func verdictsOnly(_ gates: Any?) -> [[String: Any]] {
            (gates as? [[String: Any]] ?? []).map { gate in
                var gate = gate
                if ["leakage", "holdout_overlap"].contains(gate["kind"] as? String) { gate["detail"] = nil }
                return gate
            }
        }
        XCTAssertEqual(try canonical(verdictsOnly(verdicts["gates"])), try canonical(verdictsOnly(latest["gates"])), "\(scenario.name): gate alone and the run's gates")
        if scenario.label != nil {
            let leakage = verdictsOnly(latest["gates"]).filter { $0["kind"] as? String == "leakage" }
            XCTAssertEqual(leakage.map { $0["status"] as? String }, ["passed"], "\(scenario.name): init's leakage gate holds")
        }
    }

    /// The project as a user has it: data under data/ (or the example as shipped), then init.
    private func setUp(_ scenario: Scenario, in repo: TemporaryDirectory) throws {
        let fm = FileManager.default
        if scenario.name == "example" {
            let example = Fixtures.repo("templates/example")
            for name in try fm.contentsOfDirectory(atPath: example) {
                try fm.copyItem(atPath: (example as NSString).appendingPathComponent(name), toPath: repo.file(name))
            }
            let result = try SluiceBinary.run(["init", "--ci", scenario.ci], in: repo.path)
            XCTAssertEqual(result.status, 0, result.stderr)
            return
        }
        let fixtures = Fixtures.path("scenarios/\(scenario.name)")
        try fm.createDirectory(atPath: repo.file("data"), withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: fixtures) {
            let target = name.hasSuffix(".csv") ? "data/\(name)" : name
            try fm.copyItem(atPath: (fixtures as NSString).appendingPathComponent(name), toPath: repo.file(target))
        }
        let result = try SluiceBinary.run(["init", "--data", "data/reference.csv", "--label", scenario.label!, "--ci", scenario.ci], in: repo.path)
        XCTAssertEqual(result.status, 0, "\(scenario.name): \(result.stderr)")
        var config = try String(contentsOfFile: repo.file("sluice.yml"), encoding: .utf8)
        for (old, new) in scenario.edits {
            XCTAssertTrue(config.contains(old), "\(scenario.name): the starter config has \(old)")
            config = config.replacingOccurrences(of: old, with: new)
        }
        try config.write(toFile: repo.file("sluice.yml"), atomically: true, encoding: .utf8)
    }

    /// Item 9: a first run on one labelled file needs no split script and no edit: `init`
    /// writes `data.split`, which holds rows out by hash, the same rows for `run` and
    /// `evaluate`, and never trains on them.
    func testASingleLabelledFileIsSplitByHash() throws {
        let repo = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: repo.file("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("scenarios/diamonds/reference.csv"), toPath: repo.file("data/labelled.csv"))
        XCTAssertEqual(try SluiceBinary.run(["init", "--data", "data/labelled.csv", "--label", "price"], in: repo.path).status, 0)
        let check = try SluiceBinary.run(["config", "check"], in: repo.path)
        XCTAssertEqual(check.status, 0, check.stderr)
        let run = try SluiceBinary.run(["run", "--mode", "nightly"], in: repo.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try json(repo.file(".sluice/latest/run.json"))
        let evaluation = try XCTUnwrap(report["evaluation"] as? [String: Any])
        XCTAssertEqual(evaluation["holdout"] as? String, "data/labelled.csv (20% held out)")
        let held = try XCTUnwrap(evaluation["rowCount"] as? Int)
        XCTAssertTrue((200...280).contains(held), "about 20% of 1200 rows: \(held)")
        let trained = try String(contentsOfFile: repo.file(".sluice/work/split/train.csv"), encoding: .utf8).split(separator: "\n").count - 1
        XCTAssertEqual(trained + held, 1200, "every row on exactly one side")
        let evaluate = try SluiceBinary.run(["evaluate", "--model", ".sluice/model/model.json", "--output", "evaluation.json"], in: repo.path)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertEqual(try canonical(try json(repo.file("evaluation.json"))), try canonical(evaluation), "the same held-out rows")
        let second = try SluiceBinary.run(["run", "--mode", "nightly"], in: repo.path)
        XCTAssertTrue(second.stdout.contains("cached, skipped"), second.stdout)
    }

    /// Item 2: the example with its label renamed `churned`. `run` and `evaluate` read the
    /// label from the same place and agree.
    func testARenamedLabelIsReadAlikeByRunAndEvaluate() throws {
        let workspace = try RunWorkspace()
        for name in ["reference.csv", "current.csv", "holdout.csv", "schema.json"] {
            let path = workspace.temp.file(name)
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text = name.hasSuffix(".csv") ? text.replacingOccurrences(of: ",label\n", with: ",churned\n") : text.replacingOccurrences(of: "\"name\": \"label\"", with: "\"name\": \"churned\"")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try workspace.edit("  label: label\n", "  label: churned\n")
        let run = try workspace.run(["--force"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let evaluate = try SluiceBinary.run(["evaluate", "--model", ".sluice/model/model.json", "--format", "json"], in: workspace.path)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let alone = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try canonical(alone), try canonical(try workspace.report()["evaluation"] as Any))
    }

    /// Item 7: the reference is validated too, and a bad row is named in the user's file.
    func testTheReferenceIsValidatedAndNamedInErrors() throws {
        let workspace = try RunWorkspace()
        let path = workspace.temp.file("reference.csv")
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines[114] = String(lines[114].dropLast(2)) + ","
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let run = try workspace.run(["--force"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let report = try workspace.report()
        let validate = report.objects("stages").first { $0.string("name") == "validate" }
        XCTAssertTrue(validate?.string("message")?.hasPrefix("the reference data reference.csv is invalid: ") ?? false, "\(validate ?? [:])")
        XCTAssertTrue(validate?.string("message")?.contains("line 115, field label") ?? false, "\(validate ?? [:])")
    }

    /// Every configuration issue 10 saw pass `config check` and then fail (or crash) is
    /// exit 2 from `config check` and from `run`, before any work, with file:line:column.
    func testEveryBadConfigurationExitsTwoWithItsPlace() throws {
        let cases: [(name: String, edit: (String, String), expected: String)] = [
            ("misspelt gate metric", ("  - metric: recall\n", "  - metric: recal\n"), "sluice.yml:62:13: gates[3].metric: 'recal' is not a binary metric; did you mean 'recall'?"),
            ("a gate with nothing", ("  - tests: all\n", "  - tests: all\n  - {}\n"), "sluice.yml:69:5: gates[6]: a gate names a metric"),
            ("misspelt watched feature", ("features: [annual_income, monthly_charges]", "features: [annual_incme, monthly_charges]"), "sluice.yml:85:16: triggers.drift.features[0]: no column 'annual_incme' in the data; did you mean 'annual_income'?"),
            ("missing holdout", ("  holdout: holdout.csv ", "  holdout: holdout-2024.csv "), "sluice.yml:20:12: evaluate.holdout: no such file: holdout-2024.csv"),
            ("no train section", ("train:\n  builtin: logistic-regression      # or command: [python, train.py] (see docs/commands/train.md)\n  data: reference.csv\n  schema: schema.json\n  label: label\n  l2: 1.0\n  output: .sluice/model             # model.json is written here\n", ""),
             "train: no train: section, but a trigger can fire"),
            ("negative bootstrap", ("  bootstrap: 1000", "  bootstrap: -5"), "sluice.yml:23:14: evaluate.bootstrap: bootstrap must be between 100 and 100000 resamples, got -5"),
            ("nan penalty", ("  l2: 1.0", "  l2: .nan"), "sluice.yml:15:7: train.l2: expected a finite number, found '.nan'"),
            ("builtin and command", ("  builtin: logistic-regression ", "  command: [python, train.py]\n  builtin: logistic-regression "), "sluice.yml:11:12: train.command: set either builtin or command, not both"),
            ("huge size", ("      max_size: 100KB", "      max_size: 1e30KB"), "sluice.yml:53:17: tests.checks[4].max_size: expected a size such as 500KB, 20MB or 1GiB (at most 8 EiB), found '1e30KB'"),
            ("infinite size", ("      max_size: 100KB", "      max_size: infKB"), "tests.checks[4].max_size: expected a size"),
            ("overflowing size", ("      max_size: 100KB", "      max_size: 9999999999999999999GiB"), "tests.checks[4].max_size: expected a size"),
            ("latency on no rows", ("      rows: 200", "      rows: 0"), "sluice.yml:50:13: tests.checks[3].rows: rows must be between 1 and 1000000, got 0"),
        ]
        for (name, edit, expected) in cases {
            let workspace = try RunWorkspace()
            try workspace.edit(edit.0, edit.1)
            let check = try SluiceBinary.run(["config", "check", "sluice.yml"], in: workspace.path)
            XCTAssertEqual(check.status, 2, "\(name): \(check.stderr)")
            XCTAssertTrue(check.stderr.contains(expected), "\(name): \(check.stderr)")
            let run = try workspace.run()
            XCTAssertEqual(run.status, 2, "\(name): \(run.stderr)")
            XCTAssertEqual(run.stderr, check.stderr, "\(name): run makes the same check first")
            XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.temp.file(".sluice")), "\(name): nothing was started")
        }
        let workspace = try RunWorkspace()
        let bootstrap = try SluiceBinary.run(["evaluate", "--predictions", "holdout.csv", "--bootstrap", "9223372036854775807"], in: workspace.path)
        XCTAssertEqual(bootstrap.status, 2, bootstrap.stderr)
        XCTAssertTrue(bootstrap.stderr.contains("--bootstrap must be at most 100000 resamples"), bootstrap.stderr)
    }

    /// JSON text with sorted keys, so two decoded values compare as what they say.
    private func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    private func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The file (device and inode) of the runtime layer's blob in a run's image layout.
    private func runtimeBlobFile(_ report: [String: Any], _ repo: TemporaryDirectory) throws -> [Int] {
        let image = try XCTUnwrap(report["image"] as? [String: Any])
        let layout = try XCTUnwrap((image["reference"] as? String)?.split(separator: ":").first)
        let layers = try XCTUnwrap(image["layers"] as? [[String: Any]])
        let runtime = try XCTUnwrap(layers.first { $0["name"] as? String == "runtime" }?["digest"] as? String)
        let blob = repo.file("\(layout)/blobs/sha256/\(runtime.dropFirst("sha256:".count))")
        let attributes = try FileManager.default.attributesOfItem(atPath: blob)
        return [try XCTUnwrap((attributes[.systemNumber] as? NSNumber)?.intValue), try XCTUnwrap((attributes[.systemFileNumber] as? NSNumber)?.intValue)]
    }

    private func stage(_ name: String, _ report: [String: Any]) -> String? {
        (report["stages"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["status"] as? String
    }
}
