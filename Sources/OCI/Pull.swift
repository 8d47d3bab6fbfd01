import Foundation

/// Pulling an image: the manifest (through an index, for one platform), the config, and the
/// layers, streamed into a content-addressed cache that later pulls reuse.
public enum Pull {
    /// Pulls `reference` for `platform` into `cache` and returns it with blobs in the cache.
    public static func image(_ reference: Reference, platform: Platform, client: RegistryClient, cache: ImageLayout, parallel: Int = 3) throws -> Image {
        var (data, descriptor) = try client.manifest(reference.repository, reference.identifier)
        if MediaType.isIndex(descriptor.mediaType) {
            let index = try CanonicalJSON.decode(Index.self, from: data, what: "the index of \(reference)")
            guard let chosen = index.manifest(for: platform) else {
                let offered = index.manifests.compactMap { $0.platform?.description }.joined(separator: ", ")
                throw OCIError.usage("\(reference) has no image for \(platform) (it has: \(offered))")
            }
            (data, descriptor) = try client.manifest(reference.repository, chosen.digest.description)
        }
        try cache.writeBlob(data, mediaType: descriptor.mediaType)
        let manifest = try CanonicalJSON.decode(Manifest.self, from: data, what: "the manifest of \(reference)")
        if descriptor.mediaType != MediaType.ociManifest && descriptor.mediaType != MediaType.dockerManifest {
            throw OCIError.invalid("\(reference) is a \(descriptor.mediaType), not an image manifest")
        }
        try client.downloadBlob(reference.repository, manifest.config, into: cache)
        let config = try CanonicalJSON.decode(ImageConfig.self, from: try cache.readBlob(manifest.config.digest), what: "the config of \(reference)")
        try Parallel.forEach(manifest.layers, width: parallel) { layer in
            try client.downloadBlob(reference.repository, layer, into: cache)
        }
        return Image(manifestDescriptor: descriptor, manifest: manifest, config: config, blobPath: { cache.blobPath($0) })
    }
}

