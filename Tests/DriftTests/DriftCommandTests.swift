import Core
import Foundation
import ReportModel
import Stats
import TestSupport
import XCTest

/// End to end: the built `sluice` binary on real files, as a CI job runs it.
final class DriftCommandTests: XCTestCase {
    private let example = Fixtures.repo("templates/example")

    func testExampleDriftFindsTheDriftedFeatures() throws {
        let result = try SluiceBinary.run(["drift", "--reference", "\(example)/reference.csv", "--current", "\(example)/current.csv",
                                           "--schema", "\(example)/schema.json", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try JSONOutput.decoder().decode(DriftSummary.self, from: Data(result.stdout.utf8))
        XCTAssertEqual(Set(summary.features.filter(\.drifted).map(\.name)), ["region", "annual_income", "monthly_charges"])
        XCTAssertFalse(summary.features.contains { $0.name == "customer_id" || $0.name == "signup_date" }, "identifiers and dates are not features")
        XCTAssertFalse(summary.features.contains { $0.name == "label" }, "the label is not a feature, as in sluice run")
        XCTAssertFalse(summary.datasetDrift, "3 of 12 is below the default share")
        XCTAssertEqual(summary.features.first { $0.name == "annual_income" }?.method, .measured(.wasserstein))
        XCTAssertEqual(summary.features.first { $0.name == "region" }?.distribution?.bins.count, 5)
    }

    func testFailOnDriftExitsOneAndTextTableNamesTheFeatures() throws {
        let arguments = ["drift", "--reference", "\(example)/reference.csv", "--current", "\(example)/current.csv",
                         "--schema", "\(example)/schema.json", "--drift-share", "0.2"]
        let passing = try SluiceBinary.run(arguments)
        XCTAssertEqual(passing.status, 0, passing.stderr)
        XCTAssertTrue(passing.stdout.hasPrefix("Dataset drift detected: 3 of 12 features drifted"), passing.stdout)
        XCTAssertTrue(passing.stdout.contains("annual_income"))
        let failing = try SluiceBinary.run(arguments + ["--fail-on-drift", "--format", "markdown"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.stdout.contains("| `annual_income` | numeric | wasserstein |"), failing.stdout)
    }

    func testHelpDocumentsTheCommands() throws {
        let drift = try SluiceBinary.run(["drift", "--help"])
        XCTAssertEqual(drift.status, 0, drift.stderr)
        XCTAssertTrue(drift.stdout.contains("--reference <reference>"), drift.stdout)
        XCTAssertTrue(drift.stdout.contains("Methods: ks, wasserstein, psi, jensenshannon, js_divergence, l_infinity,"), drift.stdout)
        let merge = try SluiceBinary.run(["profile", "merge", "--help"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertTrue(merge.stdout.contains("Merge profiles of disjoint parts"), merge.stdout)
    }

    func testUsageAndRuntimeErrors() throws {
        let badMethod = try SluiceBinary.run(["drift", "--reference", "\(example)/reference.csv", "--current", "\(example)/current.csv", "--method", "anova"])
        XCTAssertEqual(badMethod.status, 2)
        XCTAssertTrue(badMethod.stderr.contains("unknown drift method anova; expected auto or one of ks, wasserstein, psi"), badMethod.stderr)
        let missing = try SluiceBinary.run(["drift", "--reference", "/nonexistent/ref.csv", "--current", "\(example)/current.csv"])
        XCTAssertEqual(missing.status, 3, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/ref.csv"))
        let badShard = try SluiceBinary.run(["profile", "\(example)/reference.csv", "--shard", "5/4", "--out", "/tmp/x.json"])
        XCTAssertEqual(badShard.status, 2)
        XCTAssertTrue(badShard.stderr.contains("--shard 5/4: expected i/N with 1 <= i <= N"), badShard.stderr)
    }

    func testShardProfilesMergeIntoTheWholeAndDriveDrift() throws {
        let directory = try TemporaryDirectory()
        let data = "\(example)/reference.csv"
        let whole = directory.file("whole.json")
        let run = try SluiceBinary.run(["profile", data, "--schema", "\(example)/schema.json", "--out", whole])
        XCTAssertEqual(run.status, 0, run.stderr)
        var shards: [String] = []
        for index in 1...3 {
            let shard = directory.file("shard-\(index).json")
            let result = try SluiceBinary.run(["profile", data, "--schema", "\(example)/schema.json", "--shard", "\(index)/3", "--out", shard, "--quiet"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, "")
            shards.append(shard)
        }
        let merged = directory.file("merged.json")
        let merge = try SluiceBinary.run(["profile", "merge"] + shards + ["--out", merged])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(merge.stdout, "merged 3 profiles, 4000 rows -> \(merged)\n")
        let a = try Profile.read(path: whole), b = try Profile.read(path: merged)
        XCTAssertEqual(a.rowCount, b.rowCount)
        for column in a.columns {
            let other = try XCTUnwrap(b.column(column.name))
            XCTAssertEqual(other.count, column.count, column.name)
            XCTAssertEqual(other.missing, column.missing, column.name)
            XCTAssertEqual(other.numbers.minimum, column.numbers.minimum, column.name)
            XCTAssertEqual(other.numbers.maximum, column.numbers.maximum, column.name)
            XCTAssertEqual(other.numbers.mean, column.numbers.mean, accuracy: abs(column.numbers.mean) * 1e-12 + 1e-12, column.name)
            XCTAssertEqual(other.summary?.variance ?? 0, column.summary?.variance ?? 0, accuracy: (column.summary?.variance ?? 0) * 1e-12, column.name)
            XCTAssertEqual(other.summary?.topValues, column.summary?.topValues, column.name)
        }
        // A profile stands in for the reference data; the verdicts stay the same.
        let drift = try SluiceBinary.run(["drift", "--reference", merged, "--current", "\(example)/current.csv",
                                          "--schema", "\(example)/schema.json", "--format", "json"])
        XCTAssertEqual(drift.status, 0, drift.stderr)
        let summary = try JSONOutput.decoder().decode(DriftSummary.self, from: Data(drift.stdout.utf8))
        XCTAssertTrue(summary.fromSketches)
        XCTAssertEqual(Set(summary.features.filter(\.drifted).map(\.name)), ["region", "annual_income", "monthly_charges"])
    }

    /// In a project, `sluice profile` profiles `data.current` typed by `data.schema`, the
    /// schema `sluice drift` reads: a profile made there as the current side gives the
    /// drift of the data file itself (no column seen as changing type), as the GitLab
    /// component's parallel profiling jobs rely on.
    func testInAProjectAProfileIsTypedByTheSchemaDriftReads() throws {
        let directory = try TemporaryDirectory()
        let project = directory.file("project")
        try FileManager.default.copyItem(atPath: example, toPath: project)
        let profile = try SluiceBinary.run(["profile", "--out", "current.profile.json"], in: project)
        XCTAssertEqual(profile.status, 0, profile.stderr)
        XCTAssertTrue(profile.stdout.hasPrefix("profiled 3000 rows, 15 columns of \(project)/current.csv"), profile.stdout)
        let fromProfile = try SluiceBinary.run(["drift", "--current", "current.profile.json", "--format", "json"], in: project)
        let fromData = try SluiceBinary.run(["drift", "--format", "json"], in: project)
        XCTAssertEqual(fromProfile.status, 0, fromProfile.stderr)
        let profiled = try JSONOutput.decoder().decode(DriftSummary.self, from: Data(fromProfile.stdout.utf8))
        let read = try JSONOutput.decoder().decode(DriftSummary.self, from: Data(fromData.stdout.utf8))
        XCTAssertEqual(profiled.features.map(\.method), read.features.map(\.method), "every feature compared as it is on the data")
        XCTAssertEqual(profiled.features.first { $0.name == "annual_income" }?.method, .measured(.wasserstein), "a numeric column by the schema, not a type change")
        XCTAssertEqual(Set(profiled.features.filter(\.drifted).map(\.name)), Set(read.features.filter(\.drifted).map(\.name)))

        let elsewhere = try SluiceBinary.run(["profile", "--out", "p.json"], in: directory.path)
        XCTAssertEqual(elsewhere.status, 2)
        XCTAssertTrue(elsewhere.stderr.contains("no data to profile: give DATA, or data.current in sluice.yml"), elsewhere.stderr)
    }

    func testValidateWritesTheSameProfileInTheSamePass() throws {
        let directory = try TemporaryDirectory()
        let alongside = directory.file("validate.profile.json"), alone = directory.file("profile.json")
        let validate = try SluiceBinary.run(["validate", "\(example)/reference.csv", "--schema", "\(example)/schema.json", "--profile", alongside])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        let profile = try SluiceBinary.run(["profile", "\(example)/reference.csv", "--schema", "\(example)/schema.json", "--out", alone])
        XCTAssertEqual(profile.status, 0, profile.stderr)
        XCTAssertEqual(try Profile.read(path: alongside).columns, try Profile.read(path: alone).columns)
    }

    /// `validate --profile` hands the profiler the numbers its checks read; where the two
    /// would read a cell differently (an integer's "-0", white space, a field's own number
    /// syntax, cells the checks refuse) the profiler reads it itself, so the profile is
    /// byte for byte the one `profile` writes.
    func testValidateHandsOverItsNumbersWithoutChangingTheProfile() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("awkward.csv"), schema = directory.file("awkward.schema.json")
        var rows = ["count,amount,comma,grouped,name,year"]
        let awkward = ["-0,-0.0,\"1,5\",\"1,000\",a,2020", "\" 5\",\" 2.5 \",\"-0,0\",12,b,1999", "+7,1e3,3,\"2,5\",c,x",
                       "1e3,inf,NaN,7,d,2001", ",NA,,,,", "150,150.5,0,0,e,2002", "9007199254740993,0.1,2,3", "4,5,6,7,f,2003,extra", "x,y,z,w,g,h"]
        for index in 0..<3_000 {
            // Past the exact counts' 1024 values, so the sketches hold the numbers read.
            rows.append(index % 10 == 0 ? awkward[index / 10 % awkward.count] : "\(index % 2000 - 1000),\(Double(index) * 1.25 - 7),\(index % 7),\(index),n\(index % 13),\(1900 + index % 120)")
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        try #"""
        {"missingValues": ["", "NA"], "fields": [
          {"name": "count", "type": "integer", "constraints": {"minimum": -900}},
          {"name": "amount", "type": "number", "constraints": {"maximum": 100}},
          {"name": "comma", "type": "number", "decimalChar": ","},
          {"name": "grouped", "type": "integer", "groupChar": ",", "bareNumber": false},
          {"name": "name", "type": "string"},
          {"name": "year", "type": "year"}]}
        """#.write(toFile: schema, atomically: true, encoding: .utf8)
        let alongside = directory.file("validate.profile.json"), alone = directory.file("profile.json")
        let validate = try SluiceBinary.run(["validate", data, "--schema", schema, "--profile", alongside, "--quiet"])
        XCTAssertEqual(validate.status, 1, validate.stderr)
        let profile = try SluiceBinary.run(["profile", data, "--schema", schema, "--out", alone, "--quiet"])
        XCTAssertEqual(profile.status, 0, profile.stderr)
        XCTAssertEqual(try String(contentsOfFile: alongside, encoding: .utf8), try String(contentsOfFile: alone, encoding: .utf8))
        let count = try XCTUnwrap(try Profile.read(path: alongside).column("count"))
        XCTAssertFalse(count.quantileSketch.isExact, "the numbers went through the sketches")
        XCTAssertGreaterThanOrEqual(count.zeros, 30, "the integer -0 counted as a zero")
    }

    func testMergeRejectsSomethingThatIsNotAProfile() throws {
        let result = try SluiceBinary.run(["profile", "merge", "\(example)/schema.json", "--out", "/tmp/never.json"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("schema.json: not a Sluice profile"), result.stderr)
    }
}
