import Foundation

/// A host file or directory and where it goes in the image.
public struct FileMapping: Codable, Equatable, Sendable {
    public var source: String
    public var target: String

    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }

    /// Parses `SOURCE:TARGET` (the target defaults to the source's own name at the root).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let source = parts.first, !source.isEmpty else { throw OCIError.usage("empty file mapping \"\(text)\" (expected SOURCE:TARGET)") }
        self.init(source: source, target: parts.count > 1 ? parts[1] : "/" + (source as NSString).lastPathComponent)
    }

    /// Accepts `"src:/target"` strings as well as `{source, target}` objects in `sluice.yml`.
    public init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            try self.init(parsing: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try container.decode(String.self, forKey: .source), target: try container.decode(String.self, forKey: .target))
    }

    enum CodingKeys: String, CodingKey { case source, target }
}

/// What to do with symbolic or hard links that point outside the directory being packaged.
public enum EscapingLinks: String, Codable, Sendable {
    /// Stop with an error naming the link (the default: a layer should not depend on the build host).
    case refuse
    /// Package the content the link points to instead of the link.
    case copy
}

/// The sorted, complete list of tar entries of a layer and the host files behind them.
public struct LayerContent: Sendable {
    public struct Item: Sendable {
        public var entry: TarEntry
        /// The host file whose bytes a file entry carries.
        public var source: String?
    }

    public private(set) var items: [Item]

    /// Walks the mappings (sources relative to `directory`) into entries: parents explicit,
    /// names sorted byte-wise, links checked against `links`.
    public init(_ mappings: [FileMapping], relativeTo directory: String, links: EscapingLinks) throws {
        var collector = Collector(links: links)
        for mapping in mappings {
            let source = mapping.source.hasPrefix("/") ? mapping.source : (directory as NSString).appendingPathComponent(mapping.source)
            let target = try Self.normalise(mapping.target)
            var info = stat()
            guard stat(source, &info) == 0 else { throw OCIError.usage("cannot package \(mapping.source): \(String(cString: strerror(errno)))") }
            // Judged by where the source resolves (through links), not by its text.
            if links == .refuse, !Collector.resolves(source, inside: directory) {
                throw OCIError.unsafePath("the layer source \(mapping.source) resolves to \(Collector.realPath(source) ?? source), outside \(directory); move it inside or package copies with --copy-escaping-links")
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                if !target.isEmpty { try collector.add(target, .directory, mode: UInt32(info.st_mode), source: nil) }
                try collector.walk(source, root: source, into: target, depth: 0)
            } else {
                guard !target.isEmpty else { throw OCIError.usage("a file (\(mapping.source)) cannot be mapped to the image root; name a target path") }
                try collector.addFile(source, name: target, info: info, checkHardlinks: false)
            }
        }
        items = try collector.finish()
    }

    /// `path` as a relative tar name: no leading slash, no `.` parts; `..` is refused.
    static func normalise(_ path: String) throws -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        if parts.contains("..") { throw OCIError.unsafePath("the image path \(path) contains `..`") }
        return parts.joined(separator: "/")
    }
}

private struct Collector {
    let links: EscapingLinks
    var byName: [String: LayerContent.Item] = [:]
    /// Hard-linked files seen: (device, inode) -> names and the link count.
    var inodes: [String: (names: [String], links: Int)] = [:]

    init(links: EscapingLinks) { self.links = links }

    mutating func add(_ name: String, _ kind: TarEntry.Kind, mode: UInt32, source: String?) throws {
        if let existing = byName[name] {
            if existing.entry.kind == .directory && kind == .directory { return }
            throw OCIError.usage("two mappings put something at /\(name) in the same layer")
        }
        byName[name] = LayerContent.Item(entry: TarEntry(name: name, kind: kind, mode: mode & 0o7777), source: source)
    }

    mutating func addFile(_ path: String, name: String, info: stat, checkHardlinks: Bool) throws {
        try add(name, .file(size: Int64(info.st_size)), mode: UInt32(info.st_mode), source: path)
        if checkHardlinks && info.st_nlink > 1 {
            let key = "\(info.st_dev):\(info.st_ino)"
            inodes[key, default: ([], Int(info.st_nlink))].names.append(name)
        }
    }

    mutating func walk(_ directory: String, root: String, into target: String, depth: Int) throws {
        guard depth < 64 else { throw OCIError.usage("\(directory): directories nested too deep (a link loop?)") }
        let children: [String]
        do { children = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw OCIError.usage("cannot read directory \(directory): \(error.localizedDescription)")
        }
        for child in children.sorted() {
            let path = (directory as NSString).appendingPathComponent(child)
            let name = target.isEmpty ? child : target + "/" + child
            var info = stat()
            guard lstat(path, &info) == 0 else { throw OCIError.usage("cannot read \(path): \(String(cString: strerror(errno)))") }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try add(name, .directory, mode: UInt32(info.st_mode), source: nil)
                try walk(path, root: root, into: name, depth: depth + 1)
            case S_IFREG:
                try addFile(path, name: name, info: info, checkHardlinks: true)
            case S_IFLNK:
                let destination = try FileManager.default.destinationOfSymbolicLink(atPath: path)
                if Self.resolves(path, inside: root) {
                    try add(name, .symlink(target: destination), mode: 0o777, source: nil)
                } else if links == .refuse {
                    throw OCIError.unsafePath("\(path) is a symbolic link to \(destination), outside \(root); move the target inside or package copies with --copy-escaping-links")
                } else {
                    var resolved = stat()
                    guard stat(path, &resolved) == 0 else { throw OCIError.usage("\(path) is a broken symbolic link to \(destination)") }
                    if resolved.st_mode & S_IFMT == S_IFDIR {
                        try add(name, .directory, mode: UInt32(resolved.st_mode), source: nil)
                        let real = (path as NSString).resolvingSymlinksInPath
                        try walk(real, root: real, into: name, depth: depth + 1)
                    } else {
                        try addFile(path, name: name, info: resolved, checkHardlinks: false)
                    }
                }
            default:
                throw OCIError.usage("cannot package \(path): not a regular file, directory or symbolic link")
            }
        }
    }

    /// Whether `path` resolves, through every link on the way as the kernel follows them, to
    /// `root` or beneath it. A dangling link is judged by its own target's text.
    static func resolves(_ path: String, inside root: String) -> Bool {
        guard let realRoot = realPath(root) else { return false }
        if let real = realPath(path) { return real == realRoot || real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") }
        guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path), !destination.hasPrefix("/") else { return false }
        var depth = path.dropFirst(root.count).split(separator: "/").count - 1
        for part in destination.split(separator: "/") where part != "." {
            depth += part == ".." ? -1 : 1
            if depth < 0 { return false }
        }
        return true
    }

    /// The canonical absolute path (every link resolved), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func parent(of name: String) -> String {
        name.lastIndex(of: "/").map { String(name[..<$0]) } ?? ""
    }

    mutating func finish() throws -> [LayerContent.Item] {
        for (_, group) in inodes {
            let names = group.names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if names.count < group.links {
                guard links == .copy else {
                    throw OCIError.unsafePath("/\(names[0]) is hard-linked to a file outside the packaged directory; package copies with --copy-escaping-links")
                }
                continue
            }
            for name in names.dropFirst() {
                byName[name]!.entry.kind = .hardlink(target: names[0])
                byName[name]!.source = nil
            }
        }
        // Every parent directory gets its own entry, so extraction never invents modes.
        for name in Array(byName.keys) {
            var parent = Self.parent(of: name)
            while !parent.isEmpty, byName[parent] == nil {
                byName[parent] = LayerContent.Item(entry: TarEntry(name: parent, kind: .directory, mode: 0o755), source: nil)
                parent = Self.parent(of: parent)
            }
        }
        return byName.values.sorted { $0.entry.name.utf8.lexicographicallyPrecedes($1.entry.name.utf8) }
    }
}
