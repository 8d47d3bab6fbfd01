import CIEnvironment
import Foundation
import HTTP

/// GitLab's merge request notes, commit statuses and current user (REST API v4).
struct GitLabAPI: ForgeAPI {
    let transport: JSONTransport
    /// A numeric id or a `group/project` path (URL-encoded into one path segment).
    let project: String

    var kind: CIFacts.ForgeKind { .gitlab }

    init(client: HTTPClient, apiURL: String, project: String, token: String) {
        transport = JSONTransport(client: client, apiURL: apiURL, headers: ["PRIVATE-TOKEN": token, "Accept": "application/json"], secret: token)
        self.project = project
    }

    private var projectPath: String {
        "/projects/" + (project.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? project)
    }

    func currentUser() throws -> ForgeUser {
        let (object, _) = try transport.send("GET", try transport.url("/user"))
        let user = object as? [String: Any] ?? [:]
        return ForgeUser(id: user["id"] as? Int, login: user["username"] as? String ?? "")
    }

    func comments(number: Int) throws -> [ForgeComment] {
        let first = try transport.url("\(projectPath)/merge_requests/\(number)/notes", query: [("per_page", "100"), ("sort", "asc"), ("order_by", "created_at")])
        return try transport.all(first).map(Self.note)
    }

    func createComment(number: Int, body: String) throws -> ForgeComment {
        let (object, _) = try transport.send("POST", try transport.url("\(projectPath)/merge_requests/\(number)/notes"), json: ["body": body])
        return Self.note(object as? [String: Any] ?? [:])
    }

    func updateComment(number: Int, id: Int, body: String) throws -> ForgeComment {
        let (object, _) = try transport.send("PUT", try transport.url("\(projectPath)/merge_requests/\(number)/notes/\(id)"), json: ["body": body])
        return Self.note(object as? [String: Any] ?? [:])
    }

    func deleteComment(number: Int, id: Int) throws {
        do {
            _ = try transport.send("DELETE", try transport.url("\(projectPath)/merge_requests/\(number)/notes/\(id)"))
        } catch let error as ForgeAPIError where error.status == 404 {
            return // another job deleted it first
        }
    }

    func setStatus(commit: String, state: StatusState, context: String, description: String, targetURL: String?) throws {
        var json: [String: Any] = ["state": Self.state(state), "name": context, "description": String(description.prefix(255))]
        if let targetURL { json["target_url"] = targetURL }
        do {
            _ = try transport.send("POST", try transport.url("\(projectPath)/statuses/\(commit)"), json: json)
        } catch let error as ForgeAPIError where error.status == 400 && error.message.contains("Cannot transition status") {
            // The status already has this state (a re-run): GitLab refuses the no-op transition.
            return
        }
    }

    func commentURL(number: Int, id: Int, changeURL: String?) -> String? {
        changeURL.map { "\($0)#note_\(id)" }
    }

    static func state(_ state: StatusState) -> String {
        switch state {
        case .success: return "success"
        case .failure: return "failed"
        }
    }

    static func note(_ json: [String: Any]) -> ForgeComment {
        let author = json["author"] as? [String: Any]
        return ForgeComment(id: json["id"] as? Int ?? 0, body: json["body"] as? String ?? "", authorID: author?["id"] as? Int,
                            authorLogin: author?["username"] as? String, system: json["system"] as? Bool ?? false)
    }
}
