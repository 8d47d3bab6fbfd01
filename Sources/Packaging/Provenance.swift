import Core
import Foundation

/// Where an image comes from, written as manifest annotations: the standard
/// `org.opencontainers.image.*` keys and the model's own facts under `dev.sluice.model.*`.
public struct Provenance: Equatable, Sendable {
    /// Build time as seconds since the epoch: `SOURCE_DATE_EPOCH`, else 0, so builds reproduce.
    public var created: Int64
    public var revision: String?
    public var source: String?
    public var version: String?
    public var title: String?
    public var runID: String?
    /// Metrics of the packaged model, by name.
    public var metrics: [String: Double]
    /// Content hashes of the data it was trained on, by data set name.
    public var dataHashes: [String: String]

    public static let modelPrefix = "dev.sluice.model."

    public init(created: Int64 = 0, revision: String? = nil, source: String? = nil, version: String? = nil, title: String? = nil,
                runID: String? = nil, metrics: [String: Double] = [:], dataHashes: [String: String] = [:]) {
        self.created = created
        self.revision = revision
        self.source = source
        self.version = version
        self.title = title
        self.runID = runID
        self.metrics = metrics
        self.dataHashes = dataHashes
    }

    /// Fills what it can from CI variables (GitLab, GitHub, Jenkins) and `SOURCE_DATE_EPOCH`.
    public static func fromEnvironment(_ environment: [String: String]) -> Provenance {
        var provenance = Provenance()
        provenance.created = environment["SOURCE_DATE_EPOCH"].flatMap { Int64($0) } ?? 0
        provenance.revision = environment["CI_COMMIT_SHA"] ?? environment["GITHUB_SHA"] ?? environment["GIT_COMMIT"]
        if let url = environment["CI_PROJECT_URL"] {
            provenance.source = url
        } else if let server = environment["GITHUB_SERVER_URL"], let repository = environment["GITHUB_REPOSITORY"] {
            provenance.source = "\(server)/\(repository)"
        } else {
            provenance.source = environment["GIT_URL"]
        }
        provenance.source = provenance.source.map(RecordedURL.withoutCredentials) // a token in a CI URL is never pushed
        provenance.version = environment["CI_COMMIT_TAG"]
        provenance.title = environment["CI_PROJECT_NAME"] ?? environment["GITHUB_REPOSITORY"].map { ($0 as NSString).lastPathComponent }
        provenance.runID = environment["CI_PIPELINE_ID"] ?? environment["GITHUB_RUN_ID"] ?? environment["BUILD_TAG"]
        return provenance
    }

    /// The RFC 3339 form of `created`.
    public var createdText: String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(created)))
    }

    /// The manifest annotations, base image facts included.
    func annotations(baseName: String?, baseDigest: String?) -> [String: String] {
        var result: [String: String] = ["org.opencontainers.image.created": createdText]
        let optional: [(String, String?)] = [
            ("org.opencontainers.image.revision", revision), ("org.opencontainers.image.source", source),
            ("org.opencontainers.image.version", version), ("org.opencontainers.image.title", title),
            ("org.opencontainers.image.base.name", baseName), ("org.opencontainers.image.base.digest", baseDigest),
            (Self.modelPrefix + "run-id", runID),
        ]
        for case let (key, value?) in optional { result[key] = value }
        let sorted = JSONEncoder()
        sorted.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if !metrics.isEmpty, let json = try? sorted.encode(metrics) { result[Self.modelPrefix + "metrics"] = String(decoding: json, as: UTF8.self) }
        if !dataHashes.isEmpty, let json = try? sorted.encode(dataHashes) { result[Self.modelPrefix + "data-hashes"] = String(decoding: json, as: UTF8.self) }
        return result
    }
}
