import Foundation
import OCI
import ReportModel

/// Moving a tag (such as `champion`) to an image, only once the registry is known to hold
/// the whole image: its manifest and every blob the manifest names.
public enum Promotion {
    /// Verifies `reference` (which must carry a digest) and points `tag` at it, then reads
    /// the tag back twice, `settle` seconds apart, failing (exit 3) when another digest won.
    public static func promote(_ reference: Reference, tag: String, registries: Registries, settle: TimeInterval = 1) throws -> ImageSummary {
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
        // Registries have no compare-and-swap: two jobs promoting at once both get 201, and
        // the last write wins. Reading back at once and again after `settle` catches a
        // concurrent write, so the loser exits 3 instead of claiming a promotion it lost.
        let target = "\(reference.registry)/\(reference.repository):\(tag)"
        for wait in [0, settle] {
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            guard let current = try client.manifestDigest(reference.repository, tag) else {
                throw PackagingError.runtime("\(target) was written but cannot be read back (404): the registry lost it or another job deleted it; check \(tag) before relying on it")
            }
            guard current == digest else {
                throw PackagingError.runtime("\(target) now points at \(current), not \(digest): another promotion wrote \(tag) at the same time and won; \(digest) was not promoted (serialise promotions: see docs/commands/promote.md)")
            }
        }
        let layers = manifests.first?.layers ?? []
        return ImageSummary(reference: "\(reference.registry)/\(reference.repository):\(tag)", digest: digest.description, pushed: true, promotedTag: tag,
                            layers: layers.map { LayerSummary(name: $0.annotations?[ImagePackager.layerNameAnnotation] ?? "base", digest: $0.digest.description, size: Int($0.size), uploaded: false) })
    }
}
