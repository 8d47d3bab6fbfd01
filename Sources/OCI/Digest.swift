import Core
import Crypto
import Foundation

/// A content digest, `sha256:<64 hex>`: the name of every blob, manifest and config.
public struct Digest: Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    public let algorithm: String
    public let hex: String

    /// Parses `sha256:<hex>`; other algorithms and malformed hex are refused.
    public init(_ text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == "sha256", parts[1].count == 64,
              parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw Failure.usage("not a sha256 digest: \(text) (expected sha256: and 64 lowercase hex digits)")
        }
        algorithm = "sha256"
        hex = String(parts[1])
    }

    init(sha256 hex: String) {
        algorithm = "sha256"
        self.hex = hex
    }

    /// The digest of `data`.
    public static func of(_ data: Data) -> Digest {
        Digest(sha256: FileDigest.sha256(data))
    }

    /// The digest of a finished hasher.
    static func of(_ hasher: SHA256) -> Digest {
        Digest(sha256: hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    public var description: String { "\(algorithm):\(hex)" }

    public init(from decoder: Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (a: Digest, b: Digest) -> Bool { a.description < b.description }
}
