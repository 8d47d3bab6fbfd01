import ArgumentParser
import Core
import Foundation
import HTTP
import OCI

/// Flags shared by the commands that talk to registries.
struct RegistryFlags: ParsableArguments {
    @Option(name: .customLong("registry-user"), help: "User name for the target registry (the password is read from stdin with --registry-password-stdin). Default: $SLUICE_REGISTRY_USER with $SLUICE_REGISTRY_PASSWORD.")
    var user: String?

    @Flag(name: .customLong("registry-password-stdin"), help: "Read the registry password or token from standard input.")
    var passwordFromStdin = false

    @Option(name: .customLong("insecure-registry"), help: "Speak plain HTTP to this registry host[:port] (loopback hosts always are). Repeatable.")
    var insecureRegistries: [String] = []

    @Option(name: .customLong("ca-bundle"), help: "A PEM file of CA certificates to trust for registries.")
    var caBundle: String?

    @Option(help: "How many blobs to transfer at once.")
    var parallel = 3

    @Option(name: .customLong("chunk-size"), help: "Upload blobs in PATCH chunks of this size (e.g. 64M) for proxies that limit bodies; default one PUT per blob.")
    var chunkSize: String?

    @Option(help: "Tries per request on connection errors, 5xx and 429.")
    var retries = 5

    @Option(name: .customLong("cache-dir"), help: "Where pulled blobs are cached (default $SLUICE_CACHE_DIR or .sluice/cache).")
    var cacheDirectory: String?

    @Flag(help: "Trace HTTP requests on stderr (secrets redacted).")
    var verbose = false

    @Flag(help: "No progress lines.")
    var quiet = false

    /// Registry access for a command whose own registry (the one explicit credentials are for) is `target`.
    func registries(target: String?) throws -> Registries {
        let environment = ProcessInfo.processInfo.environment
        var options = RegistryClient.Options()
        var explicit: [String: Credential] = [:]
        if let user {
            guard passwordFromStdin else { throw ValidationError("--registry-user needs --registry-password-stdin (passwords are never taken as flags)") }
            guard let target else { throw ValidationError("--registry-user given but this command talks to no registry") }
            let password = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .newlines)
            explicit[target] = Credential(username: user, password: password)
        } else if passwordFromStdin {
            throw ValidationError("--registry-password-stdin needs --registry-user")
        } else if let target, let user = environment["SLUICE_REGISTRY_USER"], let password = environment["SLUICE_REGISTRY_PASSWORD"] {
            // The same CI variables `sluice run` reads, for the command's own registry.
            explicit[target] = Credential(username: user, password: password)
        }
        options.credentials = CredentialStore(explicit: explicit)
        options.insecureRegistries = Set(insecureRegistries)
        options.chunkSize = try chunkSize.map(Self.bytes)
        var http = HTTPClient.Configuration()
        http.retry.attempts = max(1, retries)
        http.caBundle = caBundle
        if verbose { http.trace = { Diagnostics.line("http: \($0)") } }
        options.http = HTTPClient(configuration: http)
        options.progress = ProgressReporter.automatic(quiet: quiet)
        let cache = cacheDirectory ?? ((environment["SLUICE_CACHE_DIR"] ?? ".sluice/cache") as NSString).appendingPathComponent("oci")
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        return try Registries(options: options, parallel: parallel, cacheDirectory: cache)
    }

    /// `123`, `64K`, `16M`, `1G` as bytes.
    static func bytes(_ text: String) throws -> Int {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let unit = text.last.flatMap { units[Character($0.uppercased())] }
        guard let number = Int(unit == nil ? text : String(text.dropLast())), number > 0 else {
            throw ValidationError("--chunk-size \(text): expected a size such as 16M")
        }
        return number * (unit ?? 1)
    }
}

/// `--format` for commands whose result is one value.
enum ResultFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
