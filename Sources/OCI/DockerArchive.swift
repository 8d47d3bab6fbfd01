import Core
import Foundation

/// Writes a tarball `docker load` reads: the image's blobs under `blobs/sha256/`, its
/// `manifest.json` (Docker's format) and the OCI `index.json` and `oci-layout` alongside,
/// as `docker save` does since Docker 25.
public enum DockerArchive {
    public static func write(_ image: Image, manifestData: Data, configData: Data, repoTags: [String], to path: String, mtime: Int64) throws {
        struct Entry: Encodable {
            let Config: String
            let RepoTags: [String]
            let Layers: [String]
        }
        let temporary = path + ".tmp-\(getpid())"
        let name = (path as NSString).lastPathComponent
        StaleTemporaries.remove(in: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent) {
            StaleTemporaries.pid(in: $0, after: name + ".tmp-")
        }
        defer { unlink(temporary) }
        let tar = TarWriter(sink: try FileSink(path: temporary), mtime: mtime)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        func add(_ name: String, _ data: Data) throws {
            try tar.writeHeader(TarEntry(name: name, kind: .file(size: Int64(data.count)), mode: 0o644))
            try tar.writeContent(data)
        }
        let manifestJSON = try CanonicalJSON.encode([Entry(Config: "blobs/sha256/\(image.manifest.config.digest.hex)", RepoTags: repoTags,
                                                           Layers: image.manifest.layers.map { "blobs/sha256/\($0.digest.hex)" })])
        var index = Index(manifests: [image.manifestDescriptor])
        if let tag = repoTags.first { index.manifests[0].annotations = [ImageLayout.refNameAnnotation: tag] }
        for directory in ["blobs", "blobs/sha256"] { try tar.writeHeader(TarEntry(name: directory, kind: .directory, mode: 0o755)) }
        var written = Set<Digest>()
        let blobs: [(Digest, Data?)] = [(image.manifestDescriptor.digest, manifestData), (image.manifest.config.digest, configData)]
            + image.manifest.layers.map { ($0.digest, nil) }
        for (digest, data) in blobs.sorted(by: { $0.0 < $1.0 }) where written.insert(digest).inserted {
            if let data {
                try add("blobs/sha256/\(digest.hex)", data)
            } else {
                let source = image.blobPath(digest)
                let size = (try FileManager.default.attributesOfItem(atPath: source)[.size] as? NSNumber)?.int64Value ?? 0
                try tar.writeHeader(TarEntry(name: "blobs/sha256/\(digest.hex)", kind: .file(size: size), mode: 0o644))
                try tar.writeContent(path: source, size: size, buffer: &buffer)
            }
        }
        try add("index.json", try CanonicalJSON.encode(index))
        try add("manifest.json", manifestJSON)
        try add("oci-layout", Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        try tar.finish()
        guard rename(temporary, path) == 0 else { throw OCIError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
