import Foundation

/// An image whose manifest and config are in hand and whose blobs are files on disk.
public struct Image: Sendable {
    public var manifestDescriptor: Descriptor
    public var manifest: Manifest
    public var config: ImageConfig
    /// Where each blob's file is.
    public var blobPath: @Sendable (Digest) -> String

    public init(manifestDescriptor: Descriptor, manifest: Manifest, config: ImageConfig, blobPath: @escaping @Sendable (Digest) -> String) {
        self.manifestDescriptor = manifestDescriptor
        self.manifest = manifest
        self.config = config
        self.blobPath = blobPath
    }

    /// Reads the image `tag` (or the only one) of a layout, following an index to `platform`.
    public static func read(from layout: ImageLayout, tag: String?, platform: Platform = .linuxAMD64) throws -> Image {
        var descriptor = try layout.manifestDescriptor(tag: tag)
        if MediaType.isIndex(descriptor.mediaType) {
            let index = try CanonicalJSON.decode(Index.self, from: try layout.readBlob(descriptor.digest), what: "index \(descriptor.digest)")
            guard let chosen = index.manifest(for: platform) else {
                throw OCIError.usage("\(layout.path) has no image for \(platform)")
            }
            descriptor = chosen
        }
        let manifest = try CanonicalJSON.decode(Manifest.self, from: try layout.readBlob(descriptor.digest), what: "manifest \(descriptor.digest)")
        let config = try CanonicalJSON.decode(ImageConfig.self, from: try layout.readBlob(manifest.config.digest), what: "config \(manifest.config.digest)")
        return Image(manifestDescriptor: descriptor, manifest: manifest, config: config, blobPath: { layout.blobPath($0) })
    }
}
