import CIEnvironment
import Foundation
import HTTP

/// GitHub's issue comments (pull requests are issues for comments), commit statuses and
/// current user (REST API 2022-11-28).
struct GitHubAPI: ForgeAPI {
    /// The account Actions' `GITHUB_TOKEN` comments as; that token may not read `GET /user`.
    static let actionsBot = ForgeUser(id: 41898282, login: "github-actions[bot]")

    let transport: JSONTransport
    /// `owner/repo`.
    let repository: String

    var kind: CIFacts.ForgeKind { .github }

    init(client: HTTPClient, apiURL: String, repository: String, token: String) {
        transport = JSONTransport(client: client, apiURL: apiURL, headers: [
            "Authorization": "Bearer \(token)", "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
        ], secret: token)
        self.repository = repository
    }

    func currentUser() throws -> ForgeUser {
        do {
            let (object, _) = try transport.send("GET", try transport.url("/user"))
            let user = object as? [String: Any] ?? [:]
            return ForgeUser(id: user["id"] as? Int, login: user["login"] as? String ?? "")
        } catch let error as ForgeAPIError where error.status == 403 {
            // Actions' installation token: "Resource not accessible by integration".
            return Self.actionsBot
        }
    }

    func comments(number: Int) throws -> [ForgeComment] {
        let first = try transport.url("/repos/\(repository)/issues/\(number)/comments", query: [("per_page", "100")])
        return try transport.all(first).map(Self.comment)
    }

    func createComment(number: Int, body: String) throws -> ForgeComment {
        let (object, _) = try transport.send("POST", try transport.url("/repos/\(repository)/issues/\(number)/comments"), json: ["body": body])
        return Self.comment(object as? [String: Any] ?? [:])
    }

    func updateComment(number: Int, id: Int, body: String) throws -> ForgeComment {
        let (object, _) = try transport.send("PATCH", try transport.url("/repos/\(repository)/issues/comments/\(id)"), json: ["body": body])
        return Self.comment(object as? [String: Any] ?? [:])
    }

    func deleteComment(number: Int, id: Int) throws {
        do {
            _ = try transport.send("DELETE", try transport.url("/repos/\(repository)/issues/comments/\(id)"))
        } catch let error as ForgeAPIError where error.status == 404 {
            return // another job deleted it first
        }
    }

    func setStatus(commit: String, state: StatusState, context: String, description: String, targetURL: String?) throws {
        // GitHub keeps status descriptions to 140 characters.
        var json: [String: Any] = ["state": Self.state(state), "context": context, "description": String(description.prefix(140))]
        if let targetURL { json["target_url"] = targetURL }
        _ = try transport.send("POST", try transport.url("/repos/\(repository)/statuses/\(commit)"), json: json)
    }

    func commentURL(number: Int, id: Int, changeURL: String?) -> String? {
        changeURL.map { "\($0)#issuecomment-\(id)" }
    }

    static func state(_ state: StatusState) -> String {
        switch state {
        case .success: return "success"
        case .failure: return "failure"
        }
    }

    static func comment(_ json: [String: Any]) -> ForgeComment {
        let user = json["user"] as? [String: Any]
        return ForgeComment(id: json["id"] as? Int ?? 0, body: json["body"] as? String ?? "", authorID: user?["id"] as? Int,
                            authorLogin: user?["login"] as? String, system: false)
    }
}
