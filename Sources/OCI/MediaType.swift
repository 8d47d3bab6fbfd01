/// The media types of the OCI image spec and of Docker's v2 schema 2, which registries still serve.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"

    /// Whether `type` names an index (a list of per-platform manifests).
    public static func isIndex(_ type: String?) -> Bool {
        type == ociIndex || type == dockerManifestList
    }

    /// Whether `type` is one of Docker's rather than OCI's.
    public static func isDocker(_ type: String?) -> Bool {
        type?.hasPrefix("application/vnd.docker.") ?? false
    }

    /// Every manifest type Sluice reads, for `Accept` headers.
    public static let manifestTypes = [ociIndex, ociManifest, dockerManifestList, dockerManifest]
}
