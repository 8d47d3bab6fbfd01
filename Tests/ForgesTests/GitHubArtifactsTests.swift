import CIEnvironment
@testable import Forges
import Foundation
import HTTP
import TestSupport
import XCTest

/// The target branch's last run report from GitHub Actions artifacts, against a strict
/// loopback fake of the REST API (token checked, newest first, paged with `Link`, the
/// download a 302 to storage on another origin that refuses the token), and the ZIP reader
/// on archives Python's zipfile wrote (deflated with data descriptors, as upload-artifact
/// streams them; stored, nested).
final class GitHubArtifactsTests: XCTestCase {
    private let runJSON = Fixtures.path("reports/example-pass.json")
    private let file = BranchArtifacts.ArtifactFile(gitlabJob: "sluice-nightly", githubArtifact: "sluice-report", path: ".sluice/latest/run.json")

    private func zip(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("artifacts/\(name)")))
    }

    private func artifacts(_ fake: FakeGitHub, token: String? = "ghs_actions") -> BranchArtifacts {
        let facts = CIFacts(system: .github, forge: .github, apiURL: fake.apiURL, project: fake.repository, targetBranch: "main", pipelineKind: .mergeRequest)
        return BranchArtifacts(facts: facts, environment: token.map { ["GITHUB_TOKEN": $0] } ?? [:], client: HTTPClient())
    }

    func testZipEntriesAreReadStoredOrDeflatedAndChecked() throws {
        let streamed = try zip("sluice-report.zip")
        XCTAssertEqual(try ZipEntry.names(in: streamed), ["report.html", "run.json"])
        XCTAssertEqual(try ZipEntry.read("run.json", from: streamed, limit: 1 << 20), try Data(contentsOf: URL(fileURLWithPath: runJSON)))
        XCTAssertNil(try ZipEntry.read("latest/run.json", from: streamed, limit: 1 << 20))
        XCTAssertThrowsError(try ZipEntry.read("run.json", from: streamed, limit: 1000)) { error in
            XCTAssertEqual("\(error)", "run.json holds 68072 bytes, more than the 1000 read")
        }
        let stored = try zip("stored-nested.zip")
        XCTAssertEqual(try ZipEntry.read("latest/run.json", from: stored, limit: 100), Data(#"{"runId":"stored"}"#.utf8))

        // One changed byte in the stored data: the CRC-32 tells.
        var damaged = stored
        let at = try XCTUnwrap(damaged.range(of: Data("stored".utf8))).lowerBound
        damaged[at] = UInt8(ascii: "S")
        XCTAssertThrowsError(try ZipEntry.read("latest/run.json", from: damaged, limit: 100)) { error in
            XCTAssertEqual("\(error)", "latest/run.json: CRC-32 mismatch (the archive is damaged)")
        }
        // Cut short, the end record is gone; the deflated data cut inside is caught too.
        XCTAssertThrowsError(try ZipEntry.read("run.json", from: streamed.prefix(streamed.count - 30), limit: 1 << 20)) { error in
            XCTAssertEqual("\(error)", "not a zip archive (no end of central directory record)")
        }
        XCTAssertThrowsError(try ZipEntry.read("x", from: Data("PK".utf8), limit: 10)) { error in
            XCTAssertEqual("\(error)", "not a zip archive (2 bytes)")
        }
        var truncatedDeflate = streamed
        let runStart = try XCTUnwrap(truncatedDeflate.range(of: Data("run.json".utf8))).upperBound
        truncatedDeflate.replaceSubrange(runStart + 20..<runStart + 40, with: Data(repeating: 0xFF, count: 20))
        XCTAssertThrowsError(try ZipEntry.read("run.json", from: truncatedDeflate, limit: 1 << 20), "a damaged deflate stream is an error, not a crash")
    }

    func testNewestArtifactOfTheBranchAcrossPagesThroughTheRedirect() throws {
        let fake = try FakeGitHub()
        let report = try zip("sluice-report.zip")
        fake.uploadArtifact(name: "sluice-report", branch: "main", zip: try zip("stored-nested.zip"), created: "2026-11-01T02:00:00Z")
        let newest = fake.uploadArtifact(name: "sluice-report", branch: "main", zip: report, created: "2026-11-02T02:00:00Z")
        // Newer: an expired one of main, a fork's branch also called main, and 120 of other branches.
        fake.uploadArtifact(name: "sluice-report", branch: "main", zip: Data("gone".utf8), created: "2026-11-03T02:00:00Z", expired: true)
        fake.uploadArtifact(name: "sluice-report", branch: "main", zip: Data("fork".utf8), created: "2026-11-04T02:00:00Z", fromFork: true)
        for index in 0..<120 {
            fake.uploadArtifact(name: "sluice-report", branch: "feature-\(index)", zip: Data(), created: String(format: "2026-11-10T%02d:%02d:00Z", index / 60, index % 60))
        }
        fake.uploadArtifact(name: "other", branch: "main", zip: Data(), created: "2026-11-20T02:00:00Z")

        XCTAssertEqual(artifacts(fake).latest(ref: "main", file: file), .found(try Data(contentsOf: URL(fileURLWithPath: runJSON))))
        XCTAssertEqual(fake.artifactListPages, [1, 2], "main's newest is on the second page of 100")
        XCTAssertEqual(fake.storageRequests.map(\.path), ["/blob/\(newest)"])
        XCTAssertEqual(fake.storageRequests.map(\.authorized), [false], "the token stays on GitHub's origin")

        // Found under the uploaded directory's own layout too.
        let nested = try FakeGitHub()
        nested.uploadArtifact(name: "sluice-report", branch: "release/2.0", zip: try zip("stored-nested.zip"), created: "2026-11-01T02:00:00Z")
        XCTAssertEqual(artifacts(nested).latest(ref: "release/2.0", file: file), .found(Data(#"{"runId":"stored"}"#.utf8)))
    }

    func testMissingHistoryIsAReasonNeverAnError() throws {
        let fake = try FakeGitHub()
        XCTAssertEqual(artifacts(fake).latest(ref: "main", file: file),
                       .missing("no unexpired GitHub Actions artifact sluice-report of main (no run on main uploaded one yet, or it expired)"))
        fake.uploadArtifact(name: "sluice-report", branch: "main", zip: Data("not a zip".utf8), created: "2026-11-01T02:00:00Z")
        guard case .missing(let broken) = artifacts(fake).latest(ref: "main", file: file) else { return XCTFail() }
        XCTAssertEqual(broken, "the GitHub Actions artifact sluice-report of main could not be read: not a zip archive (9 bytes)")
        let other = try FakeGitHub()
        other.uploadArtifact(name: "sluice-report", branch: "main", zip: try zip("sluice-report.zip"), created: "2026-11-01T02:00:00Z")
        let elsewhere = BranchArtifacts.ArtifactFile(gitlabJob: "j", githubArtifact: "sluice-report", path: "reports/summary.json")
        XCTAssertEqual(artifacts(other).latest(ref: "main", file: elsewhere),
                       .missing("the GitHub Actions artifact sluice-report of main (run 90000) has no summary.json or reports/summary.json"))
        XCTAssertEqual(artifacts(other, token: "ghp_wrong").latest(ref: "main", file: file),
                       .missing("the token may not read the GitHub Actions artifact sluice-report of main (GitHub answered 401; the job needs `permissions: actions: read`)"))
        XCTAssertEqual(artifacts(other, token: nil).latest(ref: "main", file: file), .missing("no GitHub token to read artifacts with (GITHUB_TOKEN)"))
    }
}
