import Foundation

/// GitHub Actions artifacts as the REST API (2022-11-28) serves them: `GET
/// /repos/{owner}/{repo}/actions/artifacts` (filtered by `name`, newest first, `per_page` 30
/// by default and at most 100, paged with `Link`), and `GET .../artifacts/{id}/zip`, which
/// answers 302 to a signed URL on another origin (the storage server) that refuses a
/// request carrying an `Authorization` header, as blob storage does with a signed URL.
/// Expired artifacts answer 410. Both need the token (401 "Bad credentials").
extension FakeGitHub {
    struct Artifact {
        var id: Int
        var name: String
        var branch: String
        var headRepositoryID: Int
        var runID: Int
        var created: String
        var expired: Bool
        var zip: Data
    }

    /// The id of this repository; a fork's is another.
    public static let repositoryID = 1234

    /// Uploads `zip` as artifact `name` of a run on `branch` (of a fork when `fromFork`),
    /// created at `created` (ISO 8601); returns its id.
    @discardableResult
    public func uploadArtifact(name: String, branch: String, zip: Data, created: String, fromFork: Bool = false, expired: Bool = false) -> Int {
        lock.withLock {
            let id = 7000 + artifacts.count
            artifacts.append(Artifact(id: id, name: name, branch: branch, headRepositoryID: fromFork ? 999 : Self.repositoryID, runID: 90000 + artifacts.count,
                                      created: created, expired: expired, zip: zip))
            return id
        }
    }

    func listArtifacts(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let perPage = min(max(Int(request.query["per_page"] ?? "") ?? 30, 1), 100)
        let pageNumber = max(Int(request.query["page"] ?? "") ?? 1, 1)
        artifactListPages.append(pageNumber)
        let matching = artifacts.filter { request.query["name"] == nil || $0.name == request.query["name"] }.sorted { $0.created > $1.created }
        let pages = max(1, (matching.count + perPage - 1) / perPage)
        let slice = matching.dropFirst((pageNumber - 1) * perPage).prefix(perPage)
        let items: [[String: Any]] = slice.map { artifact in
            ["id": artifact.id, "node_id": "MDg6QXJ0aWZhY3Q\(artifact.id)", "name": artifact.name, "size_in_bytes": artifact.zip.count,
             "url": "\(server.baseURL)/repos/\(repository)/actions/artifacts/\(artifact.id)",
             "archive_download_url": "\(server.baseURL)/repos/\(repository)/actions/artifacts/\(artifact.id)/zip",
             "expired": artifact.expired, "created_at": artifact.created, "updated_at": artifact.created, "expires_at": "2099-01-01T00:00:00Z",
             "workflow_run": ["id": artifact.runID, "repository_id": Self.repositoryID, "head_repository_id": artifact.headRepositoryID,
                              "head_branch": artifact.branch, "head_sha": "0123456789abcdef0123456789abcdef01234567"]]
        }
        var query = "per_page=\(perPage)"
        if let name = request.query["name"] { query += "&name=\(name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? name)" }
        let base = "\(server.baseURL)/repositories/\(Self.repositoryID)/actions/artifacts?\(query)"
        var links: [String] = []
        if pageNumber > 1 { links.append("<\(base)&page=\(pageNumber - 1)>; rel=\"prev\"") }
        if pageNumber < pages { links += ["<\(base)&page=\(pageNumber + 1)>; rel=\"next\"", "<\(base)&page=\(pages)>; rel=\"last\""] }
        let body = try! JSONSerialization.data(withJSONObject: ["total_count": matching.count, "artifacts": items] as [String: Any])
        return .data(body, headers: [("Content-Type", "application/json; charset=utf-8")] + (links.isEmpty ? [] : [("Link", links.joined(separator: ", "))]))
    }

    func downloadArtifact(_ path: String) -> LoopbackHTTPServer.Response {
        let parts = path.split(separator: "/")
        guard parts.count == 7, parts[6] == "zip", let id = Int(parts[5]), let artifact = artifacts.first(where: { $0.id == id }) else {
            return .json(#"{"message":"Not Found","status":"404"}"#, status: 404)
        }
        if artifact.expired { return .json(#"{"message":"Artifact has expired","status":"410"}"#, status: 410) }
        return .status(302, headers: [("Location", "\(storage.baseURL)/blob/\(id)?sig=\(Self.signature(id))&se=2099-01-01")])
    }

    static func signature(_ id: Int) -> String { "s\(id * 7919)" }

    func serveBlob(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let authorized = request.header("Authorization") != nil
        storageRequests.append((request.path, authorized))
        guard !authorized else {
            return .text("<Error><Code>InvalidAuthenticationInfo</Code><Message>Authentication information is not given in the correct format.</Message></Error>", status: 400)
        }
        guard request.method == "GET", let id = Int(request.path.split(separator: "/").last ?? ""), let artifact = artifacts.first(where: { $0.id == id }),
              request.query["sig"] == Self.signature(id) else {
            return .text("<Error><Code>AuthenticationFailed</Code></Error>", status: 403)
        }
        return .data(artifact.zip, headers: [("Content-Type", "application/zip")])
    }
}
