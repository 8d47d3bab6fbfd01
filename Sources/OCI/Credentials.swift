import Foundation

/// A user name and password (or token) for one registry.
public struct Credential: Equatable, Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// Finds the credential for a registry: an explicit one given for that registry (flags),
/// `CI_REGISTRY_USER`/`CI_REGISTRY_PASSWORD` when the registry is `CI_REGISTRY`, then the
/// `auths` of `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. A credential is only
/// ever returned for the registry it was given for.
public struct CredentialStore: Sendable {
    public var explicit: [String: Credential]
    public var environment: [String: String]
    public var dockerConfigPath: String?

    public init(explicit: [String: Credential] = [:], environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.explicit = explicit
        self.environment = environment
        let directory = environment["DOCKER_CONFIG"] ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".docker")
        dockerConfigPath = (directory as NSString).appendingPathComponent("config.json")
    }

    /// The credential for `registry` (`host[:port]`), if one is known.
    public func credential(for registry: String) throws -> Credential? {
        let host = Self.canonical(registry)
        if let credential = explicit.first(where: { Self.canonical($0.key) == host })?.value { return credential }
        if let ciRegistry = environment["CI_REGISTRY"], Self.canonical(ciRegistry) == host,
           let user = environment["CI_REGISTRY_USER"], let password = environment["CI_REGISTRY_PASSWORD"] {
            return Credential(username: user, password: password)
        }
        return try dockerConfigCredential(host)
    }

    private func dockerConfigCredential(_ host: String) throws -> Credential? {
        guard let path = dockerConfigPath, let data = FileManager.default.contents(atPath: path) else { return nil }
        struct Config: Decodable {
            struct Auth: Decodable {
                var auth: String?
                var username: String?
                var password: String?
                var identitytoken: String?
            }
            var auths: [String: Auth]?
        }
        let config: Config
        do { config = try JSONDecoder().decode(Config.self, from: data) } catch {
            throw OCIError.usage("\(path) is not valid Docker configuration JSON: \(error.localizedDescription)")
        }
        guard let entry = config.auths?.first(where: { Self.canonical($0.key) == host })?.value else { return nil }
        if let encoded = entry.auth, let decoded = Data(base64Encoded: encoded).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            return Credential(username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
        }
        if let username = entry.username, let password = entry.password { return Credential(username: username, password: password) }
        if let token = entry.identitytoken { return Credential(username: "<token>", password: token) }
        return nil
    }

    /// `https://index.docker.io/v1/` and `docker.io` name Docker Hub; schemes and paths are dropped.
    static func canonical(_ text: String) -> String {
        var host = text.lowercased()
        if let scheme = host.range(of: "://") { host = String(host[scheme.upperBound...]) }
        if let slash = host.firstIndex(of: "/") { host = String(host[..<slash]) }
        return ["docker.io", "index.docker.io", "registry-1.docker.io"].contains(host) ? Reference.dockerHub : host
    }
}
