import Foundation

/// An image reference: `[registry/]repository[:tag][@digest]`, Docker's naming rules.
public struct Reference: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `host[:port]`; Docker Hub is `registry-1.docker.io`.
    public var registry: String
    public var repository: String
    public var tag: String?
    public var digest: Digest?

    public static let dockerHub = "registry-1.docker.io"

    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Parses a reference; a name without a registry is on Docker Hub (`library/` for single names).
    public init(parsing text: String) throws {
        var rest = text
        if let at = rest.firstIndex(of: "@") {
            digest = try Digest(String(rest[rest.index(after: at)...]))
            rest = String(rest[..<at])
        }
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let candidate = String(rest[rest.index(after: colon)...])
            guard candidate.range(of: #"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"#, options: .regularExpression) != nil else {
                throw OCIError.usage("invalid tag in image reference \(text)")
            }
            tag = candidate
            rest = String(rest[..<colon])
        }
        var parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" {
            registry = parts.removeFirst()
            if ["docker.io", "index.docker.io"].contains(registry) { registry = Self.dockerHub }
        } else {
            registry = Self.dockerHub
        }
        if registry == Self.dockerHub && parts.count == 1 { parts.insert("library", at: 0) }
        repository = parts.joined(separator: "/")
        guard repository.range(of: #"^[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$"#, options: .regularExpression) != nil else {
            throw OCIError.usage("invalid image reference \(text) (repository names are lowercase letters, digits and . _ - /)")
        }
    }

    /// The tag or digest to ask the registry for (the digest wins).
    public var identifier: String { digest?.description ?? tag ?? "latest" }

    public var description: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }
}
