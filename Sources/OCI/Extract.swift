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
        let tar = TarReader(onEntry: { try writer.begin($0) }, onContent: { try writer.content($0) })
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

private final class EntryWriter {
    let tree: BeneathDirectory
    let prefix: String?
    var output: FileSink?
    var files = 0
    /// Directory modes applied at the end, so read-only directories can still be filled.
    var directoryModes: [(String, mode_t)] = []
    /// Every link created, checked again at the end: a later entry can change where it leads.
    var links: [(name: String, target: String)] = []

    init(tree: BeneathDirectory, prefix: String?) {
        self.tree = tree
        self.prefix = prefix
    }

    func begin(_ entry: TarEntry) throws {
        output = nil
        guard let name = relativeName(entry.name) else { return }
        try checkName(name, of: entry)
        if name.split(separator: "/").last?.hasPrefix(".wh.") == true { return } // whiteouts mean nothing in a single layer
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
