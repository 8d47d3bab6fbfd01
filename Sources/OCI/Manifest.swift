import Foundation

/// An image manifest: a config and an ordered list of layers.
public struct Manifest: Codable, Equatable, Sendable {
    public var schemaVersion: Int = 2
    public var mediaType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var annotations: [String: String]?

    public init(mediaType: String, config: Descriptor, layers: [Descriptor], annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }
}

/// An image index (or Docker manifest list): manifests per platform, or the tags of a layout.
public struct Index: Codable, Equatable, Sendable {
    public var schemaVersion: Int = 2
    public var mediaType: String?
    public var manifests: [Descriptor]
    public var annotations: [String: String]?

    public init(mediaType: String? = MediaType.ociIndex, manifests: [Descriptor], annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.manifests = manifests
        self.annotations = annotations
    }

    /// The entry for `platform`, if the index has one.
    public func manifest(for platform: Platform) -> Descriptor? {
        manifests.first { $0.platform.map(platform.matches) ?? false }
    }
}

/// The JSON form manifests and configs are written in: compact with sorted keys, so the same
/// value always has the same bytes and so the same digest.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw OCIError.invalid("\(what) is not a valid \(type): \(error)")
        }
    }
}
