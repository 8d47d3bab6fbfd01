import Foundation

/// A layer blob as written: its descriptor (compressed digest and size) and its diff ID
/// (the digest of the uncompressed tar, which the config lists).
public struct Layer: Equatable, Sendable {
    public var descriptor: Descriptor
    public var diffID: Digest
    public var uncompressedSize: Int64

    public init(descriptor: Descriptor, diffID: Digest, uncompressedSize: Int64) {
        self.descriptor = descriptor
        self.diffID = diffID
        self.uncompressedSize = uncompressedSize
    }
}

/// Writes a layer in one pass: tar -> digest (diff ID) -> gzip -> digest (blob) -> file.
public enum LayerWriter {
    /// Archives `content` into a gzip blob at a temporary path inside `layout` and moves it
    /// to its content address.
    /// - Parameters:
    ///   - mtime: the modification time of every entry (seconds since the epoch).
    ///   - level: gzip level, 1 (fastest) to 9.
    ///   - progress: called with uncompressed bytes written so far.
    public static func write(_ content: LayerContent, into layout: ImageLayout, mediaType: String, mtime: Int64, level: Int32,
                             annotations: [String: String]? = nil, progress: ((Int64) -> Void)? = nil) throws -> Layer {
        let temporary = layout.temporaryPath()
        defer { unlink(temporary) }
        let file = try FileSink(path: temporary)
        let compressed = DigestingSink(next: file)
        let gzip = try GzipSink(level: level, next: compressed)
        let uncompressed = DigestingSink(next: gzip)
        try archive(content, mtime: mtime, into: uncompressed, progress: progress)
        let digest = compressed.digest
        try layout.adoptBlob(at: temporary, digest: digest)
        return Layer(descriptor: Descriptor(mediaType: mediaType, digest: digest, size: compressed.count, annotations: annotations),
                     diffID: uncompressed.digest, uncompressedSize: uncompressed.count)
    }

    /// The diff ID and size of `content`'s tar, without compressing or writing it.
    public static func diffID(of content: LayerContent, mtime: Int64) throws -> (digest: Digest, size: Int64) {
        let uncompressed = DigestingSink(next: nil)
        try archive(content, mtime: mtime, into: uncompressed, progress: nil)
        return (uncompressed.digest, uncompressed.count)
    }

    /// Streams `content` as a tar archive into `sink` (`progress`: bytes so far).
    private static func archive(_ content: LayerContent, mtime: Int64, into sink: DigestingSink, progress: ((Int64) -> Void)?) throws {
        let tar = TarWriter(sink: sink, mtime: mtime)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for item in content.items {
            try tar.writeHeader(item.entry)
            if case .file(let size) = item.entry.kind, let source = item.source {
                try tar.writeContent(path: source, size: size, buffer: &buffer)
                progress?(sink.count)
            }
        }
        try tar.finish()
    }
}
