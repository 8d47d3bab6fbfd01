import Foundation
import TestSupport
import XCTest
import Yams

/// The GitLab CI files in ci/gitlab: valid YAML, only variables GitLab defines (or the
/// template's own, or inputs), and a merge request job whose script really works.
final class GitLabTemplateTests: XCTestCase {
    /// GitLab's predefined variables the templates may use (docs: "Predefined CI/CD variables").
    static let predefined: Set<String> = [
        "CI_COMMIT_REF_SLUG", "CI_COMMIT_REF_NAME", "CI_COMMIT_BRANCH", "CI_COMMIT_SHA", "CI_DEFAULT_BRANCH", "CI_PIPELINE_SOURCE",
        "CI_PIPELINE_ID", "CI_JOB_ID", "CI_JOB_NAME", "CI_PROJECT_DIR", "CI_SERVER_FQDN", "CI_MERGE_REQUEST_IID", "CI_OPEN_MERGE_REQUESTS",
        "CI_REGISTRY", "CI_REGISTRY_USER", "CI_REGISTRY_PASSWORD", "CI_REGISTRY_IMAGE", "GIT_DEPTH",
        "CI_API_V4_URL", "CI_PROJECT_ID",
    ]

    private func text(_ path: String) throws -> String {
        try String(contentsOfFile: Fixtures.repo(path), encoding: .utf8)
    }

    /// Variables named as `$NAME` or `${NAME}` in `text`.
    private func variables(_ text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: #"\$\{?([A-Za-z_][A-Za-z0-9_]*)"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).map { String(text[Range($0.range(at: 1), in: text)!]) })
    }

    func testComponentParsesAndUsesOnlyInputsAndGitLabVariables() throws {
        let source = try text("ci/gitlab/templates/sluice-run.yml")
        let documents = Array(try Yams.load_all(yaml: source))
        XCTAssertEqual(documents.count, 2, "a spec header and the jobs, separated by ---")
        let spec = try XCTUnwrap((documents[0] as? [String: Any])?["spec"] as? [String: Any])
        let inputs = Set((spec["inputs"] as? [String: Any])?.keys.map { $0 } ?? [])
        XCTAssertTrue(inputs.isSuperset(of: ["image", "config", "stage"]))
        let regex = try NSRegularExpression(pattern: #"\$\[\[\s*inputs\.([a-z_]+)\s*\]\]"#)
        let used = Set(regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { String(source[Range($0.range(at: 1), in: source)!]) })
        XCTAssertEqual(used.subtracting(inputs), [], "every interpolated input is declared")
        let withoutInputs = regex.stringByReplacingMatches(in: source, range: NSRange(source.startIndex..., in: source), withTemplate: "x")
        XCTAssertEqual(variables(withoutInputs).subtracting(Self.predefined), [], "every variable is one GitLab defines")
        let jobs = try XCTUnwrap(documents[1] as? [String: Any])
        XCTAssertNotNil(jobs[".sluice-run-base"])
        let base = try XCTUnwrap(jobs[".sluice-run-base"] as? [String: Any])
        let reports = (base["artifacts"] as? [String: Any])?["reports"] as? [String: Any]
        XCTAssertEqual(reports?["junit"] as? String, ".sluice/latest/junit.xml")
        XCTAssertEqual(reports?["metrics"] as? String, ".sluice/latest/metrics.txt")
        // Nightly runs promote; registries have no compare-and-swap, so they run one at a time (issue 12 item 8).
        XCTAssertEqual((jobs["$[[ inputs.nightly_job_name ]]"] as? [String: Any])?["resource_group"] as? String, "sluice-promotion")
    }

    func testPlainTemplateDeclaresItsOwnVariables() throws {
        let source = try text("ci/gitlab/sluice-run.gitlab-ci.yml")
        let document = try XCTUnwrap(try Yams.load(yaml: source) as? [String: Any])
        let own = Set((document["variables"] as? [String: Any])?.keys.map { $0 } ?? [])
        XCTAssertEqual(own, ["SLUICE_IMAGE", "SLUICE_CONFIG", "SLUICE_ARGS"])
        XCTAssertEqual(variables(source).subtracting(Self.predefined).subtracting(own), [])
        let mr = try XCTUnwrap(document["sluice-merge-request"] as? [String: Any])
        let rules = try XCTUnwrap(mr["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.first?["if"] as? String, #"$CI_PIPELINE_SOURCE == "merge_request_event""#)
        let nightly = try XCTUnwrap(document["sluice-nightly"] as? [String: Any])
        XCTAssertTrue(((nightly["rules"] as? [[String: Any]])?.first?["if"] as? String)?.contains(#""schedule""#) ?? false)
        XCTAssertEqual(nightly["resource_group"] as? String, "sluice-promotion", "promotions one at a time")
    }

    /// The merge request job's script, run by bash with GitLab's variables set, posts the note.
    func testMergeRequestJobScriptRunsWithGitLabVariables() throws {
        let source = try text("ci/gitlab/templates/sluice-run.yml")
        let inputs = ["config": "sluice.yml", "extra_args": "--quiet", "image": "unused", "stage": "test", "mr_job_name": "sluice-merge-request", "nightly_job_name": "sluice-nightly",
                      "mlflow_tracking_uri": ""]
        var interpolated = source
        for (name, value) in inputs { interpolated = interpolated.replacingOccurrences(of: "$[[ inputs.\(name) ]]", with: value) }
        let jobs = try XCTUnwrap(Array(try Yams.load_all(yaml: interpolated))[1] as? [String: Any])
        let script = try XCTUnwrap((jobs["sluice-merge-request"] as? [String: Any])?["script"] as? [String])

        let gitlab = try FakeGitLab()
        let workspace = try RunWorkspace()
        let binDirectory = (SluiceBinary.path as NSString).deletingLastPathComponent
        let environment = ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event", "CI_API_V4_URL": gitlab.apiURL, "CI_PROJECT_ID": gitlab.projectID,
                           "CI_MERGE_REQUEST_IID": "\(gitlab.mergeRequest)", "CI_JOB_NAME": "sluice-merge-request", "CI_COMMIT_REF_SLUG": "retrain",
                           "SLUICE_GITLAB_TOKEN": "glpat-sluice-bot", "PATH": "\(binDirectory):/usr/bin:/bin"]
        let result = try runProcess("/bin/bash", ["-euo", "pipefail", "-c", script.joined(separator: "\n")], in: workspace.path, environment: environment)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(gitlab.allNotes.filter { $0.authorID == 7 }.count, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.temp.file(".sluice/latest/junit.xml")), "the artifact paths the template names exist")
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.temp.file(".sluice/latest/report.html")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: workspace.temp.file(".sluice/latest/metrics.txt")))
    }
}
