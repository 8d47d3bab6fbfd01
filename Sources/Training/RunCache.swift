import Crypto
import Core
import Foundation

/// DVC's run cache: a stage whose command, parameters and input contents are unchanged is
/// not run again; its outputs are restored from the cache directory instead.
///
/// Layout: `<cache>/<key>/outputs/...` (a copy of the output directory) and
/// `<cache>/<key>/train.log`. Entries are written to a temporary directory and renamed into
/// place, so an interrupted run never leaves an entry that looks complete.
public struct RunCache {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The SHA-256 key over `facts` (command, parameters: anything that changes the result)
    /// and the contents of `inputs` (files, or directories walked in sorted order), each
    /// input known by `name` (its path relative to the repository, as DVC names them), so
    /// the key does not change with the checkout's location.
    public static func key(facts: [String: String], inputs: [(name: String, path: String)]) throws -> String {
        var hasher = SHA256()
        func feed(_ text: String) { hasher.update(data: Data((text + "\u{0}").utf8)) }
        for name in facts.keys.sorted() { feed("fact"); feed(name); feed(facts[name]!) }
        for input in inputs.sorted(by: { $0.name < $1.name }) {
            for (relative, path) in try files(under: input.path) {
                feed("input"); feed(input.name); feed(relative); feed(try FileDigest.sha256(path: path))
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// `path` relative to `root` when it lies beneath it, else `path` itself.
    public static func name(of path: String, under root: String?) -> String {
        guard let root else { return path }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Regular files at `path` (itself, or every file below it) as (relative name, path),
    /// sorted by name so the walk is the same on every machine.
    static func files(under path: String) throws -> [(String, String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure.usage("declared input \(path) does not exist")
        }
        guard isDirectory.boolValue else { return [("", path)] }
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var found: [(String, String)] = []
        while let relative = walker.nextObject() as? String {
            let full = (path as NSString).appendingPathComponent(relative)
            var nested: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &nested), !nested.boolValue {
                found.append((relative, full))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// Restores the outputs of `key` into `outputDirectory`; false when there is no entry.
    public func restore(_ key: String, into outputDirectory: String) throws -> Bool {
        let entry = (directory as NSString).appendingPathComponent(key)
        let outputs = (entry as NSString).appendingPathComponent("outputs")
        guard FileManager.default.fileExists(atPath: outputs) else { return false }
        try replace(outputDirectory, with: outputs)
        return true
    }

    /// The log saved with `key`'s entry.
    public func logPath(_ key: String) -> String {
        ((directory as NSString).appendingPathComponent(key) as NSString).appendingPathComponent("train.log")
    }

    /// Saves `outputDirectory` (and the log, when there is one) as the entry of `key`.
    public func store(_ key: String, outputDirectory: String, log: String?) throws {
        let manager = FileManager.default
        let staging = (directory as NSString).appendingPathComponent(".staging-\(UUID().uuidString)")
        do {
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
            try manager.copyItem(atPath: outputDirectory, toPath: (staging as NSString).appendingPathComponent("outputs"))
            if let log, manager.fileExists(atPath: log) {
                try manager.copyItem(atPath: log, toPath: (staging as NSString).appendingPathComponent("train.log"))
            }
            let entry = (directory as NSString).appendingPathComponent(key)
            try? manager.removeItem(atPath: entry)
            try manager.moveItem(atPath: staging, toPath: entry)
        } catch {
            try? manager.removeItem(atPath: staging)
            throw Failure.runtime("cannot store the run cache entry in \(directory): \(error.localizedDescription)")
        }
    }

    /// Copies every file of `source` into `target`, replacing files of the same name and
    /// leaving other files of `target` alone.
    private func replace(_ target: String, with source: String) throws {
        let manager = FileManager.default
        do {
            for (relative, path) in try Self.files(under: source) {
                let destination = (target as NSString).appendingPathComponent(relative)
                try manager.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try? manager.removeItem(atPath: destination)
                try manager.copyItem(atPath: path, toPath: destination)
            }
        } catch {
            throw Failure.runtime("cannot restore cached outputs into \(target): \(error.localizedDescription)")
        }
    }
}
