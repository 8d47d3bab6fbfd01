import Foundation
import Core
import Git
import TestSupport
import XCTest

/// Repositories built with the git CLI in a temporary directory, then read through libgit2.
final class RepositoryTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        try git("init", "-q", "-b", "main")
        try directory.write("model/params.yaml", "lr: 0.1\n")
        try directory.write("README.md", "hello\n")
        try commit("base")
    }

    @discardableResult
    private func git(_ arguments: String...) throws -> String {
        let env = ["GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"]
        let result = try runProcess("git", arguments, in: directory.path, environment: env)
        XCTAssertEqual(result.status, 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func commit(_ message: String) throws {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
    }

    func testHeadOnABranchReportsCommitAndBranch() throws {
        let repository = try Repository(discoveringFrom: directory.file("model"))
        let head = try repository.head(fallbackBranch: "ignored")
        XCTAssertEqual(head.commit, try git("rev-parse", "HEAD"))
        XCTAssertEqual(head.branch, "main")
        XCTAssertFalse(head.detached)
    }

    func testDetachedHeadFallsBackToTheBranchTheCINames() throws {
        let sha = try git("rev-parse", "HEAD")
        try git("checkout", "-q", "--detach", sha)
        let repository = try Repository(discoveringFrom: directory.path)
        let head = try repository.head(fallbackBranch: "feature/x")
        XCTAssertEqual(head.commit, sha)
        XCTAssertEqual(head.branch, "feature/x")
        XCTAssertTrue(head.detached)
        XCTAssertNil(try repository.head().branch)
    }

    func testMergeBaseAndChangedPathsAgainstALocalTargetBranch() throws {
        let base = try git("rev-parse", "HEAD")
        try git("checkout", "-q", "-b", "feature")
        try directory.write("model/params.yaml", "lr: 0.2\n")
        try directory.write("data/new.csv", "a\n1\n")
        try commit("feature work")
        try git("checkout", "-q", "main")
        try directory.write("README.md", "changed on main\n")
        try commit("main moves on")
        try git("checkout", "-q", "feature")

        let repository = try Repository(discoveringFrom: directory.path)
        let mergeBase = try repository.mergeBase(withBranch: "main")
        XCTAssertEqual(mergeBase.commit, base)
        XCTAssertEqual(mergeBase.commit, try git("merge-base", "HEAD", "main"))
        XCTAssertEqual(mergeBase.targetReference, "refs/heads/main")
        // Only what the feature changed, not what main did since.
        XCTAssertEqual(try repository.changedPaths(from: mergeBase.commit, to: "HEAD"), ["data/new.csv", "model/params.yaml"])
    }

    func testMergeBaseUsesTheRemoteTrackingBranchOfACIClone() throws {
        let upstream = directory.path
        let clone = try TemporaryDirectory()
        let cloned = try runProcess("git", ["clone", "-q", upstream, clone.file("c")])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let path = clone.file("c")
        let env = ["GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@e"]
        for arguments in [["checkout", "-q", "-b", "mr"], ["rm", "-q", "README.md"], ["commit", "-q", "-m", "rm"], ["branch", "-q", "-D", "main"], ["checkout", "-q", "--detach"]] {
            let result = try runProcess("git", arguments, in: path, environment: env)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let repository = try Repository(discoveringFrom: path)
        let mergeBase = try repository.mergeBase(withBranch: "main")
        XCTAssertEqual(mergeBase.targetReference, "refs/remotes/origin/main")
        XCTAssertEqual(mergeBase.commit, try git("rev-parse", "main"))
        XCTAssertEqual(try repository.changedPaths(from: mergeBase.commit, to: "HEAD"), ["README.md"])
    }

    func testAShallowCloneWithoutTheAncestorSaysToFetchHistory() throws {
        try git("checkout", "-q", "-b", "feature")
        try directory.write("a.txt", "1\n")
        try commit("one")
        try directory.write("a.txt", "2\n")
        try commit("two")
        let clone = try TemporaryDirectory()
        let path = clone.file("c")
        let cloned = try runProcess("git", ["clone", "-q", "--depth", "1", "--no-single-branch", "file://\(directory.path)", path])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let checkout = try runProcess("git", ["checkout", "-q", "feature"], in: path)
        XCTAssertEqual(checkout.status, 0, checkout.stderr)
        let repository = try Repository(discoveringFrom: path)
        XCTAssertThrowsError(try repository.mergeBase(withBranch: "main")) { error in
            XCTAssertTrue("\(error)".contains("the clone is shallow"), "\(error)")
            XCTAssertTrue("\(error)".contains("GIT_DEPTH: 0"))
        }
    }

    func testAMissingTargetBranchSaysToFetchIt() throws {
        let repository = try Repository(discoveringFrom: directory.path)
        XCTAssertThrowsError(try repository.mergeBase(withBranch: "release")) { error in
            let failure = error as? Failure
            XCTAssertEqual(failure?.exitStatus, .usage)
            XCTAssertTrue(failure?.message.contains("git fetch origin release") ?? false, "\(error)")
        }
    }

    func testRenamesReportBothPaths() throws {
        let before = try git("rev-parse", "HEAD")
        try git("mv", "README.md", "DOCS.md")
        try commit("rename")
        let repository = try Repository(discoveringFrom: directory.path)
        XCTAssertEqual(try repository.changedPaths(from: before, to: "HEAD"), ["DOCS.md", "README.md"])
        XCTAssertEqual(try repository.changedPaths(from: "HEAD", to: "HEAD"), [])
    }

    func testReadingAFileAsItIsAtAnotherRevision() throws {
        try git("checkout", "-q", "-b", "feature")
        try directory.write("model/params.yaml", "lr: 0.5\n")
        try commit("tune")
        let repository = try Repository(discoveringFrom: directory.path)
        XCTAssertEqual(try repository.contents(of: "model/params.yaml", at: "main").map { String(decoding: $0, as: UTF8.self) }, "lr: 0.1\n")
        XCTAssertEqual(try repository.contents(of: "model/params.yaml", at: "HEAD").map { String(decoding: $0, as: UTF8.self) }, "lr: 0.5\n")
        XCTAssertNil(try repository.contents(of: "metrics.json", at: "main"))
        XCTAssertThrowsError(try repository.contents(of: "model", at: "main"))
    }

    func testUnknownRevisionsAndNonRepositoriesAreUsageErrors() throws {
        let repository = try Repository(discoveringFrom: directory.path)
        XCTAssertThrowsError(try repository.resolve("no-such-branch")) { error in
            XCTAssertEqual((error as? Failure)?.exitStatus, .usage)
            XCTAssertTrue("\(error)".contains("no-such-branch"))
        }
        XCTAssertFalse(repository.exists("no-such-branch"))
        let outside = try TemporaryDirectory()
        XCTAssertThrowsError(try Repository(discoveringFrom: outside.path)) { error in
            XCTAssertTrue("\(error)".contains("not inside a git repository"), "\(error)")
        }
    }
}
