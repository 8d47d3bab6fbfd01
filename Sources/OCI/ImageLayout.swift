import Core
import Foundation

/// An OCI image layout directory: `oci-layout`, `index.json` and `blobs/sha256/<hex>`,
/// as `skopeo copy oci:DIR:TAG` and `umoci` read it. Tags are `index.json` entries
/// annotated with `org.opencontainers.image.ref.name`.
public struct ImageLayout: Sendable {
    public let path: String
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"

    /// Opens the layout at `path`, creating an empty one when `create` is set and none exists.
    public init(path: String, create: Bool = false) throws {
        self.path = path
        let marker = (path as NSString).appendingPathComponent("oci-layout")
        if !FileManager.default.fileExists(atPath: marker) {
            guard create else { throw OCIError.usage("\(path) is not an OCI image layout (no oci-layout file)") }
            do {
                try FileManager.default.createDirectory(atPath: (path as NSString).appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
            } catch {
                throw OCIError.usage("cannot create the image layout \(path): \(error.localizedDescription)")
            }
            try AtomicFile.write(#"{"imageLayoutVersion":"1.0.0"}"#, to: marker)
            try AtomicFile.write(try CanonicalJSON.encode(Index(manifests: [])), to: indexPath)
        }
        // Blobs half-written by a killed run are full-size: remove them (and stale index temporaries).
        StaleTemporaries.remove(in: (path as NSString).appendingPathComponent("blobs")) { StaleTemporaries.pid(in: $0, after: ".tmp-", upTo: "-") }
        AtomicFile.removeStaleTemporaries(in: (path as NSString).appendingPathComponent("blobs/sha256"))
        AtomicFile.removeStaleTemporaries(in: path)
    }

    var indexPath: String { (path as NSString).appendingPathComponent("index.json") }

    /// Where the blob `digest` lives.
    public func blobPath(_ digest: Digest) -> String {
        (path as NSString).appendingPathComponent("blobs/\(digest.algorithm)/\(digest.hex)")
    }

    public func hasBlob(_ digest: Digest) -> Bool {
        FileManager.default.fileExists(atPath: blobPath(digest))
    }

    public func readBlob(_ digest: Digest) throws -> Data {
        guard let data = FileManager.default.contents(atPath: blobPath(digest)) else {
            throw OCIError.invalid("the image layout \(path) lacks blob \(digest)")
        }
        return data
    }

    /// Stores `data` as a blob and returns its descriptor.
    @discardableResult
    public func writeBlob(_ data: Data, mediaType: String) throws -> Descriptor {
        let digest = Digest.of(data)
        if !hasBlob(digest) { try AtomicFile.write(data, to: blobPath(digest)) }
        return Descriptor(mediaType: mediaType, digest: digest, size: Int64(data.count))
    }

    /// A fresh path for a blob being written, inside the layout so the final move is a rename.
    /// It names the writer's process, so a later run can remove it if that process was killed.
    public func temporaryPath() -> String {
        (path as NSString).appendingPathComponent("blobs/.tmp-\(getpid())-\(UUID().uuidString)")
    }

    /// Moves a finished blob file to its content address.
    public func adoptBlob(at temporary: String, digest: Digest) throws {
        guard rename(temporary, blobPath(digest)) == 0 else {
            throw OCIError.invalid("cannot store blob \(digest) in \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Copies (hard-links when possible) a blob file from elsewhere into the layout.
    public func importBlob(from source: String, digest: Digest) throws {
        guard !hasBlob(digest) else { return }
        if link(source, blobPath(digest)) == 0 { return }
        let temporary = temporaryPath()
        do {
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
        } catch {
            throw OCIError.invalid("cannot copy blob \(digest) into \(path): \(error.localizedDescription)")
        }
        try adoptBlob(at: temporary, digest: digest)
    }

    public func index() throws -> Index {
        guard let data = FileManager.default.contents(atPath: indexPath) else { throw OCIError.usage("\(path) has no index.json") }
        return try CanonicalJSON.decode(Index.self, from: data, what: indexPath)
    }

    /// Points `tag` at `manifest` in `index.json` (replacing the tag's previous entry).
    public func setTag(_ tag: String, to manifest: Descriptor) throws {
        var index = try index()
        index.manifests.removeAll { $0.annotations?[Self.refNameAnnotation] == tag }
        var entry = manifest
        entry.annotations = [Self.refNameAnnotation: tag]
        index.manifests.append(entry)
        try AtomicFile.write(try CanonicalJSON.encode(index), to: indexPath)
    }

    /// The descriptor `tag` names, or the only manifest when `tag` is nil.
    public func manifestDescriptor(tag: String?) throws -> Descriptor {
        let entries = try index().manifests
        if let tag {
            guard let entry = entries.first(where: { $0.annotations?[Self.refNameAnnotation] == tag }) else {
                throw OCIError.usage("the image layout \(path) has no tag \(tag) (it has: \(entries.compactMap { $0.annotations?[Self.refNameAnnotation] }.joined(separator: ", ")))")
            }
            return entry
        }
        guard entries.count == 1 else { throw OCIError.usage("the image layout \(path) holds \(entries.count) images; name one with DIR:TAG") }
        return entries[0]
    }
}
