import Foundation

/// Pushing an image: blobs first (in parallel, each skipped, mounted or uploaded), then the
/// manifest, so a registry never holds a manifest whose blobs are missing.
public enum Push {
    public struct Result: Sendable {
        public var manifestDigest: Digest
        /// How each blob reached the registry.
        public var outcomes: [Digest: RegistryClient.UploadOutcome]
    }

    /// Pushes `image` (with its exact manifest bytes) to `reference`'s repository, tagging it
    /// with `reference.tag` when there is one.
    /// - Parameter mountFrom: for blobs that came from another repository of the same
    ///   registry (the base image), that repository, so the registry can mount instead of upload.
    public static func image(_ image: Image, manifestData: Data, to reference: Reference, client: RegistryClient,
                             mountFrom: [Digest: String] = [:], parallel: Int = 3) throws -> Result {
        var blobs = image.manifest.layers
        blobs.append(image.manifest.config)
        var seen = Set<Digest>()
        blobs = blobs.filter { seen.insert($0.digest).inserted }
        let lock = NSLock()
        var outcomes: [Digest: RegistryClient.UploadOutcome] = [:]
        try Parallel.forEach(blobs, width: parallel) { blob in
            let outcome = try client.uploadBlob(reference.repository, path: image.blobPath(blob.digest), descriptor: blob, mountFrom: mountFrom[blob.digest])
            lock.lock()
            outcomes[blob.digest] = outcome
            lock.unlock()
        }
        let digest = Digest.of(manifestData)
        try client.putManifest(reference.repository, reference.tag ?? digest.description, data: manifestData, mediaType: image.manifestDescriptor.mediaType)
        return Result(manifestDigest: digest, outcomes: outcomes)
    }
}
