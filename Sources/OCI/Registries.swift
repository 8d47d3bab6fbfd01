import Foundation

/// One `RegistryClient` per registry host, so a token obtained once (with its scopes) is
/// reused by every step that talks to that registry.
public final class Registries: @unchecked Sendable {
    public let options: RegistryClient.Options
    /// How many blobs move at once.
    public let parallel: Int
    /// The content-addressed cache pulled blobs go to.
    public let cache: ImageLayout
    private let lock = NSLock()
    private var clients: [String: RegistryClient] = [:]

    public init(options: RegistryClient.Options, parallel: Int, cacheDirectory: String) throws {
        self.options = options
        self.parallel = max(1, parallel)
        cache = try ImageLayout(path: cacheDirectory, create: true)
    }

    public func client(_ registry: String) -> RegistryClient {
        lock.lock()
        defer { lock.unlock() }
        if let client = clients[registry] { return client }
        let client = RegistryClient(registry: registry, options: options)
        clients[registry] = client
        return client
    }
}
