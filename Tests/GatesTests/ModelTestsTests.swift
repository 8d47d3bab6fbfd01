import Config
import Core
@testable import Gates
import ReportModel
import TestSupport
import XCTest

/// score = x / 10, ignoring every other column; "label" is 1 from 0.5.
private struct LinearInX: Predictor {
    var modelPath: String
    func predict(_ rows: [[String: String]]) throws -> [ModelOutput] {
        rows.map { row in
            let score = Double(row["x"] ?? "0")! / 10
            return ModelOutput(value: score, label: score >= 0.5 ? "1" : "0")
        }
    }
}

final class ModelTestsTests: XCTestCase {
    private func check(_ yaml: String) throws -> TestsSection.Check {
        try JSONOutput.decoder().decode(TestsSection.Check.self, from: Data(yaml.utf8))
    }

    func testBehaviouralChecks() throws {
        let directory = try TemporaryDirectory()
        let model = try directory.write("model.bin", String(repeating: "x", count: 2000))
        let rows = (0..<10).map { ["x": "\($0)", "city": "a"] }
        let predictor = LinearInX(modelPath: model)
        func run(_ json: String) throws -> TestCaseResult { try BehaviouralChecks.run(try check(json), index: 0, predictor: predictor, rows: rows) }

        XCTAssertEqual(try run(#"{"kind": "examples", "examples": [{"input": {"x": "7"}, "label": "1"}, {"input": {"x": "2"}, "max": 0.3}]}"#).status, .passed)
        XCTAssertEqual(try run(#"{"kind": "examples", "examples": [{"input": {"x": "3"}, "label": "1"}]}"#).message, "example 1: predicted 0 (score 0.3000), expected 1")
        XCTAssertEqual(try run(#"{"kind": "invariance", "column": "city", "values": ["b", "c"]}"#).status, .passed)
        XCTAssertEqual(try run(#"{"kind": "invariance", "column": "x", "values": ["5"], "epsilon": 0.25}"#).message, "5 of 10 changed predictions moved more than 0.25 (largest 0.500000)")
        XCTAssertEqual(try run(#"{"kind": "directional", "column": "x", "change": 1, "expect": "increase"}"#).status, .passed)
        XCTAssertEqual(try run(#"{"kind": "directional", "column": "x", "change": 1, "expect": "decrease"}"#).message, "10 of 10 predictions moved the other way")
        XCTAssertEqual(try run(#"{"kind": "latency", "rows": 5, "p95": 1}"#).status, .passed)
        XCTAssertEqual(try run(#"{"kind": "size", "max_size": "2KB"}"#).status, .passed)
        XCTAssertEqual(try run(#"{"kind": "size", "max_size": 1000}"#).message, "model \(model) is 2000 bytes, over 1000")
    }

    func testCommandsAndTheirJUnitFilesAreFolded() throws {
        let directory = try TemporaryDirectory()
        let junit = """
        <?xml version="1.0"?><testsuites><testsuite name="pytest"><testcase classname="tests.test_model" name="test_shape" time="0.1"/>\
        <testcase classname="tests.test_model" name="test_auc"><failure message="auc too low">trace</failure></testcase>\
        <testcase classname="tests.test_model" name="test_gpu"><skipped message="no gpu"/></testcase></testsuite></testsuites>
        """
        let section = TestsSection(commands: [
            .init(name: "unit", command: .line("printf '%s' '\(junit)' > report.xml; exit 1"), shell: true, junit: "report.xml", timeout: nil, workingDirectory: directory.path),
            .init(name: "lint", command: .arguments(["true"]), shell: nil, junit: nil, timeout: nil, workingDirectory: nil),
        ])
        let results = try ModelTests.run(section, predictor: nil, checkData: nil, resolve: { ($0.hasPrefix("/") ? $0 : directory.file($0)) }, logDirectory: directory.path)
        XCTAssertEqual(results.map(\.name), ["unit command", "tests.test_model.test_shape", "tests.test_model.test_auc", "tests.test_model.test_gpu", "lint command"])
        XCTAssertEqual(results.map(\.status), [.failed, .passed, .failed, .skipped, .passed])
        XCTAssertEqual(results.map(\.suite), ["unit", "pytest", "pytest", "pytest", "lint"])
        XCTAssertEqual(results[2].message, "auc too low")
        XCTAssertTrue(results[0].message?.hasPrefix("exit status 1") ?? false)
    }

    func testChecksWithoutAModelAreAUsageError() {
        let section = TestsSection(checks: [TestsSection.Check(kind: .size, maxSize: ByteSize(bytes: 1))])
        XCTAssertThrowsError(try ModelTests.run(section, predictor: nil, checkData: nil, resolve: { $0 }, logDirectory: "/tmp")) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
        }
    }

    func testCheckRowsAreReadOnlyAsFarAsTheLargestSample() throws {
        let directory = try TemporaryDirectory()
        // A broken quote after the rows the checks use is never reached.
        let data = try directory.write("rows.csv", "a,b\n1,x\n\n2,y\n3,z\n4,\"unterminated\n")
        let rows = try ModelTests.readRows(data, limit: 2)
        XCTAssertEqual(rows, [["a": "1", "b": "x"], ["a": "2", "b": "y"]])
        XCTAssertEqual(try ModelTests.readRows(data, limit: 3).count, 3)
        XCTAssertThrowsError(try ModelTests.readRows(data, limit: 5))
    }
}
