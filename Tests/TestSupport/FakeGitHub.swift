import Foundation

/// A loopback GitHub REST API (2022-11-28) for issue comments, commit statuses and `/user`,
/// strict as the real one: `Authorization: Bearer|token` checked (401 "Bad credentials"),
/// comments paged 30 by default and at most 100 with `Link`, bodies over 65,536 characters
/// refused with 422, only the author may edit, and an Actions token that `/user` refuses
/// with 403 "Resource not accessible by integration", commenting as github-actions[bot].
/// `ghs_fork_readonly` is the Actions token of a `pull_request` run from a fork: it reads,
/// and every write is that 403.
public final class FakeGitHub: @unchecked Sendable {
    public struct Comment {
        public var id: Int
        public var body: String
        public var userID: Int
        public var login: String
    }

    public struct Status: Equatable {
        public var sha: String
        public var state: String
        public var context: String
        public var description: String

        public init(sha: String, state: String, context: String, description: String) {
            self.sha = sha
            self.state = state
            self.context = context
            self.description = description
        }
    }

    /// token -> (user id, login, is an Actions installation token)
    public let users: [String: (Int, String, Bool)]
    public let repository = "o/r"
    public let pull = 31
    let lock = NSLock()
    private var comments: [Comment] = []
    private var statusList: [Status] = []
    private var nextID = 5000
    public private(set) var server: LoopbackHTTPServer!
    /// The artifact storage GitHub redirects downloads to: another origin (see FakeGitHubArtifacts.swift).
    public private(set) var storage: LoopbackHTTPServer!
    var artifacts: [Artifact] = []
    /// Each storage request: its path and whether it carried an `Authorization` header.
    public internal(set) var storageRequests: [(path: String, authorized: Bool)] = []
    /// Each page of the artifact list asked for.
    public internal(set) var artifactListPages: [Int] = []

    private let readOnlyTokens: Set<String> = ["ghs_fork_readonly"]

    public init(users: [String: (Int, String, Bool)] = ["ghs_actions": (41898282, "github-actions[bot]", true), "ghp_alice": (9, "alice", false),
                                                        "ghs_fork_readonly": (41898282, "github-actions[bot]", true)]) throws {
        self.users = users
        server = try LoopbackHTTPServer { [unowned self] request in self.handle(request) }
        storage = try LoopbackHTTPServer { [unowned self] request in self.lock.withLock { self.serveBlob(request) } }
    }

    deinit {
        server.stop()
        storage.stop()
    }

    public var apiURL: String { server.baseURL }

    public func seed(body: String, userID: Int, login: String) {
        lock.lock(); defer { lock.unlock() }
        nextID += 1
        comments.append(Comment(id: nextID, body: body, userID: userID, login: login))
    }

    public var allComments: [Comment] { lock.lock(); defer { lock.unlock() }; return comments }
    public var statuses: [Status] { lock.lock(); defer { lock.unlock() }; return statusList }

    private var pendingRateLimits = 0

    /// The next `count` requests are refused as GitHub does when the hourly limit is spent:
    /// 403 with `x-ratelimit-remaining: 0` and the reset time one second ahead.
    public func exhaustRateLimit(next count: Int) { lock.lock(); pendingRateLimits = count; lock.unlock() }

    private func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        lock.lock(); defer { lock.unlock() }
        if pendingRateLimits > 0 {
            pendingRateLimits -= 1
            let reset = Int(Date().timeIntervalSince1970) + 1
            return .json(#"{"message":"API rate limit exceeded for installation ID 1.","status":"403"}"#, status: 403,
                         headers: [("x-ratelimit-limit", "1000"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-used", "1000"), ("x-ratelimit-reset", "\(reset)")])
        }
        guard request.header("User-Agent") != nil else {
            return .json(#"{"message":"Request forbidden by administrative rules. Please make sure your request has a User-Agent header"}"#, status: 403)
        }
        let credential = request.header("Authorization").flatMap { value -> String? in
            for scheme in ["Bearer ", "token "] where value.hasPrefix(scheme) { return String(value.dropFirst(scheme.count)) }
            return nil
        }
        guard let credential, let user = users[credential] else {
            return .json(#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#, status: 401)
        }
        if readOnlyTokens.contains(credential), request.method != "GET" {
            return .json(#"{"message":"Resource not accessible by integration","status":"403"}"#, status: 403)
        }
        // GitHub Enterprise Server serves the same API under /api/v3.
        let path = request.path.hasPrefix("/api/v3/") ? String(request.path.dropFirst("/api/v3".count)) : request.path
        let commentsPath = "/repos/\(repository)/issues/\(pull)/comments"
        switch (request.method, path) {
        case ("GET", "/user"):
            if user.2 { return .json(#"{"message":"Resource not accessible by integration","status":"403"}"#, status: 403) }
            return .json(#"{"id":\#(user.0),"login":"\#(user.1)","type":"User"}"#)
        case ("GET", commentsPath), ("GET", "/repositories/1234/issues/\(pull)/comments"):
            // GitHub's `Link` targets use the repository id form.
            return page(request)
        case ("POST", commentsPath):
            guard let body = Self.body(request) else { return invalid("body", "missing_field") }
            if body.unicodeScalars.count > 65_536 { return invalid("body", "custom", message: "body is too long (maximum is 65536 characters)") }
            nextID += 1
            let comment = Comment(id: nextID, body: body, userID: user.0, login: user.1)
            comments.append(comment)
            return .json(json(comment), status: 201)
        case ("PATCH", _) where path.hasPrefix("/repos/\(repository)/issues/comments/"):
            guard let id = Int(path.split(separator: "/").last ?? ""), let index = comments.firstIndex(where: { $0.id == id }) else {
                return .json(#"{"message":"Not Found"}"#, status: 404)
            }
            guard comments[index].userID == user.0 else { return .json(#"{"message":"Resource not accessible by integration"}"#, status: 403) }
            guard let body = Self.body(request) else { return invalid("body", "missing_field") }
            if body.unicodeScalars.count > 65_536 { return invalid("body", "custom", message: "body is too long (maximum is 65536 characters)") }
            comments[index].body = body
            return .json(json(comments[index]))
        case ("DELETE", _) where path.hasPrefix("/repos/\(repository)/issues/comments/"):
            // DELETE /repos/{owner}/{repo}/issues/comments/{comment_id} answers 204.
            guard let id = Int(path.split(separator: "/").last ?? ""), let index = comments.firstIndex(where: { $0.id == id }) else {
                return .json(#"{"message":"Not Found"}"#, status: 404)
            }
            guard comments[index].userID == user.0 else { return .json(#"{"message":"Resource not accessible by integration"}"#, status: 403) }
            comments.remove(at: index)
            return .status(204)
        case ("GET", "/repos/\(repository)/actions/artifacts"), ("GET", "/repositories/\(Self.repositoryID)/actions/artifacts"):
            return listArtifacts(request)
        case ("GET", _) where path.hasPrefix("/repos/\(repository)/actions/artifacts/"):
            return downloadArtifact(path)
        case ("POST", _) where path.hasPrefix("/repos/\(repository)/statuses/"):
            let object = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
            guard let state = object["state"] as? String, ["error", "failure", "pending", "success"].contains(state) else {
                return invalid("state", "invalid")
            }
            let description = object["description"] as? String ?? ""
            if description.count > 140 { return invalid("description", "custom", message: "description is too long (maximum is 140 characters)") }
            statusList.append(Status(sha: String(path.split(separator: "/").last ?? ""), state: state, context: object["context"] as? String ?? "default", description: description))
            return .json(#"{"id":1,"state":"\#(state)"}"#, status: 201)
        default:
            return .json(#"{"message":"Not Found"}"#, status: 404)
        }
    }

    private func invalid(_ field: String, _ code: String, message: String? = nil) -> LoopbackHTTPServer.Response {
        var error: [String: Any] = ["resource": "IssueComment", "field": field, "code": code]
        if let message { error["message"] = message }
        let object: [String: Any] = ["message": "Validation Failed", "errors": [error], "documentation_url": "https://docs.github.com/rest", "status": "422"]
        return .data(try! JSONSerialization.data(withJSONObject: object), status: 422, headers: [("Content-Type", "application/json")])
    }

    private func page(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let perPage = min(max(Int(request.query["per_page"] ?? "") ?? 30, 1), 100)
        let pageNumber = max(Int(request.query["page"] ?? "") ?? 1, 1)
        let pages = max(1, (comments.count + perPage - 1) / perPage)
        let slice = comments.dropFirst((pageNumber - 1) * perPage).prefix(perPage)
        let base = "\(server.baseURL)/repositories/1234/issues/\(pull)/comments?per_page=\(perPage)"
        var links: [String] = []
        if pageNumber > 1 { links.append("<\(base)&page=\(pageNumber - 1)>; rel=\"prev\"") }
        if pageNumber < pages { links += ["<\(base)&page=\(pageNumber + 1)>; rel=\"next\"", "<\(base)&page=\(pages)>; rel=\"last\""] }
        return .json("[" + slice.map(json).joined(separator: ",") + "]", headers: links.isEmpty ? [] : [("Link", links.joined(separator: ", "))])
    }

    private func json(_ comment: Comment) -> String {
        let object: [String: Any] = ["id": comment.id, "body": comment.body, "html_url": "https://github.com/o/r/pull/31#issuecomment-\(comment.id)",
                                     "user": ["id": comment.userID, "login": comment.login, "type": comment.login.hasSuffix("[bot]") ? "Bot" : "User"]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    private static func body(_ request: LoopbackHTTPServer.Request) -> String? {
        let object = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
        return object?["body"] as? String
    }
}
