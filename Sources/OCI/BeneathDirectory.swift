import Foundation

/// A directory whose paths are resolved strictly beneath it: every component is opened
/// relative to its parent with `O_NOFOLLOW`, so no symbolic link (one an archive planted
/// earlier, or one already there) is ever followed while creating, writing or changing modes.
final class BeneathDirectory {
    let root: String
    private let rootDescriptor: Int32

    init(_ root: String) throws {
        rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootDescriptor >= 0 else { throw OCIError.invalid("cannot open \(root): \(String(cString: strerror(errno)))") }
        self.root = root
    }

    deinit { close(rootDescriptor) }

    /// Runs `body` with an open descriptor of the directory holding `name` (a relative,
    /// validated path) and the name's last component. Missing parents are created (mode 0700)
    /// when `create`; a parent that is a link or not a directory is refused.
    func inParent<T>(of name: String, create: Bool, _ body: (Int32, String) throws -> T) throws -> T {
        let parts = name.split(separator: "/").map(String.init)
        var descriptor = dup(rootDescriptor)
        defer { close(descriptor) }
        var walked = ""
        for part in parts.dropLast() {
            walked += "/" + part
            var next = openat(descriptor, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && create {
                guard mkdirat(descriptor, part, 0o700) == 0 || errno == EEXIST else { throw failure("cannot create \(root)\(walked)") }
                next = openat(descriptor, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                if errno == ELOOP || errno == ENOTDIR {
                    throw OCIError.unsafeContent("the layer's entry /\(name) would be written through \(walked), which is a symbolic link or not a directory; refusing to extract it")
                }
                throw failure("cannot open \(root)\(walked)")
            }
            close(descriptor)
            descriptor = next
        }
        return try body(descriptor, parts.last ?? ".")
    }

    /// What is at `name` in `parent`, without following a link there (nil when nothing is).
    static func kind(in parent: Int32, _ name: String) -> mode_t? {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// Removes what is at `name` in `parent` (not a non-empty directory), if anything.
    static func remove(in parent: Int32, _ name: String, path: String) throws {
        guard let kind = kind(in: parent, name) else { return }
        if unlinkat(parent, name, kind == S_IFDIR ? AT_REMOVEDIR : 0) != 0 {
            throw OCIError.invalid("cannot replace \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Resolves `target`, a link's text as seen from the directory `from` (components beneath
    /// the root), through the links already beneath the root, as the kernel would. Returns
    /// false when the path leaves the root (`..` past it, an absolute target, or too many links).
    func staysBeneath(_ target: String, from directory: [String]) -> Bool {
        var resolved = directory
        var pending = Array(target.split(separator: "/").map(String.init).reversed())
        var links = 0
        if target.hasPrefix("/") { return false }
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." {
                if resolved.popLast() == nil { return false }
                continue
            }
            let path = (resolved + [part]).joined(separator: "/")
            guard let text = readLink(path) else {
                resolved.append(part)
                continue
            }
            links += 1
            if links > 40 || text.hasPrefix("/") { return false }
            pending.append(contentsOf: text.split(separator: "/").map(String.init).reversed())
        }
        return true
    }

    /// The text of the link at `path` beneath the root, or nil when it is not a link.
    private func readLink(_ path: String) -> String? {
        (try? inParent(of: path, create: false) { parent, last -> String? in
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlinkat(parent, last, &buffer, buffer.count - 1)
            guard count >= 0 else { return nil }
            return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }) ?? nil
    }

    private func failure(_ message: String) -> OCIError {
        OCIError.invalid("\(message): \(String(cString: strerror(errno)))")
    }
}
