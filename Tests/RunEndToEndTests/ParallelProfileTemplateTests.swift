import Foundation
import TestSupport
import XCTest
import Yams

/// ci/gitlab/templates/sluice-profile-parallel.yml: valid YAML using only its inputs and
/// GitLab's variables, and its jobs' scripts, run by bash as GitLab's parallel jobs would
/// (CI_NODE_INDEX 1...N), profile the shares, merge them and run drift.
final class ParallelProfileTemplateTests: XCTestCase {
    private let path = "ci/gitlab/templates/sluice-profile-parallel.yml"

    private func jobs(_ inputs: [String: String]) throws -> [String: Any] {
        var source = try String(contentsOfFile: Fixtures.repo(path), encoding: .utf8)
        for (name, value) in inputs { source = source.replacingOccurrences(of: "$[[ inputs.\(name) ]]", with: value) }
        XCTAssertFalse(source.contains("$[["), "every input is interpolated")
        return try XCTUnwrap(Array(try Yams.load_all(yaml: source))[1] as? [String: Any])
    }

    private func script(_ jobs: [String: Any], _ name: String) throws -> String {
        try XCTUnwrap((jobs[name] as? [String: Any])?["script"] as? [String]).joined(separator: "\n")
    }

    func testInputsAndVariables() throws {
        let source = try String(contentsOfFile: Fixtures.repo(path), encoding: .utf8)
        let spec = try XCTUnwrap((Array(try Yams.load_all(yaml: source))[0] as? [String: Any])?["spec"] as? [String: Any])
        let declared = Set((spec["inputs"] as? [String: Any])?.keys.map { $0 } ?? [])
        let regex = try NSRegularExpression(pattern: #"\$\[\[\s*inputs\.([a-z_]+)\s*\]\]"#)
        let used = Set(regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { String(source[Range($0.range(at: 1), in: source)!]) })
        XCTAssertEqual(used, declared)
        let variables = try NSRegularExpression(pattern: #"\$\{?([A-Za-z_][A-Za-z0-9_]*)"#)
        let named = Set(variables.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { String(source[Range($0.range(at: 1), in: source)!]) })
        XCTAssertEqual(named, ["CI_NODE_INDEX", "SLUICE_SCHEMA"], "GitLab's parallel: index and the template's own variable")
    }

    func testParallelJobsMergeAndFeedDrift() throws {
        let dir = try TemporaryDirectory()
        let parquet = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/taxis-snappy.parquet")))
        for day in 1...3 {
            try FileManager.default.createDirectory(atPath: dir.file("current/day=\(day)"), withIntermediateDirectories: true)
            try parquet.write(to: URL(fileURLWithPath: dir.file("current/day=\(day)/part-0.parquet")))
        }
        let reference = Fixtures.path("parquet/taxis-zstd.parquet")
        let jobs = try jobs(["image": "unused", "data": "current/", "reference": reference, "schema": "", "shards": "3", "stage": "test"])
        XCTAssertEqual((jobs["sluice-profile"] as? [String: Any])?["parallel"] as? Int, 3)
        let bin = (SluiceBinary.path as NSString).deletingLastPathComponent
        func run(_ job: String, _ extra: [String: String] = [:]) throws -> ProcessResult {
            let variables = (jobs[job] as? [String: Any])?["variables"] as? [String: String] ?? [:]
            let environment = ["PATH": "\(bin):/usr/bin:/bin", "GITLAB_CI": "true"].merging(variables) { $1 }.merging(extra) { $1 }
            return try runProcess("/bin/bash", ["-euo", "pipefail", "-c", try script(jobs, job)], in: dir.path, environment: environment)
        }
        for index in 1...3 {
            let shard = try run("sluice-profile", ["CI_NODE_INDEX": "\(index)", "CI_NODE_TOTAL": "3"])
            XCTAssertEqual(shard.status, 0, shard.stderr)
            XCTAssertTrue(shard.stderr.contains("shard \(index)/3 of current/: read "), shard.stderr)
        }
        let merge = try run("sluice-profile-merge")
        XCTAssertEqual(merge.status, 0, merge.stderr)
        let drift = try run("sluice-drift")
        XCTAssertEqual(drift.status, 0, drift.stdout + drift.stderr)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("drift.json")))) as? [String: Any])
        XCTAssertEqual(summary["datasetDrift"] as? Bool, false, "three copies of the reference rows do not drift from it")
        let profile = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("current.profile.json")))) as? [String: Any])
        XCTAssertEqual(profile["rowCount"] as? Int, 360)
    }
}
