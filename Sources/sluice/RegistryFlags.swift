import ArgumentParser
import Core
import Foundation
import HTTP
import OCI
import Config
import Pipeline

/// Flags shared by the commands that talk to registries; the `registry:` section of
/// sluice.yml gives what they leave out, as it does for `sluice run`.
struct RegistryOptionGroup: ParsableArguments {
    @Option(name: .customLong("registry-user"), help: "User name for the target registry (the password is read from stdin with --registry-password-stdin). Default: $SLUICE_REGISTRY_USER with $SLUICE_REGISTRY_PASSWORD.")
    var user: String?

    @Flag(name: .customLong("registry-password-stdin"), help: "Read the registry password or token from standard input.")
    var passwordFromStdin = false

    @Option(name: .customLong("insecure-registry"), help: "Speak plain HTTP to this registry host[:port] (loopback hosts always are). Repeatable; adds to registry.insecure.")
    var insecureRegistries: [String] = []

    @Option(name: .customLong("ca-bundle"), help: "A PEM file of CA certificates to trust for registries (default: registry.ca_bundle).")
    var caBundle: String?

    @Option(help: "How many blobs to transfer at once (default: registry.parallel, else 3).")
    var parallel: Int?

    @Option(name: .customLong("chunk-size"), help: "Upload blobs in PATCH chunks of this size (e.g. 64M) for proxies that limit bodies (default: registry.chunk_size, else one PUT per blob).")
    var chunkSize: String?

    @Option(help: "Tries per request on connection errors, 5xx and 429 (default: registry.retries, else 5).")
    var retries: Int?

    @Option(name: .customLong("cache-dir"), help: "Where pulled blobs are cached (default $SLUICE_CACHE_DIR or .sluice/cache).")
    var cacheDirectory: String?

    @Flag(help: "Trace HTTP requests on stderr (secrets redacted).")
    var verbose = false

    @Flag(help: "No progress lines.")
    var quiet = false

    func validate() throws {
        if let parallel, !(1...64).contains(parallel) { throw ValidationError("--parallel must be between 1 and 64") }
        if let retries, !(1...100).contains(retries) { throw ValidationError("--retries must be between 1 and 100") }
        if let chunkSize { _ = try Self.bytes(chunkSize) }
    }

    /// Registry access for a command whose own registry (the one explicit credentials are for)
    /// is `target`, the `registry:` section of `sources` filling in what the flags leave out.
    func registries(target: String?, sources: SettingsSources) throws -> Registries {
        var flags = RegistryFlags()
        if let user {
            guard passwordFromStdin else { throw ValidationError("--registry-user needs --registry-password-stdin (passwords are never taken as flags)") }
            guard target != nil else { throw ValidationError("--registry-user given but this command talks to no registry") }
            let password = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .newlines)
            flags.credential = Credential(username: user, password: password)
        } else if passwordFromStdin {
            throw ValidationError("--registry-password-stdin needs --registry-user")
        }
        flags.insecure = insecureRegistries
        flags.caBundle = caBundle
        flags.parallel = parallel
        flags.chunkSize = try chunkSize.map(Self.bytes)
        flags.retries = retries
        flags.cacheDirectory = cacheDirectory
        flags.verbose = verbose
        flags.quiet = quiet
        return try RegistrySettings.resolve(flags, sources, targets: target.map { [$0] } ?? []).registries()
    }

    /// `123`, `64K`, `16M`, `1G`, `64MiB` as bytes, at most 2 GiB.
    static func bytes(_ text: String) throws -> Int {
        guard let size = ByteSize(parsing: text), size.bytes >= 1, size.bytes <= Int64(Int32.max) else {
            throw ValidationError("--chunk-size \(text): expected a size such as 16M, at most 2G")
        }
        return Int(size.bytes)
    }
}

/// `--format` for commands whose result is one value.
enum ResultFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
