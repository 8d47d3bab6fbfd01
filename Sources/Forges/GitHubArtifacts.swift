import Foundation
import HTTP

/// A file inside the newest GitHub Actions artifact of a branch (REST API 2022-11-28):
/// `GET /repos/{owner}/{repo}/actions/artifacts?name=` lists the artifacts of that name,
/// newest first, a page of 100 at a time; the newest unexpired one that a run on the branch
/// of this repository (not a fork's branch of the same name) uploaded is downloaded from
/// `.../actions/artifacts/{id}/zip`, which answers with a redirect to short-lived storage
/// (the HTTP client drops the token on that other origin), and the file is read from the zip.
struct GitHubArtifacts {
    let transport: JSONTransport
    let repository: String

    /// At most this many pages of artifacts are searched for the branch's newest.
    static let pages = 10
    /// The largest artifact downloaded, and the largest file read from it.
    static let archiveLimit = 64 << 20
    static let fileLimit = 16 << 20

    /// The first of `entries` (paths inside the artifact) in the newest artifact `name` of
    /// `ref`.
    func latest(ref: String, name: String, entries: [String]) -> BranchArtifacts.Lookup {
        let place = "GitHub Actions artifact \(name) of \(ref)"
        do {
            guard let artifact = try newest(ref: ref, name: name) else {
                return .missing("no unexpired \(place) (no run on \(ref) uploaded one yet, or it expired)")
            }
            guard artifact.size <= Self.archiveLimit else {
                return .missing("the \(place) holds \(artifact.size) bytes, more than the \(Self.archiveLimit >> 20) MiB Sluice downloads for the trend")
            }
            let zip = try download(artifact.id)
            for entry in entries {
                if let data = try ZipEntry.read(entry, from: zip, limit: Self.fileLimit) { return .found(data) }
            }
            return .missing("the \(place) (run \(artifact.runID)) has no \(entries.joined(separator: " or "))")
        } catch let error as ForgeAPIError where error.status == 401 || error.status == 403 {
            return .missing("the token may not read the \(place) (GitHub answered \(error.status ?? 0); the job needs `permissions: actions: read`)")
        } catch let error as ForgeAPIError where error.status == 410 {
            return .missing("the \(place) expired (GitHub answered 410)")
        } catch let error as ForgeAPIError {
            return .missing("GitHub could not give the \(place): \(error.message)")
        } catch {
            return .missing("the \(place) could not be read: \(error)")
        }
    }

    struct Artifact {
        let id: Int
        let size: Int
        let runID: Int
        let created: String
    }

    /// The newest unexpired artifact `name` uploaded by a run on `ref` of this repository.
    func newest(ref: String, name: String) throws -> Artifact? {
        var next: URL? = try transport.url("/repos/\(repository)/actions/artifacts", query: [("name", name), ("per_page", "100")])
        var pages = 0
        while let url = next, pages < Self.pages {
            pages += 1
            let (object, response) = try transport.send("GET", url)
            guard let list = (object as? [String: Any])?["artifacts"] as? [[String: Any]] else {
                throw ForgeAPIError(status: response.status, message: "GET \(Redaction.url(url.absoluteString)) did not answer with artifacts")
            }
            let matching = list.compactMap { item -> Artifact? in
                let run = item["workflow_run"] as? [String: Any] ?? [:]
                guard item["name"] as? String == name, item["expired"] as? Bool == false, run["head_branch"] as? String == ref,
                      let id = item["id"] as? Int, let repositoryID = run["repository_id"] as? Int,
                      run["head_repository_id"] as? Int == repositoryID else { return nil }
                return Artifact(id: id, size: item["size_in_bytes"] as? Int ?? 0, runID: run["id"] as? Int ?? 0, created: item["created_at"] as? String ?? "")
            }
            // Pages go from newest to oldest: the first page with a match holds the newest.
            if let newest = matching.max(by: { $0.created < $1.created }) { return newest }
            next = LinkHeader.next(in: response)
        }
        return nil
    }

    /// The artifact's zip, through GitHub's redirect, at most `archiveLimit` bytes.
    func download(_ id: Int) throws -> Data {
        let url = try transport.url("/repos/\(repository)/actions/artifacts/\(id)/zip")
        var zip = Data()
        let response: HTTPResponse
        do {
            response = try transport.client.send(HTTPRequest(method: "GET", url: url, headers: transport.headers), into: .sink { chunk in
                guard zip.count + chunk.count <= Self.archiveLimit else { throw ZipEntry.Failure("the download is larger than \(Self.archiveLimit >> 20) MiB") }
                zip.append(contentsOf: chunk)
            })
        } catch {
            throw ForgeAPIError(status: nil, message: transport.redact("GET \(Redaction.url(url.absoluteString)): \(error)"))
        }
        guard response.isSuccess else {
            throw ForgeAPIError(status: response.status, message: transport.redact("GET \(Redaction.url(url.absoluteString)) answered \(response.status)"))
        }
        return zip
    }
}
