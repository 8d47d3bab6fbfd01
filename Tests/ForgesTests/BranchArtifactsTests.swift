import CIEnvironment
import Forges
import Foundation
import HTTP
import TestSupport
import XCTest

/// The target branch's last run report from GitLab's job artifacts API, against a strict
/// loopback fake (`jobs/artifacts/:ref/raw/*path?job=`).
final class BranchArtifactsTests: XCTestCase {
    private func facts(_ fake: FakeGitLab) -> CIFacts {
        CIFacts(system: .gitlab, forge: .gitlab, apiURL: fake.apiURL, project: fake.projectID, changeNumber: fake.mergeRequest, targetBranch: "main", pipelineKind: .mergeRequest)
    }

    private func file(_ job: String, _ path: String) -> BranchArtifacts.ArtifactFile {
        BranchArtifacts.ArtifactFile(gitlabJob: job, githubArtifact: "sluice-report", path: path)
    }

    func testFindsTheFileWithTheAPITokenOrTheJobToken() throws {
        let fake = try FakeGitLab()
        fake.publishArtifact(ref: "release/2.0", job: "sluice-nightly", path: ".sluice/latest/run.json", contents: Data("{\"runId\":\"r1\"}".utf8))
        for environment in [["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], ["CI_JOB_TOKEN": fake.jobToken]] {
            let lookup = BranchArtifacts(facts: facts(fake), environment: environment, client: HTTPClient())
                .latest(ref: "release/2.0", file: file("sluice-nightly", ".sluice/latest/run.json"))
            XCTAssertEqual(lookup, .found(Data("{\"runId\":\"r1\"}".utf8)), "\(environment.keys)")
        }
        XCTAssertEqual(fake.artifactRequests.map(\.ref), ["release/2.0", "release/2.0"], "the ref travels as one path segment")
    }

    func testMissingHistoryIsAReasonNeverAnError() throws {
        let fake = try FakeGitLab()
        let artifacts = BranchArtifacts(facts: facts(fake), environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: HTTPClient())
        guard case .missing(let none) = artifacts.latest(ref: "main", file: file("sluice-nightly", ".sluice/latest/run.json")) else { return XCTFail("nothing was published") }
        XCTAssertEqual(none, "no .sluice/latest/run.json of job sluice-nightly on main in GitLab's job artifacts (no successful run yet, or the artifacts expired)")
        let refused = BranchArtifacts(facts: facts(fake), environment: ["CI_JOB_TOKEN": "wrong"], client: HTTPClient())
        XCTAssertEqual(refused.latest(ref: "main", file: file("sluice-nightly", ".sluice/latest/run.json")),
                       .missing("the token may not read .sluice/latest/run.json of job sluice-nightly on main (GitLab answered 401)"))
        XCTAssertEqual(BranchArtifacts(facts: facts(fake), environment: [:], client: HTTPClient()).latest(ref: "main", file: file("j", "run.json")),
                       .missing("no GitLab token to read artifacts with"))
        XCTAssertEqual(BranchArtifacts(facts: CIFacts(), environment: [:], client: HTTPClient()).latest(ref: "main", file: file("j", "run.json")),
                       .missing("no forge in reach (not running in CI)"))
    }
}
