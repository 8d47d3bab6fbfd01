import Foundation
import TestSupport
import XCTest
import Yams

/// `sluice init` run as a user would: on a copy of the example's reference data, in an
/// empty repository directory, then the files it wrote checked with Sluice itself and Yams.
final class InitEndToEndTests: XCTestCase {
    /// An empty repository with the example's reference data at `data/reference.csv`.
    private func repository() throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: repo.file("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.repo("templates/example/reference.csv"), toPath: repo.file("data/reference.csv"))
        return repo
    }

    /// The current batch and the holdout a user adds after `init`: the example's own.
    private func addBatches(_ repo: TemporaryDirectory) throws {
        for name in ["current.csv", "holdout.csv"] where !FileManager.default.fileExists(atPath: repo.file("data/\(name)")) {
            try FileManager.default.copyItem(atPath: Fixtures.repo("templates/example/\(name)"), toPath: repo.file("data/\(name)"))
        }
    }

    private func text(_ repo: TemporaryDirectory, _ name: String) throws -> String {
        try String(contentsOfFile: repo.file(name), encoding: .utf8)
    }

    /// A mapping's value for a string key, read from the node tree (Yams would turn GitHub's
    /// `on:` key into a boolean).
    private func value(_ node: Node?, _ key: String) -> Node? {
        node?.mapping?.first { $0.key.string == key }?.value
    }

    func testEachCIWritesAConfigThatPassesConfigCheckAndASchemaThatFitsTheData() throws {
        for ci in ["gitlab", "jenkins", "github"] {
            let repo = try repository()
            try addBatches(repo)
            let result = try SluiceBinary.run(["init", "--ci", ci, "--data", "data/reference.csv"], in: repo.path)
            XCTAssertEqual(result.status, 0, "\(ci): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("wrote sluice.yml"), result.stdout)
            XCTAssertFalse(result.stdout.contains("add data/"), "the batches are there: \(result.stdout)")
            XCTAssertTrue(result.stdout.contains("`sluice run` trains"), "the next steps say how the first model is made: \(result.stdout)")
            let check = try SluiceBinary.run(["config", "check", "sluice.yml"], in: repo.path)
            XCTAssertEqual(check.status, 0, "\(ci): \(check.stderr)")
            let validate = try SluiceBinary.run(["validate", "data/reference.csv", "--schema", "schema.json"], in: repo.path)
            XCTAssertEqual(validate.status, 0, "the inferred schema fits its data: \(validate.stdout)")

            let config = try text(repo, "sluice.yml")
            XCTAssertTrue(config.contains("reference: data/reference.csv"))
            XCTAssertTrue(config.contains("current: data/current.csv"))
            XCTAssertTrue(config.contains("holdout: data/holdout.csv"))
            XCTAssertTrue(config.contains("train_on: [reference, current]"))
            XCTAssertTrue(config.contains("task: binary"), "two label values make a binary task")
            XCTAssertTrue(config.contains("builtin: logistic-regression"))
            XCTAssertFalse(config.contains("positive_label"), "0/1 labels need no positive label")
        }
    }

    /// One of the two files beside the data: the user is setting batches up, so the config
    /// names both and the next steps and `config check` name the one still missing.
    func testAHalfSetUpBatchNamesTheFileStillMissing() throws {
        let repo = try repository()
        try FileManager.default.copyItem(atPath: Fixtures.repo("templates/example/current.csv"), toPath: repo.file("data/current.csv"))
        let result = try SluiceBinary.run(["init", "--data", "data/reference.csv"], in: repo.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("add data/holdout.csv ("), "the next steps name the file still missing: \(result.stdout)")
        let early = try SluiceBinary.run(["config", "check", "sluice.yml"], in: repo.path)
        XCTAssertEqual(early.status, 2, early.stderr)
        XCTAssertTrue(early.stderr.contains("evaluate.holdout: no such file: data/holdout.csv"), early.stderr)
        try addBatches(repo)
        XCTAssertEqual(try SluiceBinary.run(["config", "check", "sluice.yml"], in: repo.path).status, 0)
    }

    /// One labelled file and nothing else: `init` then `run` works as written (the file is
    /// its own current batch, rows held out by hash are the holdout), on a binary, a
    /// multiclass and a regression label.
    func testOneDataFileRunsRightAfterInit() throws {
        // titanic as a new user lays it out (data/titanic.csv): paths stay relative to the repository.
        for (scenario, label, data) in [("titanic", "survived", "data/titanic.csv"), ("penguins", "species", "data.csv"), ("diamonds", "price", "data.csv")] {
            let repo = try TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: repo.file("data"), withIntermediateDirectories: true)
            var rows = try String(contentsOfFile: Fixtures.path("scenarios/\(scenario)/reference.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
            if scenario == "titanic" {
                // seaborn's titanic has `alive`: the label spelled yes/no, which init must leave out.
                rows = rows.enumerated().map { $0 == 0 ? $1 + ",alive" : $1 + ($1.hasPrefix("1,") ? ",yes" : ",no") }
            }
            try repo.write(data, rows.joined(separator: "\n") + "\n")
            let initialised = try SluiceBinary.run(["init", "--data", data, "--label", label, "--ci", "gitlab"], in: repo.path)
            XCTAssertEqual(initialised.status, 0, "\(scenario): \(initialised.stderr)")
            XCTAssertTrue(initialised.stdout.contains("`sluice run` works now"), initialised.stdout)
            XCTAssertFalse(initialised.stdout.contains("add current.csv"), initialised.stdout)
            let config = try text(repo, "sluice.yml")
            let folder = (data as NSString).deletingLastPathComponent
            let holdout = folder.isEmpty ? "holdout.csv" : "\(folder)/holdout.csv"
            for line in ["  current: \(data) ", "  train_on: [reference] ", "  split: {holdout: 0.2} ", "  # holdout: \(holdout) "] {
                XCTAssertTrue(config.contains(line), "\(scenario): \(line) in \(config)")
            }
            XCTAssertFalse(config.contains("\n  holdout:"), "no holdout file beside split")
            XCTAssertTrue(config.contains("\n  - check: leakage "), "\(scenario): every starter gates leakage")
            if scenario == "titanic" {
                XCTAssertTrue(config.contains("\n  exclude: [alive] "), "the leaking feature is left out: \(config)")
                XCTAssertTrue(initialised.stdout.contains("alive gives 'survived' away ("), initialised.stdout)
            } else {
                XCTAssertFalse(config.contains("exclude:"), "\(scenario): no feature leaks")
            }
            let check = try SluiceBinary.run(["config", "check"], in: repo.path)
            XCTAssertEqual(check.status, 0, "\(scenario): \(check.stderr)")
            let run = try SluiceBinary.run(["run"], in: repo.path)
            XCTAssertEqual(run.status, 0, "\(scenario): \(run.stderr)")
            let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.file(".sluice/latest/run.json")))) as? [String: Any])
            XCTAssertEqual((report["outcome"] as? [String: Any])?["status"] as? String, "passed", "\(scenario): \(report["outcome"] ?? "")")
            XCTAssertTrue(run.stdout.contains("PASSED: candidate passed 2 of 3 gates (1 not applicable);"), "\(scenario): a first run's champion gate judges nothing\n\(run.stdout)")
            XCTAssertEqual((report["evaluation"] as? [String: Any])?["holdout"] as? String, "\(data) (20% held out)", scenario)
            XCTAssertEqual(((report["hygiene"] as? [String: Any])?["leakage"] as? [Any])?.count, 0, "\(scenario): no feature the model uses leaks the label")
            let leakageGate = (report["gates"] as? [[String: Any]])?.first { $0["kind"] as? String == "leakage" }
            XCTAssertEqual(leakageGate?["status"] as? String, "passed", "\(scenario): \(report["gates"] ?? "")")
            XCTAssertTrue(FileManager.default.fileExists(atPath: repo.file(".sluice/latest/report.html")), "\(scenario): the report is written")
        }
    }

    /// seaborn's taxis as a new user's one file: 8 of its 1,200 trips have no payment (the
    /// label). The first run leaves them out of training and evaluation, says so, and passes.
    func testRowsWithoutALabelAreLeftOutOfTheFirstRun() throws {
        let repo = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixtures.path("scenarios/taxis/reference.csv"), toPath: repo.file("data.csv"))
        let initialised = try SluiceBinary.run(["init", "--data", "data.csv", "--label", "payment", "--ci", "gitlab"], in: repo.path)
        XCTAssertEqual(initialised.status, 0, initialised.stderr)
        XCTAssertTrue(initialised.stdout.contains("label 'payment', binary task; 8 rows without a label, left out of training and evaluation"), initialised.stdout)
        let run = try SluiceBinary.run(["run"], in: repo.path)
        XCTAssertEqual(run.status, 0, "\(run.stdout)\n\(run.stderr)")
        XCTAssertTrue(run.stderr.contains("training data: 1192 rows from reference; 8 rows without a label in 'payment' left out"), run.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.file(".sluice/latest/run.json")))) as? [String: Any])
        let evaluation = try XCTUnwrap(report["evaluation"] as? [String: Any])
        // The one unlabelled trip the hash holds out; the other 7 fell on the training side.
        XCTAssertEqual(evaluation["unlabelledRows"] as? Int, 1, "\(evaluation)")
        XCTAssertEqual(evaluation["rowCount"] as? Int, 222)
        XCTAssertEqual(Set((evaluation["confusionMatrix"] as? [String: Any])?["labels"] as? [String] ?? []), ["cash", "credit card"], "an empty payment is not a class")
        XCTAssertTrue(try text(repo, ".sluice/latest/report.md").contains("(222 rows; 1 without a label left out)"))
    }

    /// The starter runs the whole loop once the current and holdout files are in place:
    /// train with the built-in trainer, evaluate, gate, package.
    func testStarterRunsTheWholeLoop() throws {
        for label in ["label", "annual_income"] {
            let repo = try repository()
            for name in ["current.csv", "holdout.csv"] {
                try FileManager.default.copyItem(atPath: Fixtures.repo("templates/example/\(name)"), toPath: repo.file("data/\(name)"))
            }
            XCTAssertEqual(try SluiceBinary.run(["init", "--data", "data/reference.csv", "--label", label], in: repo.path).status, 0)
            let run = try SluiceBinary.run(["run", "--mode", "nightly", "--format", "json"], in: repo.path)
            XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
            let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            XCTAssertEqual((report["outcome"] as? [String: Any])?["status"] as? String, "passed", "\(label): \(report["outcome"] ?? "")")
            XCTAssertNotNil((report["image"] as? [String: Any])?["digest"], "\(label): the passing candidate is packaged")
        }
    }

    /// A multiclass label (penguin species) runs the loop on the built-in multinomial
    /// logistic regression: the model is version 2 and the evaluation is multiclass.
    func testStarterRunsTheWholeLoopOnAMulticlassLabel() throws {
        let repo = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: repo.file("data"), withIntermediateDirectories: true)
        // palmerpenguins, ordered by species: every fifth row to the holdout, the next to the
        // current batch, the rest to the reference, so each file has every species.
        let lines = try String(contentsOfFile: Fixtures.path("training/penguins.csv"), encoding: .utf8).split(separator: "\n")
        var files: [String: [Substring]] = ["holdout.csv": [], "current.csv": [], "reference.csv": []]
        for (index, line) in lines.dropFirst().enumerated() {
            files[index % 5 == 0 ? "holdout.csv" : index % 5 == 1 ? "current.csv" : "reference.csv"]!.append(line)
        }
        for (name, rows) in files { try repo.write("data/\(name)", ([lines[0]] + rows).joined(separator: "\n") + "\n") }

        let initialised = try SluiceBinary.run(["init", "--data", "data/reference.csv", "--label", "species", "--ci", "gitlab"], in: repo.path)
        XCTAssertEqual(initialised.status, 0, initialised.stderr)
        let run = try SluiceBinary.run(["run", "--mode", "nightly", "--format", "json"], in: repo.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["outcome"] as? [String: Any])?["status"] as? String, "passed", "\(report["outcome"] ?? "")")
        let evaluation = try XCTUnwrap(report["evaluation"] as? [String: Any])
        XCTAssertEqual(evaluation["task"] as? String, "multiclass")
        let metrics = try XCTUnwrap(evaluation["metrics"] as? [[String: Any]])
        let balanced = try XCTUnwrap(metrics.first { $0["name"] as? String == "balanced_accuracy" }?["candidate"] as? Double)
        XCTAssertGreaterThan(balanced, 0.9, "species is well predicted from the bill and flipper measurements")
        let model = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.file(".sluice/model/model.json")))) as? [String: Any])
        XCTAssertEqual(model["version"] as? Int, 2)
        XCTAssertEqual(model["classes"] as? [String], ["Adelie", "Chinstrap", "Gentoo"])

        let predicted = try SluiceBinary.run(["predict", "--model", ".sluice/model/model.json", "--data", "data/holdout.csv", "--out", "p.csv"], in: repo.path)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        XCTAssertTrue(try text(repo, "p.csv").hasPrefix("prediction,proba_Adelie,proba_Chinstrap,proba_Gentoo\n"))
    }

    /// Parquet reference data (all of palmerpenguins as polars writes it, in row groups, with nulls): the schema's
    /// types come from the file's own metadata, the starter names Parquet batches beside it,
    /// and the first run holds rows out of the Parquet file, trains, evaluates and packages.
    func testAParquetFileRunsRightAfterInit() throws {
        let repo = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: repo.file("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("parquet/polars-penguins-groups.parquet"), toPath: repo.file("data/penguins.parquet"))
        let initialised = try SluiceBinary.run(["init", "--data", "data/penguins.parquet", "--label", "species"], in: repo.path)
        XCTAssertEqual(initialised.status, 0, initialised.stderr)
        XCTAssertTrue(initialised.stdout.contains("data/current.parquet"), initialised.stdout)
        let schema = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.file("schema.json")))) as? [String: Any])
        let types = Dictionary(uniqueKeysWithValues: try XCTUnwrap(schema["fields"] as? [[String: Any]]).map { ($0["name"] as! String, $0["type"] as? String) })
        XCTAssertEqual(types["bill_length_mm"], "number")
        XCTAssertEqual(types["flipper_length_mm"], "integer")
        XCTAssertEqual(try SluiceBinary.run(["config", "check"], in: repo.path).status, 0)

        let run = try SluiceBinary.run(["run", "--mode", "nightly", "--format", "json"], in: repo.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["outcome"] as? [String: Any])?["status"] as? String, "passed", "\(report["outcome"] ?? "")")
        XCTAssertEqual((report["evaluation"] as? [String: Any])?["task"] as? String, "multiclass")
        XCTAssertNotNil((report["image"] as? [String: Any])?["digest"], "the passing candidate is packaged")
    }

    func testGitLabFileIncludesTheComponentAndDeclaresItsStage() throws {
        let repo = try repository()
        XCTAssertEqual(try SluiceBinary.run(["init", "--ci", "gitlab", "--data", "data/reference.csv"], in: repo.path).status, 0)
        let document = try XCTUnwrap(try Yams.load(yaml: try text(repo, ".gitlab-ci.yml")) as? [String: Any])
        XCTAssertEqual(document["stages"] as? [String], ["test"])
        let include = try XCTUnwrap((document["include"] as? [[String: Any]])?.first)
        let component = try XCTUnwrap(include["component"] as? String)
        XCTAssertTrue(component.hasPrefix("$CI_SERVER_FQDN/") && component.contains("/sluice-run@"), component)
        let inputs = try XCTUnwrap(include["inputs"] as? [String: Any])
        XCTAssertEqual(inputs["config"] as? String, "sluice.yml")
        XCTAssertEqual(inputs["stage"] as? String, "test", "the component's jobs run in a declared stage")
        XCTAssertEqual(inputs["image"] as? String, "$SLUICE_IMAGE")
        // Every input given is one the component declares.
        let componentSpec = try String(contentsOfFile: Fixtures.repo("ci/gitlab/templates/sluice-run.yml"), encoding: .utf8)
        let declared = try XCTUnwrap((((Array(try Yams.load_all(yaml: componentSpec))[0] as? [String: Any])?["spec"] as? [String: Any])?["inputs"] as? [String: Any]))
        XCTAssertEqual(Set(inputs.keys).subtracting(declared.keys), [])
    }

    func testGitHubWorkflowRunsOnPullRequestsAndNightly() throws {
        let repo = try repository()
        XCTAssertEqual(try SluiceBinary.run(["init", "--ci", "github", "--data", "data/reference.csv"], in: repo.path).status, 0)
        let workflow = try XCTUnwrap(try Yams.compose(yaml: try text(repo, ".github/workflows/sluice.yml")))
        let on = value(workflow, "on")
        XCTAssertNotNil(value(on, "pull_request"))
        let cron = value(value(on, "schedule")?.sequence?.first, "cron")?.string
        XCTAssertEqual(cron?.split(separator: " ").count, 5, "a nightly cron: \(cron ?? "none")")
        let permissions = value(workflow, "permissions")
        XCTAssertEqual(value(permissions, "pull-requests")?.string, "write")
        XCTAssertEqual(value(permissions, "statuses")?.string, "write")
        let steps = try XCTUnwrap(value(value(value(workflow, "jobs"), "sluice"), "steps")?.sequence)
        let run = try XCTUnwrap(steps.compactMap { value($0, "run")?.string }.first)
        XCTAssertTrue(run.hasPrefix("sluice run --config sluice.yml --mode ${{"), run)
        XCTAssertTrue(run.contains("'pull_request' && 'mr' || 'nightly'"), run)
        let runStep = try XCTUnwrap(steps.first { value($0, "run") != nil })
        XCTAssertEqual(value(value(runStep, "env"), "GITHUB_TOKEN")?.string, "${{ secrets.GITHUB_TOKEN }}")
        let upload = try XCTUnwrap(steps.first { value($0, "uses")?.string?.hasPrefix("actions/upload-artifact@") == true })
        XCTAssertEqual(value(value(upload, "with"), "path")?.string, ".sluice/latest/")
        XCTAssertEqual(value(upload, "if")?.string, "always()")
    }

    func testJenkinsfileIsTheExampleInCI() throws {
        let repo = try repository()
        XCTAssertEqual(try SluiceBinary.run(["init", "--ci", "jenkins", "--data", "data/reference.csv"], in: repo.path).status, 0)
        let written = try text(repo, "Jenkinsfile")
        XCTAssertEqual(written, try String(contentsOfFile: Fixtures.repo("ci/jenkins/Jenkinsfile"), encoding: .utf8),
                       "ci/jenkins/Jenkinsfile is what sluice init writes: change both together")
        XCTAssertTrue(written.contains("sluiceRun(config: 'sluice.yml', mode: 'mr')"))
        XCTAssertTrue(written.contains("disableConcurrentBuilds()"), "runs that promote never overlap (issue 12 item 8)")
    }

    func testRefusesToReplaceFilesAndWritesNothing() throws {
        let repo = try repository()
        try repo.write("sluice.yml", "mine\n")
        try repo.write(".gitlab-ci.yml", "also mine\n")
        let refused = try SluiceBinary.run(["init", "--ci", "gitlab", "--data", "data/reference.csv"], in: repo.path)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("sluice.yml, .gitlab-ci.yml already exist"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.file("schema.json")), "nothing is written when one file exists")
        XCTAssertEqual(try text(repo, "sluice.yml"), "mine\n")

        let forced = try SluiceBinary.run(["init", "--ci", "gitlab", "--data", "data/reference.csv", "--force"], in: repo.path)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try text(repo, "sluice.yml").contains("split: {holdout: 0.2}"))
        XCTAssertTrue(try text(repo, ".gitlab-ci.yml").contains("include:"))
    }

    func testMissingLabelAndMissingDataAreUsageErrors() throws {
        let repo = try repository()
        let wrong = try SluiceBinary.run(["init", "--data", "data/reference.csv", "--label", "churned"], in: repo.path)
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("no column 'churned'"), wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("customer_id, signup_date"), "the columns are listed: \(wrong.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.file("sluice.yml")))

        let noData = try SluiceBinary.run(["init", "--ci", "github"], in: repo.path)
        XCTAssertEqual(noData.status, 2)
        XCTAssertTrue(noData.stderr.contains("needs --data FILE"), noData.stderr)
        let absent = try SluiceBinary.run(["init", "--data", "data/none.csv"], in: repo.path)
        XCTAssertEqual(absent.status, 2)
        XCTAssertTrue(absent.stderr.contains("data/none.csv: no such file"), absent.stderr)

        try repo.write("data/unlabelled.csv", "a,b\n1,2\n3,4\n")
        let unnamed = try SluiceBinary.run(["init", "--data", "data/unlabelled.csv"], in: repo.path)
        XCTAssertEqual(unnamed.status, 2)
        XCTAssertTrue(unnamed.stderr.contains("name the label column with --label (columns: a, b)"), unnamed.stderr)
    }

    func testTaskFollowsTheLabel() throws {
        // A number with many values: regression with the built-in linear regression.
        let regression = try repository()
        let byIncome = try SluiceBinary.run(["init", "--data", "data/reference.csv", "--label", "annual_income"], in: regression.path)
        XCTAssertEqual(byIncome.status, 0, byIncome.stderr)
        let regressionConfig = try text(regression, "sluice.yml")
        XCTAssertTrue(regressionConfig.contains("task: regression"))
        XCTAssertTrue(regressionConfig.contains("builtin: linear-regression"))
        XCTAssertTrue(regressionConfig.contains("metric: r2"))
        try addBatches(regression)
        XCTAssertEqual(try SluiceBinary.run(["config", "check"], in: regression.path).status, 0)

        // A few text values: multiclass, with the built-in (multinomial) logistic regression.
        let multiclass = try repository()
        let byRegion = try SluiceBinary.run(["init", "--data", "data/reference.csv", "--label", "region"], in: multiclass.path)
        XCTAssertEqual(byRegion.status, 0, byRegion.stderr)
        let multiclassConfig = try text(multiclass, "sluice.yml")
        XCTAssertTrue(multiclassConfig.contains("task: multiclass"))
        XCTAssertTrue(multiclassConfig.contains("\ntrain:\n  builtin: logistic-regression"), multiclassConfig)
        XCTAssertFalse(multiclassConfig.contains("positive_label"), multiclassConfig)
        XCTAssertTrue(multiclassConfig.contains("metric: balanced_accuracy"))
        try addBatches(multiclass)
        let checked = try SluiceBinary.run(["config", "check"], in: multiclass.path)
        XCTAssertEqual(checked.status, 0, checked.stderr)

        // Two words: binary, the rarer one positive, for the trainer and the evaluator alike.
        let words = try TemporaryDirectory()
        try words.write("churn.csv", "id,plan,left\n1,basic,no\n2,basic,yes\n3,pro,no\n4,pro,no\n5,basic,yes\n6,pro,no\n")
        try words.write("current.csv", "id,plan,left\n7,basic,yes\n8,pro,no\n")
        try words.write("holdout.csv", "id,plan,left\n9,basic,yes\n10,pro,no\n")
        XCTAssertEqual(try SluiceBinary.run(["init", "--data", "churn.csv", "--label", "left", "--ci", "github"], in: words.path).status, 0)
        let wordsConfig = try text(words, "sluice.yml")
        XCTAssertEqual(wordsConfig.components(separatedBy: "positive_label: \"yes\"").count, 3, wordsConfig)
        XCTAssertTrue(wordsConfig.contains("current: current.csv"), "files beside the data at the root")
        XCTAssertEqual(try SluiceBinary.run(["config", "check"], in: words.path).status, 0)

        // One value: nothing to learn.
        try words.write("same.csv", "x,y\n1,a\n2,a\n")
        let constant = try SluiceBinary.run(["init", "--data", "same.csv", "--label", "y", "--force"], in: words.path)
        XCTAssertEqual(constant.status, 2)
        XCTAssertTrue(constant.stderr.contains("label column 'y' has one value ('a') only"), constant.stderr)
    }

    func testDirectoryElsewhereAndDataOutsideIt() throws {
        let repo = try repository()
        let result = try SluiceBinary.run(["init", "--data", "data/reference.csv", "--dir", "model", "--ci", "jenkins"], in: repo.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("wrote model/Jenkinsfile"), result.stdout)
        XCTAssertTrue(try text(repo, "model/sluice.yml").contains("reference: ../data/reference.csv"))
        XCTAssertTrue(result.stderr.contains("warning: data/reference.csv is outside model"), result.stderr)
        try addBatches(repo)
        XCTAssertEqual(try SluiceBinary.run(["config", "check", "model/sluice.yml"], in: repo.path).status, 0)
    }

    /// `.sluice/` stays out of git (an existing .gitignore keeps its lines), the Jenkinsfile
    /// names no branch, and a second CI system is added to an initialised repository
    /// without --data.
    func testGitignoreJenkinsDefaultBranchAndASecondCI() throws {
        let repo = try repository()
        try repo.write(".gitignore", "build/\n*.pyc")
        XCTAssertEqual(try SluiceBinary.run(["init", "--data", "data/reference.csv", "--ci", "jenkins"], in: repo.path).status, 0)
        XCTAssertEqual(try text(repo, ".gitignore"), "build/\n*.pyc\n# Sluice: runs, working copies of data, models and the run cache\n.sluice/\n")
        let jenkinsfile = try text(repo, "Jenkinsfile")
        XCTAssertFalse(jenkinsfile.contains("'main'"), "no hard-coded branch: \(jenkinsfile)")
        XCTAssertTrue(jenkinsfile.contains("env.BRANCH_IS_PRIMARY == 'true'"))

        let config = try text(repo, "sluice.yml")
        let second = try SluiceBinary.run(["init", "--ci", "gitlab"], in: repo.path)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("wrote .gitlab-ci.yml"), second.stdout)
        XCTAssertEqual(try text(repo, "sluice.yml"), config, "the existing configuration is untouched")
        XCTAssertEqual(try text(repo, ".gitignore").components(separatedBy: ".sluice/").count, 2, "the ignore line is not added twice")

        let empty = try TemporaryDirectory()
        let refused = try SluiceBinary.run(["init", "--ci", "gitlab"], in: empty.path)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("needs --data FILE"), refused.stderr)
    }
}
