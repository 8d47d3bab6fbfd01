import CIEnvironment
import Pipeline
import TestSupport
import XCTest

final class RunContextTests: XCTestCase {
    private func git(_ dir: String, _ args: String...) throws {
        let result = try runProcess("git", ["-C", dir] + args, environment: ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testMergeRequestModeAndChangedPathsAgainstTheMergeBase() throws {
        let temp = try TemporaryDirectory()
        try git(temp.path, "init", "-q", "-b", "main")
        try temp.write("README.md", "a\n")
        try git(temp.path, "add", "-A")
        try git(temp.path, "commit", "-qm", "base")
        try git(temp.path, "checkout", "-qb", "feature")
        try temp.write("train/fit.py", "print(1)\n")
        try git(temp.path, "add", "-A")
        try git(temp.path, "commit", "-qm", "change training")
        // main moves on too; its change must not count as the merge request's.
        try git(temp.path, "checkout", "-q", "main")
        try temp.write("docs.md", "x\n")
        try git(temp.path, "add", "-A")
        try git(temp.path, "commit", "-qm", "main work")
        try git(temp.path, "checkout", "-q", "feature")

        let facts = CIEnvironment.detect(["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature"])
        let context = RunContext.gather(facts: facts, modeFlag: nil, repositoryPath: temp.path)
        XCTAssertEqual(context.mode, .mr)
        XCTAssertEqual(context.changedPaths, ["train/fit.py"])
        XCTAssertNotNil(context.facts.commit, "the commit comes from the repository when the CI gives none")
    }

    func testGitLabsDiffBaseIsUsedWhenTheCloneHasIt() throws {
        let temp = try TemporaryDirectory()
        try git(temp.path, "init", "-q", "-b", "feature")
        try temp.write("README.md", "a\n")
        try git(temp.path, "add", "-A")
        try git(temp.path, "commit", "-qm", "base")
        let base = try runProcess("git", ["-C", temp.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try temp.write("params.yaml", "l2: 2\n")
        try git(temp.path, "add", "-A")
        try git(temp.path, "commit", "-qm", "tune")
        // No target branch in this clone at all: only GitLab's diff base SHA tells the base.
        let facts = CIEnvironment.detect(["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "3",
                                          "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base])
        let context = RunContext.gather(facts: facts, modeFlag: nil, repositoryPath: temp.path)
        XCTAssertEqual(context.changedPaths, ["params.yaml"])
        XCTAssertTrue(context.changedPathsNote?.contains("diff base") ?? false)
    }

    func testFlagWinsAndLocalRunsArePushWithoutChangedPaths() throws {
        let scheduled = CIEnvironment.detect(["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "schedule"])
        XCTAssertEqual(RunContext.gather(facts: scheduled, modeFlag: nil, repositoryPath: "/nonexistent").mode, .nightly)
        XCTAssertEqual(RunContext.gather(facts: scheduled, modeFlag: .mr, repositoryPath: "/nonexistent").mode, .mr)
        let local = RunContext.gather(facts: CIFacts(system: .local), modeFlag: nil, repositoryPath: "/nonexistent")
        XCTAssertEqual(local.mode, .push)
        XCTAssertNil(local.changedPaths)
        XCTAssertNotNil(local.changedPathsNote)
    }
}
