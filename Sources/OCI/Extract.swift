import Foundation

/// Unpacks one layer into a directory without letting any entry land outside it: absolute
/// names, `..`, symbolic links pointing out, and writes through links are all refused.
public enum Extract {
    /// Extracts the layer blob at `blob` into `directory` (created if needed).
    /// - Parameter stripping: when set, only entries under this path are extracted, relative to it.
    /// - Returns: the number of regular files written.
    @discardableResult
    public static func layer(_ blob: String, into directory: String, stripping prefix: String? = nil) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let root = (directory as NSString).standardizingPath
        let writer = EntryWriter(root: root, prefix: try prefix.map(LayerContent.normalise))
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
    let root: String
    let prefix: String?
    var output: FileSink?
    var files = 0
    /// Directory modes applied at the end, so read-only directories can still be filled.
    var directoryModes: [(String, mode_t)] = []

    init(root: String, prefix: String?) {
        self.root = root
        self.prefix = prefix
    }

    func begin(_ entry: TarEntry) throws {
        try closeOutput()
        guard let name = relativeName(entry.name) else { return }
        try TarWriter.validate(name)
        if name.split(separator: "/").last?.hasPrefix(".wh.") == true { return } // whiteouts mean nothing in a single layer
        let path = root + "/" + name
        try refuseLinksOnTheWay(to: name)
        switch entry.kind {
        case .directory:
            if mkdir(path, 0o700) != 0 && errno != EEXIST { throw failure("cannot create \(path)") }
            directoryModes.append((path, mode_t(entry.mode)))
        case .file:
            unlink(path)
            output = try FileSink(path: path)
            chmod(path, mode_t(entry.mode))
            files += 1
        case .symlink(let target):
            guard !target.hasPrefix("/"), !Self.leavesRoot(name.split(separator: "/").dropLast().joined(separator: "/") + "/" + target) else {
                throw OCIError.unsafePath("the layer's link /\(entry.name) -> \(target) points outside the extraction directory")
            }
            unlink(path)
            if symlink(target, path) != 0 { throw failure("cannot create link \(path)") }
        case .hardlink(let target):
            guard let linked = relativeName(target) else { throw OCIError.unsafePath("hard link /\(entry.name) -> \(target) points outside what is extracted") }
            try TarWriter.validate(linked)
            try refuseLinksOnTheWay(to: linked)
            unlink(path)
            if link(root + "/" + linked, path) != 0 { throw failure("cannot create hard link \(path)") }
        }
    }

    func content(_ bytes: UnsafeRawBufferPointer) throws {
        try output?.write(bytes)
    }

    func finish() throws {
        try closeOutput()
        for (path, mode) in directoryModes.reversed() { chmod(path, mode) }
    }

    private func closeOutput() throws {
        output = nil
    }

    /// The entry's name relative to the prefix, or nil when it is outside it (or is it).
    private func relativeName(_ name: String) -> String? {
        guard let prefix, !prefix.isEmpty else { return name }
        guard name.hasPrefix(prefix + "/") else { return nil }
        return String(name.dropFirst(prefix.count + 1))
    }

    /// Refuses to write through a symbolic link an earlier entry created.
    private func refuseLinksOnTheWay(to name: String) throws {
        var path = root
        for part in name.split(separator: "/").dropLast() {
            path += "/" + part
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                throw OCIError.unsafePath("the layer writes /\(name) through the symbolic link \(path)")
            }
        }
    }

    static func leavesRoot(_ path: String) -> Bool {
        var depth = 0
        for part in path.split(separator: "/") where part != "." {
            depth += part == ".." ? -1 : 1
            if depth < 0 { return true }
        }
        return false
    }

    private func failure(_ message: String) -> OCIError {
        OCIError.invalid("\(message): \(String(cString: strerror(errno)))")
    }
}
