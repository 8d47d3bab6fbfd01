import Foundation

/// A loopback GitLab (REST v4) for merge request notes, commit statuses and `/user`, as
/// strict as the real one where Sluice could go wrong: `PRIVATE-TOKEN` (or `Bearer`) checked
/// on every call (401 otherwise), job tokens refused on notes, notes paged 20 by default and
/// at most 100 with `x-next-page`/`x-total`/`Link`, bodies over 1,000,000 characters refused
/// with 400, only a note's author may edit it, and 429 with `Retry-After` on demand.
/// Two projects: `ml/churn` (42) with merge request 17, and its fork `alice/churn` (99),
/// which has no merge request 17 (a note sent there is a 404, as on GitLab).
public final class FakeGitLab: @unchecked Sendable {
    public struct Note {
        public var id: Int
        public var body: String
        public var authorID: Int
        public var system: Bool
    }

    public struct Status: Equatable {
        /// The numeric id of the project the status was set in.
        public var project: String = "42"
        public var sha: String
        public var state: String
        public var name: String
        public var description: String
        public var targetURL: String?

        public init(sha: String, state: String, name: String, description: String, targetURL: String?) {
            self.sha = sha
            self.state = state
            self.name = name
            self.description = description
            self.targetURL = targetURL
        }
    }

    /// token -> (user id, username)
    let users: [String: (Int, String)]
    public let projectID = "42"
    public let projectPath = "ml/churn"
    public let mergeRequest = 17
    public let forkProjectID = "99"
    public let forkProjectPath = "alice/churn"
    private let lock = NSLock()
    private var notes: [Note] = []
    private var statusList: [Status] = []
    private var nextID = 1000
    private var pendingRateLimits = 0
    public private(set) var server: LoopbackHTTPServer!

    public init(users: [String: (Int, String)] = ["glpat-sluice-bot": (7, "project_42_bot"), "glpat-alice": (8, "alice")]) throws {
        self.users = users
        server = try LoopbackHTTPServer { [unowned self] request in self.handle(request) }
    }

    deinit { server.stop() }

    public var apiURL: String { server.baseURL + "/api/v4" }

    /// Adds a note as it would be on the merge request already.
    public func seed(body: String, authorID: Int, system: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        nextID += 1
        notes.append(Note(id: nextID, body: body, authorID: authorID, system: system))
    }

    /// Artifact files by "ref job path" (the ref and path decoded), as the latest successful
    /// job of that name on that ref left them.
    private var artifacts: [String: Data] = [:]
    /// The CI job token that may read this project's artifacts (never notes).
    public let jobToken = "job-token-64"
    /// Artifact downloads as (ref, job, path), in order.
    public private(set) var artifactRequests: [(ref: String, job: String, path: String)] = []

    /// Publishes a file as the latest artifacts of `job` on `ref`.
    public func publishArtifact(ref: String, job: String, path: String, contents: Data) {
        lock.lock(); defer { lock.unlock() }
        artifacts["\(ref) \(job) \(path)"] = contents
    }

    public var allNotes: [Note] { lock.lock(); defer { lock.unlock() }; return notes }
    public var statuses: [Status] { lock.lock(); defer { lock.unlock() }; return statusList }

    /// The next `count` requests are answered 429 with `Retry-After: 1`.
    public func rateLimit(next count: Int) { lock.lock(); pendingRateLimits = count; lock.unlock() }

    private func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        lock.lock(); defer { lock.unlock() }
        if pendingRateLimits > 0 {
            pendingRateLimits -= 1
            return .json(#"{"message":"429 Too Many Requests"}"#, status: 429, headers: [("Retry-After", "1"), ("RateLimit-Limit", "600")])
        }
        let path = request.path
        let isNotes = path.contains("/notes")
        if request.header("JOB-TOKEN") != nil, isNotes {
            return .json(#"{"message":"401 Unauthorized"}"#, status: 401)
        }
        if request.method == "GET", let rest = path.range(of: "/jobs/artifacts/").map({ String(path[$0.upperBound...]) }) {
            return artifact(request, rest: rest, project: String(path[..<path.range(of: "/jobs/artifacts/")!.lowerBound]))
        }
        let token = request.header("PRIVATE-TOKEN") ?? request.header("Authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token, let user = users[token] else { return .json(#"{"message":"401 Unauthorized"}"#, status: 401) }

        if request.method == "GET", path == "/api/v4/user" {
            return .json(#"{"id":\#(user.0),"username":"\#(user.1)","bot":true}"#)
        }
        let projects = [projectID: projectID, "ml%2Fchurn": projectID, forkProjectID: forkProjectID, "alice%2Fchurn": forkProjectID]
        guard let (prefix, project) = projects.map({ ("/api/v4/projects/\($0.key)", $0.value) }).first(where: { path.hasPrefix($0.0 + "/") }) else {
            return .json(#"{"message":"404 Project Not Found"}"#, status: 404)
        }
        let rest = String(path.dropFirst(prefix.count))
        let notesPath = "/merge_requests/\(mergeRequest)/notes"
        if rest.hasPrefix("/merge_requests/"), !rest.hasPrefix(notesPath) || project != projectID {
            return .json(#"{"message":"404 Not found"}"#, status: 404)
        }
        switch (request.method, rest) {
        case ("GET", notesPath):
            return page(request)
        case ("POST", notesPath):
            guard let body = Self.body(request) else { return .json(#"{"error":"body is missing"}"#, status: 400) }
            if let refusal = Self.tooLong(body) { return refusal }
            nextID += 1
            let note = Note(id: nextID, body: body, authorID: user.0, system: false)
            notes.append(note)
            return .json(json(note), status: 201)
        case ("PUT", _) where rest.hasPrefix(notesPath + "/"):
            guard let id = Int(rest.dropFirst(notesPath.count + 1)), let index = notes.firstIndex(where: { $0.id == id }) else {
                return .json(#"{"message":"404 Not found"}"#, status: 404)
            }
            guard notes[index].authorID == user.0, !notes[index].system else { return .json(#"{"message":"403 Forbidden"}"#, status: 403) }
            guard let body = Self.body(request) else { return .json(#"{"error":"body is missing"}"#, status: 400) }
            if let refusal = Self.tooLong(body) { return refusal }
            notes[index].body = body
            return .json(json(notes[index]))
        case ("DELETE", _) where rest.hasPrefix(notesPath + "/"):
            // DELETE /projects/:id/merge_requests/:iid/notes/:note_id answers 204; the author only here.
            guard let id = Int(rest.dropFirst(notesPath.count + 1)), let index = notes.firstIndex(where: { $0.id == id }) else {
                return .json(#"{"message":"404 Not found"}"#, status: 404)
            }
            guard notes[index].authorID == user.0, !notes[index].system else { return .json(#"{"message":"403 Forbidden"}"#, status: 403) }
            notes.remove(at: index)
            return .status(204)
        case ("POST", _) where rest.hasPrefix("/statuses/"):
            let object = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
            guard let state = object["state"] as? String, ["pending", "running", "success", "failed", "canceled", "skipped"].contains(state) else {
                return .json(#"{"error":"state does not have a valid value"}"#, status: 400)
            }
            var status = Status(sha: String(rest.dropFirst("/statuses/".count)), state: state, name: object["name"] as? String ?? "default",
                                description: object["description"] as? String ?? "", targetURL: object["target_url"] as? String)
            status.project = project
            if let last = statusList.last(where: { $0.project == project && $0.sha == status.sha && $0.name == status.name }), last.state == state {
                return .json(#"{"message":"Cannot transition status via :\#(state) from :\#(state) (Reason(s): Status cannot transition via \"\#(state)\")"}"#, status: 400)
            }
            statusList.append(status)
            return .json(#"{"id":1,"status":"\#(state)","name":"\#(status.name)"}"#, status: 201)
        default:
            return .json(#"{"message":"404 Not found"}"#, status: 404)
        }
    }

    /// `GET /projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path?job=NAME`: the ref is one
    /// path segment (a `/` in it encoded as %2F), `job` is required (400 without), a private
    /// or job token is required (401), and an unknown ref, job or path is 404.
    private func artifact(_ request: LoopbackHTTPServer.Request, rest: String, project: String) -> LoopbackHTTPServer.Response {
        let token = request.header("PRIVATE-TOKEN")
        guard token.map({ users[$0] != nil }) ?? false || request.header("JOB-TOKEN") == jobToken else {
            return .json(#"{"message":"401 Unauthorized"}"#, status: 401)
        }
        guard ["/api/v4/projects/\(projectID)", "/api/v4/projects/ml%2Fchurn"].contains(project) else {
            return .json(#"{"message":"404 Project Not Found"}"#, status: 404)
        }
        guard let job = request.query["job"], !job.isEmpty else { return .json(#"{"error":"job is missing"}"#, status: 400) }
        let parts = rest.components(separatedBy: "/raw/")
        guard parts.count >= 2, !parts[0].contains("/") else { return .json(#"{"error":"404 Not Found"}"#, status: 404) }
        let ref = parts[0].removingPercentEncoding ?? parts[0]
        let file = parts.dropFirst().joined(separator: "/raw/").removingPercentEncoding ?? ""
        artifactRequests.append((ref, job, file))
        guard let data = artifacts["\(ref) \(job) \(file)"] else { return .json(#"{"message":"404 Not Found"}"#, status: 404) }
        return LoopbackHTTPServer.Response(status: 200, headers: [("Content-Type", "application/octet-stream")], body: .data(data))
    }

    private func page(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let perPage = min(max(Int(request.query["per_page"] ?? "") ?? 20, 1), 100)
        let pageNumber = max(Int(request.query["page"] ?? "") ?? 1, 1)
        let total = notes.count
        let pages = max(1, (total + perPage - 1) / perPage)
        let slice = notes.dropFirst((pageNumber - 1) * perPage).prefix(perPage)
        let base = "\(server.baseURL)\(request.path)?order_by=created_at&per_page=\(perPage)&sort=asc"
        var links = ["<\(base)&page=1>; rel=\"first\"", "<\(base)&page=\(pages)>; rel=\"last\""]
        if pageNumber < pages { links.insert("<\(base)&page=\(pageNumber + 1)>; rel=\"next\"", at: 0) }
        let headers = [("x-page", "\(pageNumber)"), ("x-per-page", "\(perPage)"), ("x-total", "\(total)"), ("x-total-pages", "\(pages)"),
                       ("x-next-page", pageNumber < pages ? "\(pageNumber + 1)" : ""), ("x-prev-page", pageNumber > 1 ? "\(pageNumber - 1)" : ""),
                       ("Link", links.joined(separator: ", "))]
        return .json("[" + slice.map(json).joined(separator: ",") + "]", headers: headers)
    }

    private func json(_ note: Note) -> String {
        let object: [String: Any] = ["id": note.id, "body": note.body, "system": note.system, "noteable_type": "MergeRequest",
                                     "author": ["id": note.authorID, "username": users.values.first { $0.0 == note.authorID }?.1 ?? "someone"]]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func body(_ request: LoopbackHTTPServer.Request) -> String? {
        let object = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
        guard let body = object?["body"] as? String, !body.isEmpty else { return nil }
        return body
    }

    /// GitLab validates `note` to 1,000,000 characters (Ruby string length: code points).
    static func tooLong(_ body: String) -> LoopbackHTTPServer.Response? {
        body.unicodeScalars.count > 1_000_000 ? .json(#"{"message":{"note":["is too long (maximum is 1000000 characters)"]}}"#, status: 400) : nil
    }
}
