import Foundation

/// Writes files so that a reader never sees a half-written one: the bytes go to a temporary
/// file in the same directory (`.NAME.PID.tmp`), which is then renamed over the destination.
/// Temporaries of killed writers are removed by the next write into that directory.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating parent directories as needed.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            removeStaleTemporaries(in: directory.path)
            let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let code = errno
                try? FileManager.default.removeItem(at: temporary)
                throw Failure.runtime("cannot write \(path): \(String(cString: strerror(code)))")
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure.runtime("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Removes `.NAME.PID.tmp` files of writers that were killed before their rename.
    public static func removeStaleTemporaries(in directory: String) {
        StaleTemporaries.remove(in: directory) { name in
            guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
            let parts = name.dropLast(4).split(separator: ".")
            return parts.count >= 2 ? pid_t(parts[parts.count - 1]) : nil
        }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
