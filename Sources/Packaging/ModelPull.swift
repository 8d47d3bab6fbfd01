import Core
import Foundation
import OCI

/// Reading one named layer (such as the champion's model) of a registry image into a directory.
public enum ModelPull {
    public struct Result: Equatable, Sendable {
        /// The image's manifest digest, which a report records as the champion's identity.
        public var imageDigest: String
        public var layerDigest: String
        public var files: Int
    }

    /// Extracts layer `name` of `reference` into `directory`. The layer lands in a sibling
    /// directory first and replaces `directory` only when complete. Paths are relative to
    /// the layer's mapped root (`/app/model` -> `directory`) unless `keepPaths`.
    public static func pull(_ reference: Reference, layer name: String, into directory: String, platform: Platform = .linuxAMD64,
                            keepPaths: Bool = false, registries: Registries) throws -> Result {
        let client = registries.client(reference.registry)
        var (data, descriptor) = try client.manifest(reference.repository, reference.identifier)
        if MediaType.isIndex(descriptor.mediaType) {
            let index = try CanonicalJSON.decode(Index.self, from: data, what: "the index of \(reference)")
            guard let chosen = index.manifest(for: platform) else { throw PackagingError.usage("\(reference) has no image for \(platform)") }
            (data, descriptor) = try client.manifest(reference.repository, chosen.digest.description)
        }
        let manifest = try CanonicalJSON.decode(Manifest.self, from: data, what: "the manifest of \(reference)")
        guard let layer = manifest.layers.last(where: { $0.annotations?[ImagePackager.layerNameAnnotation] == name }) else {
            let named = manifest.layers.compactMap { $0.annotations?[ImagePackager.layerNameAnnotation] }
            throw PackagingError.usage("\(reference) has no layer named \(name) (named layers: \(named.isEmpty ? "none" : named.joined(separator: ", ")))")
        }
        try client.downloadBlob(reference.repository, layer, into: registries.cache)
        let target = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let staging = target + ".partial-\(getpid())"
        let parent = (target as NSString).deletingLastPathComponent
        StaleTemporaries.remove(in: parent.isEmpty ? "." : parent) { StaleTemporaries.pid(in: $0, after: (target as NSString).lastPathComponent + ".partial-") }
        try? FileManager.default.removeItem(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let root = keepPaths ? nil : layer.annotations?[ImagePackager.layerRootAnnotation]
        let files = try Extract.layer(registries.cache.blobPath(layer.digest), into: staging, stripping: root)
        if FileManager.default.fileExists(atPath: directory) { try FileManager.default.removeItem(atPath: directory) }
        guard rename(staging, directory) == 0 else {
            throw PackagingError.runtime("cannot move the extracted layer to \(directory): \(String(cString: strerror(errno)))")
        }
        return Result(imageDigest: descriptor.digest.description, layerDigest: layer.digest.description, files: files)
    }
}
