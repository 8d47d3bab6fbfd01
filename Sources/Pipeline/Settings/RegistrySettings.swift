import Core
import Foundation
import HTTP
import OCI

/// The registry flags of `package`, `promote` and `pull-model`. `sluice run` has none of
/// these as flags: the `registry:` section gives them.
public struct RegistryFlags {
    /// A credential for the command's own registry (`--registry-user` with the password on stdin).
    public var credential: Credential?
    public var insecure: [String] = []
    public var caBundle: String?
    public var parallel: Int?
    /// Upload chunk size in bytes.
    public var chunkSize: Int?
    public var retries: Int?
    public var cacheDirectory: String?
    public var verbose = false
    public var quiet = false

    public init() {}
}

/// How Sluice talks to registries, resolved once: flags, then the `registry:` section, then
/// the CI's variables (`SLUICE_REGISTRY_USER`/`SLUICE_REGISTRY_PASSWORD`, `CI_REGISTRY_*`,
/// `SLUICE_CACHE_DIR`), then defaults.
public struct RegistrySettings {
    public var options: RegistryClient.Options
    public var parallel: Int
    public var cacheDirectory: String

    /// Settings for commands whose own registries (those explicit credentials are for) are `targets`.
    public static func resolve(_ flags: RegistryFlags, _ sources: SettingsSources, targets: [String]) throws -> RegistrySettings {
        let section = try sources.section(RegistrySection.self, "registry") ?? RegistrySection()
        let environment = sources.environment
        var explicit: [String: Credential] = [:]
        if let credential = flags.credential ?? environment["SLUICE_REGISTRY_USER"].flatMap({ user in
            environment["SLUICE_REGISTRY_PASSWORD"].map { Credential(username: user, password: $0) }
        }) {
            for target in targets { explicit[target] = credential }
        }
        var options = RegistryClient.Options()
        options.credentials = CredentialStore(explicit: explicit, environment: environment)
        options.insecureRegistries = Set(flags.insecure + section.insecure)
        options.chunkSize = flags.chunkSize ?? section.chunkSize.map { Int($0.bytes) }
        var http = HTTPClient.Configuration()
        http.retry.attempts = max(1, flags.retries ?? section.retries)
        http.caBundle = flags.caBundle.map(sources.flagPath) ?? section.caBundle.map(sources.configPath)
        if flags.verbose { http.trace = { Diagnostics.line("http: \($0)") } }
        options.http = HTTPClient(configuration: http)
        options.progress = ProgressReporter.automatic(quiet: flags.quiet)
        let parallel = flags.parallel ?? section.parallel
        guard parallel >= 1 else { throw Failure.usage("--parallel must be at least 1") }
        let cache = flags.cacheDirectory.map(sources.flagPath)
            ?? ((environment["SLUICE_CACHE_DIR"] ?? (sources.sluiceDirectory as NSString).appendingPathComponent("cache")) as NSString).appendingPathComponent("oci")
        return RegistrySettings(options: options, parallel: parallel, cacheDirectory: cache)
    }

    /// The registry clients, one per host, sharing tokens and the blob cache.
    public func registries() throws -> Registries {
        try Registries(options: options, parallel: parallel, cacheDirectory: cacheDirectory)
    }
}
