import Foundation

/// Unpacks one layer into a directory without letting any entry change anything outside it.
/// Every path is resolved beneath the directory without following links; absolute names,
/// `..`, links resolving outside (checked again once all entries exist), hard links to
/// anything but a regular file extracted here, devices and FIFOs are refused with
/// `OCIError.unsafeContent` (exit 3). Modes keep only the permission bits (no setuid, setgid
/// or sticky) and are never applied through a link; owners are never changed.
public enum Extract {
    /// Extracts the layer blob at `blob` into `directory` (created if needed).
    /// - Parameter stripping: when set, only entries under this path are extracted, relative to it.
    /// - Returns: the number of regular files written.
    @discardableResult
    public static func layer(_ blob: String, into directory: String, stripping prefix: String? = nil) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let root = (directory as NSString).standardizingPath
        let writer = EntryWriter(tree: try BeneathDirectory(root), prefix: try prefix.map(LayerContent.normalise))
        let tar = writer.reader()
        guard let input = FileHandle(forReadingAtPath: blob) else { throw OCIError.invalid("cannot read layer \(blob)") }
        defer { try? input.close() }
        let head = (try input.read(upToCount: 2)) ?? Data()
        try input.seek(toOffset: 0)
        let sink: ByteSink = head == Data([0x1F, 0x8B]) ? try GunzipSink(next: tar) : tar
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try sink.write(chunk)
        }
        try sink.finish()
        try writer.finish()
        return writer.files
    }
}

/// Writes a layer's entries beneath a directory (see `Extract`). `exact` is for a layer that
/// becomes the bottom of a container's root filesystem (`UnpackedLayer`): owners and
/// modification times are applied as the headers say, and an entry whose setuid, setgid or
/// sticky bits or extended attributes this writer would drop, or whose root directory has an
/// entry, is refused rather than changed, so what it writes is what `umoci` writes for the
/// same layer.
final class EntryWriter {
    let tree: BeneathDirectory
    let prefix: String?
    let exact: Bool
    var output: FileSink?
    var files = 0
    /// Directory modes applied at the end, so read-only directories can still be filled.
    var directoryModes: [(String, mode_t)] = []
    /// Every link created, checked again at the end: a later entry can change where it leads.
    var links: [(name: String, target: String)] = []
    /// With `exact`: every entry's time, applied at the end (after files' content and
    /// directories' children, which would change it).
    var times: [(name: String, mtime: Int64)] = []

    init(tree: BeneathDirectory, prefix: String?, exact: Bool = false) {
        self.tree = tree
        self.prefix = prefix
        self.exact = exact
    }

    /// A tar reader that feeds this writer.
    func reader() -> TarReader {
        TarReader(onHeader: { [unowned self] in try begin($0, $1) }, onContent: { [unowned self] in try content($0) })
    }

    func begin(_ entry: TarEntry, _ facts: TarEntryFacts) throws {
        output = nil
        if entry.name == "." {
            // umoci gives the root of each unpack the epoch as its time before the layers go on,
            // so a bottom layer's root entry would not survive the layers above being unpacked
            // apart from it: exact unpacks leave such a layer to umoci. Otherwise the root is
            // the target directory, as it was.
            if exact { throw OCIError.unsafeContent("the layer has an entry for its root directory, which an exact unpack does not reproduce") }
            return
        }
        guard let name = relativeName(entry.name) else { return }
        try checkName(name, of: entry)
        if name.split(separator: "/").last?.hasPrefix(".wh.") == true { return } // whiteouts mean nothing in a single layer
        if exact {
            guard entry.mode & 0o7000 == 0, !facts.hasExtendedAttributes else {
                throw OCIError.unsafeContent("the layer's entry /\(entry.name) has setuid, setgid or sticky bits or extended attributes, which an exact unpack does not reproduce")
            }
        }
        try write(entry, name: name)
        if exact {
            try tree.inParent(of: name, create: false) { parent, last in
                guard fchownat(parent, last, uid_t(clamping: facts.uid), gid_t(clamping: facts.gid), AT_SYMLINK_NOFOLLOW) == 0 else {
                    throw failure("cannot set the owner of \(tree.root)/\(name)")
                }
            }
            times.append((name, facts.mtime))
        }
    }

    private func write(_ entry: TarEntry, name: String) throws {
        let path = tree.root + "/" + name
        let mode = mode_t(entry.mode & 0o777) // setuid, setgid and sticky bits are dropped
        switch entry.kind {
        case .directory:
            try tree.inParent(of: name, create: true) { parent, last in
                if BeneathDirectory.kind(in: parent, last) != S_IFDIR {
                    try BeneathDirectory.remove(in: parent, last, path: path)
                    guard mkdirat(parent, last, 0o700) == 0 else { throw failure("cannot create \(path)") }
                }
            }
            directoryModes.append((name, mode))
        case .file:
            output = try tree.inParent(of: name, create: true) { parent, last in
                try BeneathDirectory.remove(in: parent, last, path: path)
                let descriptor = openat(parent, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard descriptor >= 0 else { throw failure("cannot write \(path)") }
                fchmod(descriptor, mode)
                return FileSink(descriptor: descriptor, path: path)
            }
            files += 1
        case .symlink(let target):
            try refuseEscapingLink(name, target)
            try tree.inParent(of: name, create: true) { parent, last in
                try BeneathDirectory.remove(in: parent, last, path: path)
                guard symlinkat(target, parent, last) == 0 else { throw failure("cannot create link \(path)") }
            }
            links.append((name, target))
        case .hardlink(let target):
            guard let linked = relativeName(target) else {
                throw OCIError.unsafeContent("the layer's hard link /\(entry.name) -> \(target) points outside what is extracted; refusing to extract it")
            }
            try checkName(linked, of: entry)
            try tree.inParent(of: linked, create: false) { sourceParent, sourceLast in
                guard BeneathDirectory.kind(in: sourceParent, sourceLast) == S_IFREG else {
                    throw OCIError.unsafeContent("the layer's hard link /\(entry.name) -> \(target) does not point to a regular file extracted before it; refusing to extract it")
                }
                try tree.inParent(of: name, create: true) { parent, last in
                    try BeneathDirectory.remove(in: parent, last, path: path)
                    guard linkat(sourceParent, sourceLast, parent, last, 0) == 0 else { throw failure("cannot create hard link \(path)") }
                }
            }
        case .special(let typeflag):
            let what = typeflag == UInt8(ascii: "6") ? "a FIFO" : typeflag == UInt8(ascii: "3") || typeflag == UInt8(ascii: "4") ? "a device file" : "an entry of tar type \(Character(Unicode.Scalar(typeflag)))"
            throw OCIError.unsafeContent("the layer's entry /\(entry.name) is \(what); Sluice extracts only files, directories and links, so it refuses this layer")
        }
    }

    func content(_ bytes: UnsafeRawBufferPointer) throws {
        try output?.write(bytes)
    }

    func finish() throws {
        output = nil
        for (name, target) in links { try refuseEscapingLink(name, target, removing: true) }
        for (name, mode) in directoryModes.reversed() {
            // Opened without following links, so a mode never lands on what a link points to.
            try tree.inParent(of: name, create: false) { parent, last in
                let descriptor = openat(parent, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard descriptor >= 0 else { return }
                defer { close(descriptor) }
                fchmod(descriptor, mode)
            }
        }
        // Deepest names first, so a directory's time is set after its entries'. A link's own
        // time is set, never its target's.
        for (name, mtime) in times.sorted(by: { $0.name.split(separator: "/").count > $1.name.split(separator: "/").count }) {
            try tree.inParent(of: name, create: false) { parent, last in
                let time = timespec(tv_sec: Int(mtime), tv_nsec: 0)
                guard [time, time].withUnsafeBufferPointer({ utimensat(parent, last, $0.baseAddress, AT_SYMLINK_NOFOLLOW) }) == 0 else {
                    throw failure("cannot set the time of \(tree.root)/\(name)")
                }
            }
        }
    }

    /// Refuses a link whose target, resolved through the links beneath the root, leaves it.
    /// At the end (`removing`) such a link is deleted before the error, so none is left behind.
    private func refuseEscapingLink(_ name: String, _ target: String, removing: Bool = false) throws {
        let directory = name.split(separator: "/").dropLast().map(String.init)
        guard !tree.staysBeneath(target, from: directory) else { return }
        if removing { try? tree.inParent(of: name, create: false) { parent, last in _ = unlinkat(parent, last, 0) } }
        throw OCIError.unsafeContent("the layer's link /\(name) -> \(target) resolves outside the extraction directory; refusing to extract it")
    }

    /// Refuses names that are absolute or contain `..` (exit 3, like every refusal here).
    private func checkName(_ name: String, of entry: TarEntry) throws {
        do { try TarWriter.validate(name) } catch {
            throw OCIError.unsafeContent("the layer's entry name \"\(entry.name)\" is absolute or contains `..`; refusing to extract it")
        }
    }

    /// The entry's name relative to the prefix, or nil when it is outside it (or is it).
    private func relativeName(_ name: String) -> String? {
        guard let prefix, !prefix.isEmpty else { return name }
        guard name.hasPrefix(prefix + "/") else { return nil }
        return String(name.dropFirst(prefix.count + 1))
    }

    private func failure(_ message: String) -> OCIError {
        OCIError.invalid("\(message): \(String(cString: strerror(errno)))")
    }
}
