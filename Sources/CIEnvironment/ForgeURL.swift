import Foundation

/// What a merge request or pull request web address says about its forge.
///
/// Jenkins only gives `CHANGE_URL`; its shape tells the forge apart even on self-hosted
/// instances: GitLab's has `/-/merge_requests/N`, GitHub's `/pull/N`.
public struct ForgeURL: Equatable, Sendable {
    public let forge: CIFacts.ForgeKind
    public let apiURL: String
    /// GitLab `group/subgroup/project` or GitHub `owner/repo`.
    public let project: String
    public let number: Int

    /// Parses a change URL; nil when it is neither shape.
    public init?(changeURL: String) {
        guard let components = URLComponents(string: changeURL), let scheme = components.scheme, let host = components.host else { return nil }
        let origin = "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
        let parts = components.path.split(separator: "/").map(String.init)
        if let dash = parts.firstIndex(of: "-"), dash > 0, dash + 2 < parts.count, parts[dash + 1] == "merge_requests", let number = Int(parts[dash + 2]) {
            forge = .gitlab
            apiURL = "\(origin)/api/v4"
            project = parts[..<dash].joined(separator: "/")
            self.number = number
        } else if parts.count >= 4, parts[2] == "pull", let number = Int(parts[3]) {
            forge = .github
            apiURL = host == "github.com" ? "https://api.github.com" : "\(origin)/api/v3"
            project = "\(parts[0])/\(parts[1])"
            self.number = number
        } else {
            return nil
        }
    }

    /// The API root of a forge's public instance.
    public static func publicAPI(_ forge: CIFacts.ForgeKind) -> String {
        switch forge {
        case .gitlab: return "https://gitlab.com/api/v4"
        case .github: return "https://api.github.com"
        }
    }

    /// `https://host/group/project(.git)` -> (API root, `group/project`), for the Jenkins
    /// GitLab plugin's repository URLs. SSH remotes (`git@host:group/project.git`) too.
    static func gitlabProject(repositoryURL: String) -> (apiURL: String, project: String)? {
        var text = repositoryURL
        if text.hasSuffix(".git") { text.removeLast(4) }
        if let components = URLComponents(string: text), let scheme = components.scheme, scheme.hasPrefix("http"), let host = components.host {
            let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard !path.isEmpty else { return nil }
            return ("\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")/api/v4", path)
        }
        if let at = text.firstIndex(of: "@"), let colon = text[at...].firstIndex(of: ":") {
            let host = text[text.index(after: at)..<colon]
            let path = text[text.index(after: colon)...]
            guard !path.isEmpty else { return nil }
            return ("https://\(host)/api/v4", String(path))
        }
        return nil
    }
}
