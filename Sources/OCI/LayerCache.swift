import CZlib
import Core
import Crypto
import Foundation

/// Compressed layer blobs kept between runs, so a layer whose files did not change (the
/// runtime layer: the same `sluice` binary and libraries on every run) is archived and
/// hashed but not compressed again.
///
/// An entry is keyed by what decides the compressed bytes: the diff ID (the digest of the
/// uncompressed tar, so every file's content, name, mode and time), the gzip level, zlib's
/// version and Sluice's. Layout: `<directory>/<key>.json` (the blob's digest and size) and
/// `<directory>/blobs/sha256/<hex>`. A cached blob is hashed again before it is used; one
/// that does not match its digest is compressed afresh and replaced.
public struct LayerCache: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// What a lookup did, for tests and logs.
    public enum Outcome: Equatable, Sendable {
        /// The blob came from the cache.
        case hit
        /// It was compressed and stored (or could not be stored: `stored` false).
        case miss(stored: Bool)
    }

    /// `LayerWriter.write`, taking the compressed blob from the cache when this tar was
    /// compressed the same way before.
    public func write(_ content: LayerContent, into layout: ImageLayout, mediaType: String, mtime: Int64, level: Int32,
                      annotations: [String: String]? = nil, progress: ((Int64) -> Void)? = nil) throws -> (layer: Layer, outcome: Outcome) {
        let (diffID, size) = try LayerWriter.diffID(of: content, mtime: mtime)
        let key = Self.key(diffID: diffID, level: level)
        if let blob = cachedBlob(key) {
            try layout.importBlob(from: blobPath(blob.digest), digest: blob.digest)
            progress?(size)
            let descriptor = Descriptor(mediaType: mediaType, digest: blob.digest, size: blob.size, annotations: annotations)
            return (Layer(descriptor: descriptor, diffID: diffID, uncompressedSize: size), .hit)
        }
        let layer = try LayerWriter.write(content, into: layout, mediaType: mediaType, mtime: mtime, level: level, annotations: annotations, progress: progress)
        // Files that changed between the two passes would give another diff ID: not cached.
        guard layer.diffID == diffID else { return (layer, .miss(stored: false)) }
        return (layer, .miss(stored: store(key, blob: layout.blobPath(layer.descriptor.digest), Entry(digest: layer.descriptor.digest, size: layer.descriptor.size))))
    }

    /// A cache entry: the compressed blob's digest and size.
    struct Entry: Codable {
        var digest: Digest
        var size: Int64
    }

    static func key(diffID: Digest, level: Int32) -> String {
        let facts = ["sluice layer cache 1", diffID.description, "gzip level \(level)", "zlib \(String(cString: zlibVersion()))", "sluice \(SluiceBuild.version)"]
        return SHA256.hash(data: Data(facts.joined(separator: "\u{0}").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private func entryPath(_ key: String) -> String { (directory as NSString).appendingPathComponent("\(key).json") }

    func blobPath(_ digest: Digest) -> String {
        (directory as NSString).appendingPathComponent("blobs/\(digest.algorithm)/\(digest.hex)")
    }

    /// The entry for `key` when its blob is there, of its size and hashes to its digest.
    private func cachedBlob(_ key: String) -> Entry? {
        guard let data = FileManager.default.contents(atPath: entryPath(key)),
              let entry = try? JSONDecoder().decode(Entry.self, from: data) else { return nil }
        let path = blobPath(entry.digest)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.size] as? NSNumber)?.int64Value == entry.size,
              entry.digest.algorithm == "sha256", (try? FileDigest.sha256(path: path)) == entry.digest.hex else { return nil }
        return entry
    }

    /// Keeps `blob` (hard-linked when the file system allows, else copied) and its entry;
    /// false when the cache cannot be written, which only costs a compression next time.
    private func store(_ key: String, blob: String, _ entry: Entry) -> Bool {
        let target = blobPath(entry.digest)
        let temporary = (directory as NSString).appendingPathComponent("blobs/.tmp-\(getpid())-\(UUID().uuidString)")
        defer { unlink(temporary) }
        do {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if link(blob, temporary) != 0 { try FileManager.default.copyItem(atPath: blob, toPath: temporary) }
            guard rename(temporary, target) == 0 else { return false }
            try AtomicFile.write(try JSONEncoder().encode(entry), to: entryPath(key))
            return true
        } catch {
            return false
        }
    }
}
