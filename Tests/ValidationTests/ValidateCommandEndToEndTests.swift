import Foundation
import TestSupport
import XCTest

/// Runs the built `sluice` binary as a CI job would.
final class ValidateCommandEndToEndTests: XCTestCase {
    private let exampleSchema = Fixtures.repo("templates/example/schema.json")

    func testValidExampleExitsZero() throws {
        let result = try SluiceBinary.run(["validate", Fixtures.repo("templates/example/reference.csv"), "--schema", exampleSchema])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("✓ valid: "))
        XCTAssertTrue(result.stdout.contains("4000 rows, 15 fields checked"))
    }

    func testInvalidExampleExitsOneWithTheErrorsInEveryFormat() throws {
        let current = Fixtures.repo("templates/example/current.csv")
        let text = try SluiceBinary.run(["validate", current, "--schema", exampleSchema])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("6 errors in 3000 rows"))
        XCTAssertTrue(text.stdout.contains("row 859 age: constraint-error: 212 is above the maximum 100"))

        let json = try SluiceBinary.run(["validate", current, "--schema", exampleSchema, "--format", "json", "--max-errors", "2"])
        XCTAssertEqual(json.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["valid"] as? Bool, false)
        XCTAssertEqual(object["errorCount"] as? Int, 6)
        XCTAssertEqual(object["errorLimitReached"] as? Bool, true)
        XCTAssertEqual((object["firstErrors"] as? [Any])?.count, 2)
        XCTAssertEqual(object["errorsByType"] as? [String: Int], ["constraint-error": 3, "type-error": 2, "primary-key": 1])

        let junit = try SluiceBinary.run(["validate", current, "--schema", exampleSchema, "--format", "junit"])
        XCTAssertEqual(junit.status, 1)
        XCTAssertTrue(junit.stdout.contains(#"tests="19" failures="6""#), junit.stdout)
        XCTAssertTrue(junit.stdout.contains(#"name="field age">"#))
    }

    /// Colour is decided per stream: a terminal on stdout colours stdout even when stderr is
    /// a file; a file on stdout gets none while stderr is a terminal; NO_COLOR wins.
    /// util-linux's `script` gives the command a terminal.
    func testColourFollowsTheStreamItGoesTo() throws {
        let script = "/usr/bin/script"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: script), "util-linux's script gives a command a terminal")
        let dir = try TemporaryDirectory()
        let command = [SluiceBinary.path, "validate", Fixtures.repo("templates/example/current.csv"), "--schema", exampleSchema]
            .map { "'\($0)'" }.joined(separator: " ")
        func underTerminal(_ shell: String, environment: [String: String] = [:]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = ["-qec", shell, "/dev/null"]
            process.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm"].merging(environment) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let escape = "\u{1B}["
        let terminalStdout = try underTerminal("\(command) 2>'\(dir.file("err.txt"))'")
        XCTAssertTrue(terminalStdout.contains(escape + "31m✗ invalid"), terminalStdout)
        _ = try underTerminal("\(command) >'\(dir.file("out.txt"))'")
        let fileStdout = try String(contentsOfFile: dir.file("out.txt"), encoding: .utf8)
        XCTAssertTrue(fileStdout.hasPrefix("✗ invalid: "), fileStdout)
        XCTAssertFalse(fileStdout.contains(escape), "no colour into a file while stderr is a terminal")
        let noColour = try underTerminal("\(command) 2>/dev/null", environment: ["NO_COLOR": "1"])
        XCTAssertTrue(noColour.contains("✗ invalid: "), noColour)
        XCTAssertFalse(noColour.contains(escape), noColour)
    }

    func testInferThenValidateRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let schemaPath = dir.file("inferred.json")
        let reference = Fixtures.repo("templates/example/reference.csv")
        let infer = try SluiceBinary.run(["schema", "infer", reference, "--out", schemaPath, "--bounds"])
        XCTAssertEqual(infer.status, 0, infer.stderr)
        XCTAssertEqual(infer.stdout, "")
        XCTAssertTrue(infer.stderr.contains("15 fields"))
        let check = try SluiceBinary.run(["validate", reference, "--schema", schemaPath])
        XCTAssertEqual(check.status, 0, check.stdout)
        let toStdout = try SluiceBinary.run(["schema", "infer", reference, "--enum-threshold", "0"])
        XCTAssertEqual(toStdout.status, 0)
        XCTAssertFalse(toStdout.stdout.contains("\"enum\""))
    }

    func testThreadsGiveTheOneThreadReport() throws {
        let dir = try TemporaryDirectory()
        var text = "customer_id,note,age\n"
        for row in 0..<400 {
            let note = row % 3 == 0 ? "\"two\nlines, \"\"quoted\"\"\"" : "plain"
            let age = row % 17 == 0 ? "old" : String(row % 120)
            text += "\(row % 37 == 0 ? 5 : row),\(note),\(age)\n"
        }
        let data = try dir.write("d.csv", text)
        let schema = try dir.write("s.json", #"{"fields": [{"name": "customer_id", "type": "integer", "constraints": {"unique": true}}, {"name": "note", "type": "string"}, {"name": "age", "type": "integer", "constraints": {"maximum": 100}}]}"#)
        let one = try SluiceBinary.run(["validate", data, "--schema", schema, "--format", "json", "--threads", "1"])
        XCTAssertEqual(one.status, 1, one.stderr)
        XCTAssertTrue(one.stdout.contains(#""unique-error""#))
        // 50-byte chunks: cuts everywhere, many inside the two-line notes.
        let three = try SluiceBinary.run(["validate", data, "--schema", schema, "--format", "json", "--threads", "3"], environment: ["SLUICE_CHUNK_BYTES": "50"])
        XCTAssertEqual(three.status, 1, three.stderr)
        XCTAssertEqual(three.stdout, one.stdout)
        let zero = try SluiceBinary.run(["validate", data, "--schema", schema, "--threads", "0"])
        XCTAssertEqual(zero.status, 2)
        XCTAssertTrue(zero.stderr.contains("--threads must be 1 or more"), zero.stderr)
    }

    /// `--threads` inside `--shard` byte ranges: the parts merge into the report the parts of
    /// one thread give, and that is the single pass's.
    func testThreadsWithinShardsMergeIntoTheOneThreadReport() throws {
        let dir = try TemporaryDirectory()
        var text = "customer_id,note,age\n"
        for row in 0..<600 {
            let note = row % 4 == 0 ? "\"cut\r\nhere, \"\"maybe\"\"\"" : "n\(row % 50)"
            text += "\(row % 41 == 0 ? 7 : row),\(note),\(row % 13 == 0 ? "x" : String(row % 120))\n"
        }
        let data = try dir.write("d.csv", text)
        let schema = try dir.write("s.json", #"{"fields": [{"name": "customer_id", "type": "integer", "constraints": {"unique": true}}, {"name": "note", "type": "string"}, {"name": "age", "type": "integer", "constraints": {"maximum": 100}}], "primaryKey": ["note"]}"#)
        func merged(threads: String) throws -> String {
            var parts: [String] = []
            for k in 1...3 {
                let part = dir.file("part-\(k)-\(threads).json")
                let run = try SluiceBinary.run(["validate", data, "--schema", schema, "--shard", "\(k)/3", "--part", part, "--threads", threads], environment: ["SLUICE_CHUNK_BYTES": "50"])
                XCTAssertEqual(run.status, 0, run.stderr)
                parts.append(part)
            }
            let merge = try SluiceBinary.run(["validate", "merge"] + parts + ["--schema", schema, "--format", "json"])
            XCTAssertEqual(merge.status, 1, merge.stderr)
            return merge.stdout
        }
        let one = try merged(threads: "1")
        XCTAssertTrue(one.contains(#""unique-error""#) && one.contains(#""primary-key""#), one)
        XCTAssertEqual(try merged(threads: "3"), one)
        let whole = try SluiceBinary.run(["validate", data, "--schema", schema, "--format", "json", "--threads", "1"])
        let counts = { (text: String) -> [String: Int]? in
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["errorsByType"] as? [String: Int]
        }
        XCTAssertEqual(counts(one), counts(whole.stdout))
    }

    // MARK: Bad input: a clear message and the right exit code, never a crash

    func testBadSchemasExitTwoWithTheirJSONPath() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("d.csv", "a\n1\n")
        let cases: [(String, String)] = [
            ("this is not json", "not valid JSON"),
            (#"{"fields": [{"name": "a", "type": "integr"}]}"#, #"fields[0].type: unknown type "integr""#),
            (#"{"fields": [{"name": "a", "constraints": {"pattern": "(unclosed"}}]}"#, #"fields[0].constraints.pattern: "(unclosed" is not a valid regular expression"#),
            (#"{"fields": [{"name": "a", "constraints": {"maxLenght": 3}}]}"#, #"fields[0].constraints.maxLenght: unknown constraint"#),
            (#"{"fields": [{"name": "a", "type": "integer", "constraints": {"minimum": "abc"}}]}"#, #"fields[0].constraints.minimum: expected an integer, got "abc""#),
        ]
        for (schema, expected) in cases {
            let schemaPath = try dir.write("s.json", schema)
            let result = try SluiceBinary.run(["validate", data, "--schema", schemaPath])
            XCTAssertEqual(result.status, 2, schema)
            XCTAssertTrue(result.stderr.contains("error: \(schemaPath): "), result.stderr)
            XCTAssertTrue(result.stderr.contains(expected), "\(result.stderr) should contain \(expected)")
            XCTAssertEqual(result.stdout, "")
        }
    }

    func testMissingFilesAndBadArguments() throws {
        let dir = try TemporaryDirectory()
        let schemaPath = try dir.write("s.json", #"{"fields": [{"name": "a"}]}"#)
        let data = try dir.write("d.csv", "a\n1\n")

        let noData = try SluiceBinary.run(["validate", dir.file("absent.csv"), "--schema", schemaPath])
        XCTAssertEqual(noData.status, 3)
        XCTAssertTrue(noData.stderr.contains("absent.csv: cannot read: no such file"), noData.stderr)

        let noSchema = try SluiceBinary.run(["validate", data, "--schema", dir.file("absent.json")])
        XCTAssertEqual(noSchema.status, 2)
        XCTAssertTrue(noSchema.stderr.contains("absent.json: no such schema file"), noSchema.stderr)

        let badDelimiter = try SluiceBinary.run(["validate", data, "--schema", schemaPath, "--delimiter", "::"])
        XCTAssertEqual(badDelimiter.status, 2)
        XCTAssertTrue(badDelimiter.stderr.contains("--delimiter must be one ASCII character"), badDelimiter.stderr)

        let badLimit = try SluiceBinary.run(["validate", data, "--schema", schemaPath, "--max-errors", "-1"])
        XCTAssertEqual(badLimit.status, 2)

        let noSchemaFlag = try SluiceBinary.run(["validate", data])
        XCTAssertEqual(noSchemaFlag.status, 2)
        XCTAssertTrue(noSchemaFlag.stderr.contains("--schema"), noSchemaFlag.stderr)
    }

    /// In a project, `sluice validate` checks what the run's validate stage checks: data.current
    /// against data.schema, paths relative to sluice.yml.
    func testInAProjectTheDataAndTheSchemaComeFromSluiceYml() throws {
        let dir = try TemporaryDirectory()
        let project = dir.file("project")
        try FileManager.default.copyItem(atPath: Fixtures.repo("templates/example"), toPath: project)
        let current = try SluiceBinary.run(["validate"], in: project)
        XCTAssertEqual(current.status, 1, current.stderr)
        XCTAssertTrue(current.stdout.contains("6 errors in 3000 rows"), current.stdout)
        let reference = try SluiceBinary.run(["validate", "reference.csv"], in: project)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertTrue(reference.stdout.contains("4000 rows, 15 fields checked"), reference.stdout)
        let elsewhere = try SluiceBinary.run(["validate", "--config", "project/sluice.yml", "--format", "json"], in: dir.path)
        XCTAssertEqual(elsewhere.status, 1, elsewhere.stderr)
        XCTAssertTrue(elsewhere.stdout.contains(#""errorCount" : 6"#), elsewhere.stdout)

        let nothing = try SluiceBinary.run(["validate"], in: dir.path)
        XCTAssertEqual(nothing.status, 2)
        XCTAssertTrue(nothing.stderr.contains("no data to validate: give DATA, or data.current in sluice.yml"), nothing.stderr)
    }

    func testBrokenDataFilesExitOneWithAMessage() throws {
        let dir = try TemporaryDirectory()
        let schemaPath = try dir.write("s.json", #"{"fields": [{"name": "a", "type": "integer"}, {"name": "b"}]}"#)
        let cases: [(name: String, body: String, expected: String)] = [
            ("unterminated.csv", "a,b\n1,\"open\n2,x\n", "a quoted field opened on this line is never closed"),
            ("ragged.csv", "a,b\n1\n2,x,extra\n", "missing-cell"),
            ("empty.csv", "", "the file is empty; expected a header row"),
            ("duplicate.csv", "a,a\n1,2\n", "duplicate-label"),
        ]
        for (name, body, expected) in cases {
            let result = try SluiceBinary.run(["validate", try dir.write(name, body), "--schema", schemaPath])
            XCTAssertEqual(result.status, 1, name)
            XCTAssertTrue(result.stdout.contains(expected), "\(name): \(result.stdout)")
        }
        let headerOnly = try SluiceBinary.run(["validate", try dir.write("header.csv", "a,b\n"), "--schema", schemaPath])
        XCTAssertEqual(headerOnly.status, 0)
        XCTAssertTrue(headerOnly.stderr.contains("has a header but no data rows"), headerOnly.stderr)
    }

    func testStandardInputAndTabDelimiter() throws {
        let dir = try TemporaryDirectory()
        let schemaPath = try dir.write("s.json", #"{"fields": [{"name": "a", "type": "integer"}, {"name": "b"}]}"#)
        let result = try SluiceBinary.run(["validate", "-", "--schema", schemaPath, "--delimiter", "tab"], stdin: Data("a\tb\n1\tx\nz\ty\n".utf8))
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("row 3 a: type-error: \"z\" is not an integer"), result.stdout)
    }
}

/// `sluice validate` and `sluice schema infer` on Parquet, through the built binary.
final class ValidateParquetEndToEndTests: XCTestCase {
    func testInferThenValidateParquetAndReportRows() throws {
        let dir = try TemporaryDirectory()
        let data = Fixtures.path("parquet/polars-penguins.parquet")
        let schemaPath = dir.file("schema.json")
        let infer = try SluiceBinary.run(["schema", "infer", data, "--out", schemaPath])
        XCTAssertEqual(infer.status, 0, infer.stderr)
        let valid = try SluiceBinary.run(["validate", data, "--schema", schemaPath])
        XCTAssertEqual(valid.status, 0, valid.stdout + valid.stderr)
        XCTAssertTrue(valid.stdout.contains("80 rows"), valid.stdout)

        let fields = ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex"].map { name in
            name == "island" ? #"{"name": "island", "type": "string", "constraints": {"enum": ["Torgersen"]}}"# : #"{"name": "\#(name)", "type": "any"}"#
        }
        let strict = try dir.write("strict.json", #"{"fields": [\#(fields.joined(separator: ", "))]}"#)
        let invalid = try SluiceBinary.run(["validate", Fixtures.path("parquet/penguins-v2.parquet"), "--schema", strict])
        XCTAssertEqual(invalid.status, 1, invalid.stderr)
        // Of the 120 rows, 80 are not on Torgersen; the first of them is row 21 (as in the CSV, less its header).
        XCTAssertTrue(invalid.stdout.contains("80 errors in 120 rows"), invalid.stdout)
        XCTAssertTrue(invalid.stdout.contains("row 21 island: constraint-error"), invalid.stdout)
    }

    func testBrokenParquetExitsThreeNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        let schema = try dir.write("s.json", #"{"fields": [{"name": "a", "type": "string"}]}"#)
        let truncated = dir.file("truncated.parquet")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/taxis-zstd.parquet")))
        try bytes.prefix(1000).write(to: URL(fileURLWithPath: truncated))
        let result = try SluiceBinary.run(["validate", truncated, "--schema", schema])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("\(truncated): cannot read: not a readable Parquet file"), result.stderr)
        let nested = try SluiceBinary.run(["schema", "infer", Fixtures.path("parquet/bad/nested.parquet")])
        XCTAssertEqual(nested.status, 3)
        XCTAssertTrue(nested.stderr.contains("column \"tags\" is nested"), nested.stderr)
    }
}

/// `--shard` on `sluice validate` and `sluice profile`: each job reads its share, the counts
/// add up to a single pass's, and the job log says how many bytes each read.
final class ShardEndToEndTests: XCTestCase {
    func testValidateSharesAddUpToTheWhole() throws {
        let dir = try TemporaryDirectory()
        let parquet = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/penguins-v1.parquet")))
        for island in ["a", "b", "c"] {
            try FileManager.default.createDirectory(atPath: dir.file("penguins/site=\(island)"), withIntermediateDirectories: true)
            try parquet.write(to: URL(fileURLWithPath: dir.file("penguins/site=\(island)/part-0.parquet")))
        }
        let fields = ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "site"].map { name in
            name == "island" ? #"{"name": "island", "type": "string", "constraints": {"enum": ["Torgersen"]}}"# : #"{"name": "\#(name)", "type": "any"}"#
        }
        let schema = try dir.write("schema.json", #"{"fields": [\#(fields.joined(separator: ", "))]}"#)
        func errors(_ extra: [String], environment: [String: String] = [:]) throws -> (count: Int, rows: [Int], stderr: String) {
            let result = try SluiceBinary.run(["validate", dir.file("penguins"), "--schema", schema, "--format", "json"] + extra, environment: environment)
            XCTAssertEqual(result.status, 1, result.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let rows = (object["firstErrors"] as? [[String: Any]] ?? []).compactMap { $0["row"] as? Int }
            return (object["errorCount"] as? Int ?? -1, rows, result.stderr)
        }
        let whole = try errors([])
        XCTAssertEqual(whole.count, 240, "80 of each file's 120 rows are not on Torgersen")
        let parts = try (1...3).map { try errors(["--shard", "\($0)/3"]) }
        XCTAssertEqual(parts.map(\.count).reduce(0, +), whole.count)
        XCTAssertEqual(parts.flatMap(\.rows), whole.rows, "rows numbered as in one pass")
        XCTAssertTrue(parts[1].stderr.contains("shard 2/3 of \(dir.file("penguins")): read "), parts[1].stderr)
        let ci = try errors(["--shard", "ci"], environment: ["CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "3"])
        XCTAssertEqual(ci.rows, parts[1].rows)
    }

    func testOneJSONLinesFileCannotBeValidatedInShares() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("d.jsonl", "{\"a\": 1}\n")
        let schema = try dir.write("s.json", #"{"fields": [{"name": "a", "type": "integer"}]}"#)
        let result = try SluiceBinary.run(["validate", data, "--schema", schema, "--shard", "1/2"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("--shard needs a dataset (a directory or glob of files), a Parquet file or a plain CSV file; \(data) is one jsonl file"), result.stderr)
        let bad = try SluiceBinary.run(["validate", data, "--schema", schema, "--shard", "ci"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--shard ci needs CI_NODE_INDEX and CI_NODE_TOTAL"), bad.stderr)
    }

    func testProfileSharesMergeIntoTheWhole() throws {
        let dir = try TemporaryDirectory()
        let data = Fixtures.path("parquet/taxis-snappy.parquet")
        let whole = try SluiceBinary.run(["profile", data, "--out", dir.file("whole.json")])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        for index in 1...2 {
            let part = try SluiceBinary.run(["profile", data, "--shard", "\(index)/2", "--out", dir.file("part-\(index).json")])
            XCTAssertEqual(part.status, 0, part.stderr)
            XCTAssertTrue(part.stderr.contains("shard \(index)/2 of \(data): read "), part.stderr)
        }
        let merge = try SluiceBinary.run(["profile", "merge", dir.file("part-1.json"), dir.file("part-2.json"), "--out", dir.file("merged.json")])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        func fare(_ name: String) throws -> [String: Any] {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file(name)))) as? [String: Any])
            let columns = try XCTUnwrap(object["columns"] as? [[String: Any]])
            return try XCTUnwrap(columns.first { $0["name"] as? String == "fare" })
        }
        let merged = try fare("merged.json"), single = try fare("whole.json")
        XCTAssertEqual(merged["count"] as? Int, 120)
        XCTAssertEqual(merged["count"] as? Int, single["count"] as? Int)
        let mergedSummary = merged["summary"] as? [String: Any], singleSummary = single["summary"] as? [String: Any]
        XCTAssertEqual(mergedSummary?["minimum"] as? Double, singleSummary?["minimum"] as? Double)
        XCTAssertEqual(mergedSummary?["maximum"] as? Double, singleSummary?["maximum"] as? Double)
    }
}
