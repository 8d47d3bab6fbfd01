import CIEnvironment
import Foundation
import HTTP
import ReportModel

/// Posts a run's report as one sticky comment per report key on the merge request or pull
/// request, and optionally a commit status carrying the verdict.
///
/// The comment is found again by a hidden marker, searching every page of comments, and
/// only among the token owner's own, non-system comments: another user's comment quoting
/// the marker is never edited. Concurrent jobs converge on one comment: after creating,
/// the list is read again and all but the oldest of Sluice's comments for the key go.
/// Failures are returned, not thrown, so a report that cannot be posted never hides the verdict.
public struct CommentPublisher {
    /// What to post where.
    public struct Request {
        /// One comment per key: the job, or a matrix cell.
        public var key: String
        /// Also set a commit status named `sluice/<key>`.
        public var setStatus: Bool
        /// Renders the comment body in at most this many characters (the marker excluded).
        public var render: (Int) throws -> String
        /// The verdict the status carries.
        public var outcome: Outcome
        /// One line for the status description (the report's headline).
        public var statusDescription: String

        public init(key: String, setStatus: Bool = false, outcome: Outcome, statusDescription: String, render: @escaping (Int) throws -> String) {
            self.key = key
            self.setStatus = setStatus
            self.outcome = outcome
            self.statusDescription = statusDescription
            self.render = render
        }
    }

    let facts: CIFacts
    let environment: [String: String]
    let client: HTTPClient

    /// `facts` say where (forge, API, project, number, commit); `environment` holds the
    /// tokens; `client` carries retries, CA bundle and the redacted trace.
    public init(facts: CIFacts, environment: [String: String] = ProcessInfo.processInfo.environment, client: HTTPClient = HTTPClient()) {
        self.facts = facts
        self.environment = environment
        self.client = client
    }

    /// The most characters a comment may hold on `forge` (GitLab notes 1,000,000; GitHub
    /// comments 65,536), marker included.
    public static func commentLimit(for forge: CIFacts.ForgeKind) -> Int {
        switch forge {
        case .gitlab: return 1_000_000
        case .github: return 65_536
        }
    }

    /// The room left for the report body on `forge` once the marker line is in.
    public static func bodyBudget(for forge: CIFacts.ForgeKind, key: String) -> Int {
        commentLimit(for: forge) - marker(key: key).utf16.count - 1
    }

    /// The hidden marker that identifies the comment of `key`.
    public static func marker(key: String) -> String {
        // `--` would end the HTML comment early.
        let safe = key.replacingOccurrences(of: "--", with: "-\u{200B}-").replacingOccurrences(of: ">", with: "›")
        return "<!-- sluice-report key=\"\(safe)\" -->"
    }

    /// Posts or updates the comment, then sets the status; never throws.
    public func publish(_ request: Request) -> PublishResult {
        var result = PublishResult(key: request.key, forge: facts.forge?.rawValue, project: facts.project, number: facts.changeNumber)
        guard let forge = facts.forge else {
            result.comment = .skipped
            result.warnings.append("no forge to post to: not in a GitLab, GitHub or Jenkins merge request pipeline that names one (give --forge and --project)")
            return result
        }
        guard let apiURL = facts.apiURL, let project = facts.project else {
            result.comment = .skipped
            result.warnings.append("the \(forge.rawValue) API or project is unknown (give --api-url and --project)")
            return result
        }
        let token: String
        switch ForgeCredentials.lookup(forge, environment: environment) {
        case .token(let value): token = value
        case .missing(let why):
            result.comment = .skipped
            result.warnings.append("not posting the report: \(why)")
            return result
        }
        func api(_ project: String) -> ForgeAPI {
            forge == .gitlab
                ? GitLabAPI(client: client, apiURL: apiURL, project: project, token: token)
                : GitHubAPI(client: client, apiURL: apiURL, repository: project, token: token)
        }

        if let number = facts.changeNumber {
            postComment(api: api(project), number: number, request: request, result: &result)
        } else {
            result.comment = .skipped
            result.warnings.append("no merge request or pull request for this \(facts.pipelineKind.rawValue.replacingOccurrences(of: "_", with: " ")) pipeline: no comment posted (give --number to name one)")
        }
        // A fork's pipeline has its commit in the fork: the status goes there.
        if request.setStatus { setStatus(api: api(facts.statusProject ?? project), request: request, result: &result) }
        return result
    }

    private func postComment(api: ForgeAPI, number: Int, request: Request, result: inout PublishResult) {
        let marker = Self.marker(key: request.key)
        do {
            let body = marker + "\n" + (try request.render(Self.bodyBudget(for: api.kind, key: request.key)))
            let me = try api.currentUser()
            let sticky = { try api.comments(number: number).filter { !$0.system && $0.body.contains(marker) && Self.isOwn($0, by: me) } }
            var posted: ForgeComment
            let before = try sticky()
            if let oldest = before.min(by: { $0.id < $1.id }) {
                posted = try api.updateComment(number: number, id: oldest.id, body: body)
                result.comment = .updated
                // Duplicates an earlier race left behind go too.
                for duplicate in before where duplicate.id != oldest.id { try api.deleteComment(number: number, id: duplicate.id) }
            } else {
                posted = try api.createComment(number: number, body: body)
                result.comment = .created
                // Jobs posting at once can each find no comment and create one. List again:
                // the oldest stays (every job agrees on it), the others are deleted, and when
                // ours was not the oldest, our body moves into it.
                let found = try sticky()
                if let oldest = found.min(by: { $0.id < $1.id }), found.count > 1 {
                    for duplicate in found where duplicate.id != oldest.id { try api.deleteComment(number: number, id: duplicate.id) }
                    if oldest.id != posted.id {
                        posted = try api.updateComment(number: number, id: oldest.id, body: body)
                        result.comment = .updated
                    }
                }
            }
            result.commentID = posted.id
            result.commentURL = api.commentURL(number: number, id: posted.id, changeURL: facts.changeURL)
        } catch {
            result.comment = .failed
            result.warnings.append("could not post the report to \(api.kind.rawValue) \(facts.project ?? "") \(api.kind == .gitlab ? "!" : "#")\(number): \(Self.explain(error, kind: api.kind))")
        }
    }

    private func setStatus(api: ForgeAPI, request: Request, result: inout PublishResult) {
        guard let commit = facts.commit else {
            result.status = .skipped
            result.warnings.append("no commit to set a status on (give --commit)")
            return
        }
        let state: StatusState = request.outcome.status == .passed ? .success : .failure
        do {
            try api.setStatus(commit: commit, state: state, context: "sluice/\(request.key)", description: request.statusDescription,
                              targetURL: result.commentURL ?? facts.pipelineURL)
            result.status = state == .success ? .success : .failure
        } catch {
            result.status = .failed
            result.warnings.append("could not set the commit status on \(commit.prefix(12)): \(Self.explain(error, kind: api.kind))")
        }
    }

    static func isOwn(_ comment: ForgeComment, by user: ForgeUser) -> Bool {
        if let mine = user.id, let author = comment.authorID { return mine == author }
        return comment.authorLogin == user.login
    }

    /// The forge's answer, with what to do about the usual ones.
    static func explain(_ error: Error, kind: CIFacts.ForgeKind) -> String {
        guard let error = error as? ForgeAPIError else { return "\(error)" }
        switch (error.status, kind) {
        case (401, .gitlab): return "\(error.message) (the token is wrong, expired or revoked)"
        case (403, .gitlab): return "\(error.message) (the token needs the api scope and at least the Reporter role; Developer for statuses)"
        case (404, .gitlab): return "\(error.message) (no such project or merge request, or the token's user cannot see it)"
        case (401, .github): return "\(error.message) (the token is wrong or expired)"
        case (403, .github): return "\(error.message) (the workflow needs `permissions: pull-requests: write` and `statuses: write`; pull requests from forks get a read-only GITHUB_TOKEN)"
        case (404, .github): return "\(error.message) (no such repository or pull request, or the token cannot see it)"
        default: return error.message
        }
    }
}

/// What `publish` did, for the log line and `--format json`.
public struct PublishResult: Codable, Equatable, Sendable {
    public enum CommentAction: String, Codable, Sendable { case created, updated, skipped, failed }
    public enum StatusAction: String, Codable, Sendable { case success, failure, skipped, failed }

    public var key: String
    public var forge: String?
    public var project: String?
    public var number: Int?
    public var comment: CommentAction = .skipped
    public var commentID: Int?
    public var commentURL: String?
    /// nil when no status was asked for.
    public var status: StatusAction?
    /// Why something was skipped or failed, ready to print as warnings.
    public var warnings: [String] = []

    public init(key: String, forge: String?, project: String?, number: Int?) {
        self.key = key
        self.forge = forge
        self.project = project
        self.number = number
    }

    /// Whether the comment is on the merge request now.
    public var posted: Bool { comment == .created || comment == .updated }
}
