import CIEnvironment
import Forges
import Foundation
import HTTP
import ReportModel
import TestSupport
import XCTest

/// The sticky comment against strict loopback fakes of GitLab and GitHub.
final class CommentPublisherTests: XCTestCase {
    private func gitlabFacts(_ fake: FakeGitLab, project: String = "42") -> CIFacts {
        CIFacts(system: .gitlab, forge: .gitlab, apiURL: fake.apiURL, project: project, changeNumber: fake.mergeRequest,
                changeURL: "https://gitlab.example.com/ml/churn/-/merge_requests/17", commit: "3f2a9c1d", pipelineURL: "https://gitlab.example.com/p/1", pipelineKind: .mergeRequest)
    }

    private func githubFacts(_ fake: FakeGitHub) -> CIFacts {
        CIFacts(system: .github, forge: .github, apiURL: fake.apiURL, project: fake.repository, changeNumber: fake.pull,
                changeURL: "https://github.com/o/r/pull/31", commit: "headsha", pipelineKind: .mergeRequest)
    }

    private func request(_ key: String, body: String = "report body", status: Bool = false, outcome: Outcome.Status = .passed) -> CommentPublisher.Request {
        CommentPublisher.Request(key: key, setStatus: status, outcome: Outcome(status: outcome, summary: ""), statusDescription: "Ready to merge: all 2 gates passed") { _ in body }
    }

    private var quickClient: HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.retry = RetryPolicy(attempts: 3, baseDelay: 0.01)
        return HTTPClient(configuration: configuration)
    }

    func testGitLabFindsItsOwnNoteOnALaterPageAmongSystemNotesAndOtherUsersMarkers() throws {
        let fake = try FakeGitLab()
        let marker = CommentPublisher.marker(key: "evaluate")
        // Another user quoting the marker, and a system note containing it: never edited.
        fake.seed(body: "> \(marker)\nquoting the bot", authorID: 8)
        fake.seed(body: "\(marker) mentioned in commit", authorID: 7, system: true)
        for index in 0..<230 { fake.seed(body: "discussion \(index)", authorID: 8) }
        fake.seed(body: "\(marker)\nold report", authorID: 7)
        let publisher = CommentPublisher(facts: gitlabFacts(fake), environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: quickClient)

        let result = publisher.publish(request("evaluate", body: "new report"))
        XCTAssertEqual(result.comment, .updated, "\(result.warnings)")
        let mine = fake.allNotes.filter { $0.body.contains(marker) && $0.authorID == 7 && !$0.system }
        XCTAssertEqual(mine.count, 1)
        XCTAssertEqual(mine.first?.body, "\(marker)\nnew report")
        XCTAssertEqual(result.commentURL, "https://gitlab.example.com/ml/churn/-/merge_requests/17#note_\(mine.first!.id)")
        XCTAssertTrue(fake.allNotes.contains { $0.body == "> \(marker)\nquoting the bot" })
        // 233 notes at 100 per page: three pages were read.
        let listed = fake.server.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/notes") }
        XCTAssertEqual(listed.map { $0.query["page"] ?? "1" }, ["1", "2", "3"])
        XCTAssertTrue(listed.allSatisfy { $0.query["per_page"] == "100" })
        XCTAssertTrue(fake.server.requests.allSatisfy { $0.header("PRIVATE-TOKEN") == "glpat-sluice-bot" })
    }

    func testGitLabCreatesOnePerKeyAndAcceptsAProjectPath() throws {
        let fake = try FakeGitLab()
        let publisher = CommentPublisher(facts: gitlabFacts(fake, project: "ml/churn"), environment: ["GITLAB_TOKEN": "glpat-sluice-bot"], client: quickClient)
        XCTAssertEqual(publisher.publish(request("train: [gbm]")).comment, .created)
        XCTAssertEqual(publisher.publish(request("train: [linear]")).comment, .created)
        XCTAssertEqual(publisher.publish(request("train: [gbm]", body: "second")).comment, .updated)
        XCTAssertEqual(fake.allNotes.count, 2)
        XCTAssertTrue(fake.server.requests.contains { $0.path.hasPrefix("/api/v4/projects/ml%2Fchurn/") })
    }

    func testGitLabStatusCarriesTheVerdictAndARerunIsNotAnError() throws {
        let fake = try FakeGitLab()
        let publisher = CommentPublisher(facts: gitlabFacts(fake), environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: quickClient)
        var result = publisher.publish(request("evaluate", status: true, outcome: .failed))
        XCTAssertEqual(result.status, .failure, "\(result.warnings)")
        result = publisher.publish(request("evaluate", status: true, outcome: .failed))
        XCTAssertEqual(result.status, .failure, "\(result.warnings)")
        XCTAssertEqual(fake.statuses, [FakeGitLab.Status(sha: "3f2a9c1d", state: "failed", name: "sluice/evaluate", description: "Ready to merge: all 2 gates passed",
                                                         targetURL: result.commentURL)])
    }

    func testGitLabRateLimitIsWaitedOut() throws {
        let fake = try FakeGitLab()
        fake.rateLimit(next: 1)
        let started = Date()
        let result = CommentPublisher(facts: gitlabFacts(fake), environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: quickClient).publish(request("k"))
        XCTAssertEqual(result.comment, .created, "\(result.warnings)")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.9, "Retry-After: 1 was honoured")
        XCTAssertEqual(fake.server.requests.first.map { $0.path }, "/api/v4/user")
    }

    func testGitLabOversizeBodyIsRefusedByTheFakeButTheBudgetKeepsUsUnder() throws {
        let fake = try FakeGitLab()
        let huge = String(repeating: "x", count: 1_000_001)
        var budgets: [Int] = []
        let request = CommentPublisher.Request(key: "k", outcome: Outcome(status: .passed, summary: ""), statusDescription: "") { budget in
            budgets.append(budget)
            return String(huge.prefix(budget))
        }
        let result = CommentPublisher(facts: gitlabFacts(fake), environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: quickClient).publish(request)
        XCTAssertEqual(result.comment, .created, "\(result.warnings)")
        XCTAssertEqual(fake.allNotes.first?.body.count, 1_000_000)
        XCTAssertEqual(budgets.first.map { $0 + CommentPublisher.marker(key: "k").count + 1 }, 1_000_000)

        let ignoringBudget = CommentPublisher.Request(key: "k2", outcome: Outcome(status: .passed, summary: ""), statusDescription: "") { _ in huge }
        let refused = CommentPublisher(facts: gitlabFacts(fake), environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: quickClient).publish(ignoringBudget)
        XCTAssertEqual(refused.comment, .failed)
        XCTAssertTrue(refused.warnings.joined().contains("is too long (maximum is 1000000 characters)"), "\(refused.warnings)")
    }

    func testGitLabWrongTokenIsAWarningThatNeverShowsTheToken() throws {
        let fake = try FakeGitLab()
        let result = CommentPublisher(facts: gitlabFacts(fake), environment: ["SLUICE_GITLAB_TOKEN": "glpat-wrong-secret"], client: quickClient).publish(request("k"))
        XCTAssertEqual(result.comment, .failed)
        let text = result.warnings.joined(separator: "\n")
        XCTAssertTrue(text.contains("401"), text)
        XCTAssertTrue(text.contains("the token is wrong, expired or revoked"), text)
        XCTAssertFalse(text.contains("glpat-wrong-secret"))
        XCTAssertFalse(try JSONEncoder().encode(result).contains(Data("glpat-wrong-secret".utf8)))
    }

    func testJobTokenAloneExplainsWhatToConfigure() throws {
        let fake = try FakeGitLab()
        let result = CommentPublisher(facts: gitlabFacts(fake), environment: ["CI_JOB_TOKEN": "job-secret"], client: quickClient).publish(request("k"))
        XCTAssertEqual(result.comment, .skipped)
        XCTAssertTrue(result.warnings.joined().contains("only CI_JOB_TOKEN is set, and GitLab's job token cannot create or edit merge request notes"), "\(result.warnings)")
        XCTAssertTrue(result.warnings.joined().contains("SLUICE_GITLAB_TOKEN"))
        XCTAssertTrue(fake.server.requests.isEmpty)
    }

    func testNoMergeRequestStillSetsTheStatus() throws {
        let fake = try FakeGitLab()
        var facts = gitlabFacts(fake)
        facts.changeNumber = nil
        facts.pipelineKind = .schedule
        let result = CommentPublisher(facts: facts, environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: quickClient).publish(request("k", status: true))
        XCTAssertEqual(result.comment, .skipped)
        XCTAssertEqual(result.status, .success)
        XCTAssertTrue(result.warnings.joined().contains("no merge request or pull request for this schedule pipeline"), "\(result.warnings)")
    }

    func testGitHubActionsTokenFindsTheBotsCommentAcrossLinkPages() throws {
        let fake = try FakeGitHub()
        let marker = CommentPublisher.marker(key: "evaluate")
        fake.seed(body: "\(marker) copied by a human", userID: 9, login: "alice")
        for index in 0..<150 { fake.seed(body: "comment \(index)", userID: 9, login: "alice") }
        fake.seed(body: "\(marker)\nold", userID: 41898282, login: "github-actions[bot]")
        let publisher = CommentPublisher(facts: githubFacts(fake), environment: ["GITHUB_TOKEN": "ghs_actions"], client: quickClient)
        let result = publisher.publish(request("evaluate", body: "new", status: true))
        XCTAssertEqual(result.comment, .updated, "\(result.warnings)")
        XCTAssertEqual(result.status, .success)
        XCTAssertEqual(fake.allComments.last?.body, "\(marker)\nnew")
        XCTAssertEqual(fake.allComments.first?.body, "\(marker) copied by a human")
        XCTAssertEqual(result.commentURL, "https://github.com/o/r/pull/31#issuecomment-\(fake.allComments.last!.id)")
        let listed = fake.server.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/comments") }
        XCTAssertEqual(listed.count, 2)
        XCTAssertEqual(listed.last?.path, "/repositories/1234/issues/31/comments")
        XCTAssertTrue(fake.server.requests.allSatisfy { $0.header("Authorization") == "Bearer ghs_actions" && $0.header("X-GitHub-Api-Version") == "2022-11-28" })
        XCTAssertEqual(fake.statuses, [FakeGitHub.Status(sha: "headsha", state: "success", context: "sluice/evaluate", description: "Ready to merge: all 2 gates passed")])
    }

    func testGitHubOversizeBodyIs422AndAPersonalTokenUsesUser() throws {
        let fake = try FakeGitHub()
        let huge = String(repeating: "y", count: 70_000)
        let ignoringBudget = CommentPublisher.Request(key: "k", outcome: Outcome(status: .passed, summary: ""), statusDescription: "") { _ in huge }
        let refused = CommentPublisher(facts: githubFacts(fake), environment: ["GITHUB_TOKEN": "ghp_alice"], client: quickClient).publish(ignoringBudget)
        XCTAssertEqual(refused.comment, .failed)
        XCTAssertTrue(refused.warnings.joined().contains("422"), "\(refused.warnings)")
        XCTAssertTrue(refused.warnings.joined().contains("body is too long (maximum is 65536 characters)"), "\(refused.warnings)")

        let fitting = CommentPublisher.Request(key: "k", outcome: Outcome(status: .passed, summary: ""), statusDescription: "") { String(huge.prefix($0)) }
        let posted = CommentPublisher(facts: githubFacts(fake), environment: ["GITHUB_TOKEN": "ghp_alice"], client: quickClient).publish(fitting)
        XCTAssertEqual(posted.comment, .created, "\(posted.warnings)")
        XCTAssertEqual(fake.allComments.first?.body.count, 65_536)
        XCTAssertEqual(fake.allComments.first?.login, "alice")
    }

    func testGitHubRateLimitIsWaitedOutUntilItsReset() throws {
        let fake = try FakeGitHub()
        fake.exhaustRateLimit(next: 1)
        let waits = WaitRecorder()
        var configuration = HTTPClient.Configuration()
        configuration.retry = RetryPolicy(attempts: 3, baseDelay: 0.01, sleep: { waits.add($0) })
        let result = CommentPublisher(facts: githubFacts(fake), environment: ["GITHUB_TOKEN": "ghp_alice"], client: HTTPClient(configuration: configuration)).publish(request("k"))
        XCTAssertEqual(result.comment, .created, "\(result.warnings)")
        XCTAssertEqual(waits.all.count, 1)
        XCTAssertTrue((0.5...3).contains(waits.all.first ?? 0), "waited until x-ratelimit-reset: \(waits.all)")
    }

    func testGitHubMissingTokenSaysHowToPassIt() throws {
        let fake = try FakeGitHub()
        let result = CommentPublisher(facts: githubFacts(fake), environment: [:], client: quickClient).publish(request("k"))
        XCTAssertEqual(result.comment, .skipped)
        XCTAssertTrue(result.warnings.joined().contains("secrets.GITHUB_TOKEN"), "\(result.warnings)")
    }

    /// Jobs posting at the same moment each find no comment and create one; after the
    /// read-back, exactly one sticky comment is left, on GitLab and on GitHub.
    func testConcurrentPostsLeaveExactlyOneComment() throws {
        for round in 0..<2 {
            let gitlab = try FakeGitLab()
            let github = try FakeGitHub()
            let marker = CommentPublisher.marker(key: "run")
            // Each answer reaches its job 0.2 s after the fake read its comments (the client's
            // trace sees every response as it arrives), so the jobs all list before any creates.
            var configuration = HTTPClient.Configuration()
            configuration.trace = { line in if line.hasPrefix("< ") && line.hasSuffix("s)") { Thread.sleep(forTimeInterval: 0.2) } }
            let slowClient = HTTPClient(configuration: configuration)
            let publishers = [CommentPublisher(facts: gitlabFacts(gitlab), environment: ["SLUICE_GITLAB_TOKEN": "glpat-sluice-bot"], client: slowClient),
                              CommentPublisher(facts: githubFacts(github), environment: ["GITHUB_TOKEN": "ghs_actions"], client: slowClient)]
            for publisher in publishers {
                // One thread per job (concurrentPerform may run them one after another on a busy machine).
                let jobs = DispatchGroup()
                let results = PublishResults()
                for index in 0..<4 {
                    let job = request("run", body: "report \(index)")
                    jobs.enter()
                    Thread { results.append(publisher.publish(job)); jobs.leave() }.start()
                }
                jobs.wait()
                for result in results.all { XCTAssertTrue(result.posted, "\(result.warnings)") }
            }
            let notes = gitlab.allNotes.filter { $0.body.contains(marker) }
            XCTAssertEqual(notes.count, 1, "round \(round): \(notes.map(\.body))")
            let comments = github.allComments.filter { $0.body.contains(marker) }
            XCTAssertEqual(comments.count, 1, "round \(round): \(comments.map(\.body))")
            // A later run updates that one comment.
            XCTAssertEqual(publishers[0].publish(request("run", body: "later")).comment, .updated)
            XCTAssertEqual(gitlab.allNotes.filter { $0.body.contains(marker) }.map(\.body), ["\(marker)\nlater"])
        }
    }
}

/// Results of publishes made on several threads.
private final class PublishResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [PublishResult] = []
    func append(_ result: PublishResult) { lock.lock(); results.append(result); lock.unlock() }
    var all: [PublishResult] { lock.lock(); defer { lock.unlock() }; return results }
}

/// Records the waits a retry policy asks for instead of sleeping.
final class WaitRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [TimeInterval] = []
    func add(_ wait: TimeInterval) { lock.lock(); waits.append(wait); lock.unlock() }
    var all: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return waits }
}
