import Foundation

/// Removes temporary files (and directories) that a killed Sluice left behind. Temporary
/// names carry the writer's process ID; one is stale when that process no longer exists
/// and the file has not changed for `minimumAge` seconds (so a writer in another PID
/// namespace sharing the directory, whose PID means nothing here, is left alone while active).
public enum StaleTemporaries {
    public static let minimumAge: TimeInterval = 60

    /// Removes the entries of `directory` whose name `writer` maps to a dead process ID.
    public static func remove(in directory: String, writer: (String) -> pid_t?) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let now = Date().timeIntervalSince1970
        for name in names {
            guard let pid = writer(name), pid > 0, pid != getpid(), !isAlive(pid) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard lstat(path, &info) == 0, now - TimeInterval(info.st_mtim.tv_sec) >= minimumAge else { continue }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Whether a process with this ID exists on this host (signal 0 checks without sending).
    static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// The process ID in `name` after `prefix`, up to `separator` or the end (`.tmp-1234-…`).
    public static func pid(in name: String, after prefix: String, upTo separator: Character? = nil) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        return pid_t(separator.flatMap { rest.firstIndex(of: $0) }.map { rest[..<$0] } ?? rest)
    }
}
