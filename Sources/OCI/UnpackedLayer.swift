import Foundation

/// An image's bottom layer unpacked ahead of time into a directory of its own, to become the
/// root filesystem of a runtime bundle (`RuntimeBundle.unpack(…, bottom:)`), which then has
/// `umoci` unpack only the layers above it. `sluice run` unpacks the runtime layer (Sluice's
/// binary and libraries, the large one) beside training, so the smoke stage does not wait
/// for it.
///
/// It is handed from the code that made it to the bundle as a value, never looked up by
/// name, and used once (the bundle takes the directory over). The blob's digest and the
/// diff ID are checked on the bytes as they are unpacked, and the bundle takes the
/// directory only for an image whose bottom layer has both: it holds exactly that layer's
/// files. Unpacking is `Extract`'s (nothing written outside the directory, no device, no
/// link leading out) with owners and times as the headers say; a layer it would not
/// reproduce exactly (setuid bits, extended attributes) is refused, and the bundle is then
/// unpacked by `umoci` whole.
public struct UnpackedLayer: Sendable {
    /// The directory holding the layer's files.
    public let root: String
    /// The compressed blob's digest (the manifest's).
    public let digest: Digest
    /// The uncompressed tar's digest (the config's diff ID).
    public let diffID: Digest

    /// Unpacks the layer blob at `blob` (gzip or plain tar) into `root`, which must not exist;
    /// it is created with mode 0755 (its time the epoch at the end, as umoci leaves a root the
    /// layer has no entry for) and removed again when anything fails. Throws when the
    /// blob's bytes do not hash to `digest` or its tar to `diffID`.
    public static func unpack(blob: String, digest: Digest, diffID: Digest, into root: String) throws -> UnpackedLayer {
        guard !FileManager.default.fileExists(atPath: root) else {
            throw OCIError.invalid("\(root) already exists; a layer is unpacked into a new directory")
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        var whole = false
        defer { if !whole { try? FileManager.default.removeItem(atPath: root) } }
        guard let input = FileHandle(forReadingAtPath: blob) else { throw OCIError.invalid("cannot read layer \(blob)") }
        defer { try? input.close() }
        let writer = EntryWriter(tree: try BeneathDirectory((root as NSString).standardizingPath), prefix: nil, exact: true)
        let tar = DigestingSink(next: writer.reader())
        let head = (try input.read(upToCount: 2)) ?? Data()
        try input.seek(toOffset: 0)
        let compressed = DigestingSink(next: head == Data([0x1F, 0x8B]) ? try GunzipSink(next: tar) : tar)
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try compressed.write(chunk)
        }
        try compressed.finish()
        try writer.finish()
        // umoci starts every unpack by giving the root the epoch as its time, and the root's
        // own entry (which could change it) is refused above.
        let epoch = [timespec(tv_sec: 0, tv_nsec: 0), timespec(tv_sec: 0, tv_nsec: 0)]
        guard utimensat(AT_FDCWD, root, epoch, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw OCIError.invalid("cannot set the time of \(root): \(String(cString: strerror(errno)))")
        }
        guard compressed.digest == digest else { throw OCIError.invalid("the layer blob \(blob) hashes to \(compressed.digest), not \(digest)") }
        guard tar.digest == diffID else { throw OCIError.invalid("the layer blob \(blob) unpacks to diff ID \(tar.digest), not \(diffID)") }
        whole = true
        return UnpackedLayer(root: root, digest: digest, diffID: diffID)
    }

    /// Removes the directory (when no bundle took it over).
    public func discard() {
        try? FileManager.default.removeItem(atPath: root)
    }
}
