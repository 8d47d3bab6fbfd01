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

    /// Where a branch's file is kept on each forge.
    public struct ArtifactFile: Equatable {
        /// GitLab: the job whose artifacts hold the file.
        public var gitlabJob: String
        /// GitHub: the name the workflow uploads the artifact under.
        public var githubArtifact: String
        /// The file's path in the job's working directory, e.g. `.sluice/latest/run.json`.
        public var path: String

        public init(gitlabJob: String, githubArtifact: String, path: String) {
            self.gitlabJob = gitlabJob
            self.githubArtifact = githubArtifact
            self.path = path
        }

        /// Where the file may lie inside a GitHub artifact, which keeps paths relative to the
        /// uploaded directory: the name alone first, then with more of its directories.
        var entriesInArtifact: [String] {
            let parts = path.split(separator: "/")
            return (1...max(parts.count, 1)).map { parts.suffix($0).joined(separator: "/") }
        }
    }

    let facts: CIFacts
    let environment: [String: String]
    let client: HTTPClient

    public init(facts: CIFacts, environment: [String: String], client: HTTPClient) {
        self.facts = facts
        self.environment = environment
        self.client = client
    }

    /// The file at `file.path` as the latest run on branch `ref` kept it. GitLab: the
    /// artifacts of the latest successful `file.gitlabJob`, through
    /// `GET /projects/:id/jobs/artifacts/:ref/raw/*path?job=NAME` with the API token, else
    /// the job token (which may read the project's own artifacts). GitHub: the newest
    /// artifact `file.githubArtifact` of the branch (`GitHubArtifacts`), in which the file
    /// lies under the uploaded directory: `run.json`, `latest/run.json` or the whole path.
    public func latest(ref: String, file: ArtifactFile) -> Lookup {
        guard let forge = facts.forge, let apiURL = facts.apiURL, let project = facts.project else {
            return .missing("no forge in reach (not running in CI)")
        }
        guard forge == .gitlab else {
            guard case .token(let token) = ForgeCredentials.lookup(.github, environment: environment) else {
                return .missing("no GitHub token to read artifacts with (GITHUB_TOKEN)")
            }
            let api = GitHubAPI(client: client, apiURL: apiURL, repository: project, token: token)
            return GitHubArtifacts(transport: api.transport, repository: project).latest(ref: ref, name: file.githubArtifact, entries: file.entriesInArtifact)
        }
        let job = file.gitlabJob, path = file.path
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
