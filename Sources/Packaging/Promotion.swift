import Foundation
import OCI
import ReportModel

/// Moving a tag (such as `champion`) to an image, only once the registry is known to hold
/// the whole image: its manifest and every blob the manifest names.
public enum Promotion {
    /// Verifies `reference` (which must carry a digest) and points `tag` at it.
    public static func promote(_ reference: Reference, tag: String, registries: Registries) throws -> ImageSummary {
        guard let digest = reference.digest else {
            throw PackagingError.usage("promote needs an image by digest (IMAGE@sha256:...), not \(reference); a tag could move under you")
        }
        let client = registries.client(reference.registry)
        let (data, descriptor) = try client.manifest(reference.repository, digest.description)
        var manifests: [Manifest] = []
        if MediaType.isIndex(descriptor.mediaType) {
            let index = try CanonicalJSON.decode(Index.self, from: data, what: "the index \(reference)")
            for entry in index.manifests {
                let child = try client.manifest(reference.repository, entry.digest.description)
                manifests.append(try CanonicalJSON.decode(Manifest.self, from: child.data, what: "manifest \(entry.digest)"))
            }
        } else {
            manifests.append(try CanonicalJSON.decode(Manifest.self, from: data, what: "the manifest \(reference)"))
        }
        for manifest in manifests {
            for blob in [manifest.config] + manifest.layers where try !client.blobExists(reference.repository, blob.digest) {
                throw PackagingError.runtime("not promoting \(reference): the registry lacks blob \(blob.digest) (an incomplete push?); \(tag) is unchanged")
            }
        }
        try client.putManifest(reference.repository, tag, data: data, mediaType: descriptor.mediaType)
        guard try client.manifestDigest(reference.repository, tag) == digest else {
            throw PackagingError.runtime("\(reference.registry)/\(reference.repository):\(tag) does not point at \(digest) after promotion")
        }
        let layers = manifests.first?.layers ?? []
        return ImageSummary(reference: "\(reference.registry)/\(reference.repository):\(tag)", digest: digest.description, pushed: true, promotedTag: tag,
                            layers: layers.map { LayerSummary(name: $0.annotations?[ImagePackager.layerNameAnnotation] ?? "base", digest: $0.digest.description, size: Int($0.size), uploaded: false) })
    }
}
