import CIEnvironment
import Foundation
import HTTP

/// A file from a branch's latest job artifacts on the forge, for history that outlives one
/// pipeline (the target branch's last `run.json`). Never throws: what is not there, or not
/// readable with the token at hand, comes back as a plain reason.
public struct BranchArtifacts {
    /// The file, or why there is none.
    public enum Lookup: Equatable {
        case found(Data)
        case missing(String)
    }

    let facts: CIFacts
    let environment: [String: String]
    let client: HTTPClient

    public init(facts: CIFacts, environment: [String: String], client: HTTPClient) {
        self.facts = facts
        self.environment = environment
        self.client = client
    }

    /// The file at `path` in the artifacts of the latest successful `job` on branch `ref`.
    /// GitLab: `GET /projects/:id/jobs/artifacts/:ref/raw/*path?job=NAME` with the API token,
    /// else the job token (which may read the project's own artifacts).
    public func latest(ref: String, job: String, path: String) -> Lookup {
        guard let forge = facts.forge, let apiURL = facts.apiURL, let project = facts.project else {
            return .missing("no forge in reach (not running in CI)")
        }
        guard forge == .gitlab else {
            return .missing("reading GitHub Actions artifacts is not supported (they are zip archives behind a redirect)")
        }
        let header: (String, String)
        switch ForgeCredentials.lookup(.gitlab, environment: environment) {
        case .token(let token): header = ("PRIVATE-TOKEN", token)
        case .missing:
            guard let job = environment["CI_JOB_TOKEN"], !job.isEmpty else { return .missing("no GitLab token to read artifacts with") }
            header = ("JOB-TOKEN", job)
        }
        let segment = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let encodedPath = path.split(separator: "/").map { String($0).addingPercentEncoding(withAllowedCharacters: segment) ?? String($0) }.joined(separator: "/")
        let base = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        var components = URLComponents(string: base)
        components?.percentEncodedPath += "/projects/\(project.addingPercentEncoding(withAllowedCharacters: segment) ?? project)/jobs/artifacts/"
            + "\(ref.addingPercentEncoding(withAllowedCharacters: segment) ?? ref)/raw/\(encodedPath)"
        components?.queryItems = [URLQueryItem(name: "job", value: job)]
        guard let url = components?.url else { return .missing("\(apiURL) is not a valid API address") }
        let place = "\(path) of job \(job) on \(ref)"
        do {
            let response = try client.send(HTTPRequest(method: "GET", url: url, headers: HTTPHeaders([header])))
            switch response.status {
            case 200: return .found(response.body)
            case 404: return .missing("no \(place) in GitLab's job artifacts (no successful run yet, or the artifacts expired)")
            case 401, 403: return .missing("the token may not read \(place) (GitLab answered \(response.status))")
            default: return .missing("GitLab answered \(response.status) for \(place)")
            }
        } catch {
            return .missing("GitLab could not be reached for \(place): \(Redaction.url("\(error)"))")
        }
    }
}
