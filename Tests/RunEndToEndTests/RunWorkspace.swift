import Foundation
import TestSupport
import XCTest

/// A copy of `templates/example` in a temporary directory, with a `sluice.yml` edited for
/// one scenario, where the built binary runs as a CI job would.
final class RunWorkspace {
    let temp: TemporaryDirectory
    var path: String { temp.path }

    init() throws {
        temp = try TemporaryDirectory()
        let example = Fixtures.repo("templates/example")
        for name in ["reference.csv", "current.csv", "holdout.csv", "schema.json", "champion"] {
            try FileManager.default.copyItem(atPath: (example as NSString).appendingPathComponent(name), toPath: temp.file(name))
        }
        try write(config: try String(contentsOfFile: (example as NSString).appendingPathComponent("sluice.yml"), encoding: .utf8))
    }

    /// The example's configuration as it is now.
    var config: String {
        (try? String(contentsOfFile: temp.file("sluice.yml"), encoding: .utf8)) ?? ""
    }

    func write(config text: String) throws {
        try text.write(toFile: temp.file("sluice.yml"), atomically: true, encoding: .utf8)
    }

    /// Replaces `old` with `new` in `sluice.yml`, failing the test when `old` is not there.
    func edit(_ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let text = config
        XCTAssertTrue(text.contains(old), "sluice.yml has no \(old)", file: file, line: line)
        try write(config: text.replacingOccurrences(of: old, with: new))
    }

    /// Appends YAML to `sluice.yml`.
    func append(_ yaml: String) throws {
        try write(config: config + "\n" + yaml + "\n")
    }

    /// The champion is a registry image instead of the committed model file, and candidates
    /// are pushed next to it.
    func useRegistry(_ registry: String, repository: String) throws {
        try edit("""
          champion:
            model: champion/model.json
        """, "")
        try append("""
        champion:
          image: \(registry)/\(repository):champion
        """)
        try edit("  runtime: true", "  push: \(registry)/\(repository):candidate\n  runtime: true")
    }

    /// Runs `sluice run` with `arguments` and the CI variables in `environment`.
    func run(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> ProcessResult {
        try SluiceBinary.run(["run"] + arguments, in: path, environment: environment)
    }

    /// The latest run's report.
    func report() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: temp.file(".sluice/latest/run.json")))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func latest(_ name: String) throws -> String {
        try String(contentsOfFile: temp.file(".sluice/latest/\(name)"), encoding: .utf8)
    }
}

/// GitLab CI variables of a merge request pipeline into `main` on the fake GitLab.
func gitlabMergeRequestVariables(_ gitlab: FakeGitLab) -> [String: String] {
    ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event", "CI_API_V4_URL": gitlab.apiURL, "CI_PROJECT_ID": gitlab.projectID,
     "CI_MERGE_REQUEST_IID": "\(gitlab.mergeRequest)", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_JOB_NAME": "sluice-mr",
     "CI_PIPELINE_ID": "77", "CI_JOB_ID": "1", "SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"]
}

/// GitLab CI variables of a scheduled pipeline on the default branch.
let gitlabNightly = ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main",
                     "CI_PIPELINE_ID": "500", "CI_JOB_ID": "9001", "CI_JOB_NAME": "sluice-nightly"]

extension Dictionary where Key == String, Value: Any {
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    func string(_ key: String) -> String? { self[key] as? String }
}
