import Core
import Foundation

/// A real OCI runtime on this machine: `runc` runs bundles that `umoci` unpacks. Its state
/// lives in a directory of its own (`runc --root`), so containers started here never mix with
/// the host's.
public struct ContainerRuntime: Sendable {
    public let runc: String
    public let umoci: String
    public let stateRoot: String

    /// Why no runtime can be used here.
    public struct Unavailable: Error, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// `runc` and `umoci` from `PATH`, usable when this process is root (runc's rootless mode
    /// needs a different bundle, which Sluice does not write).
    public static func locate(stateRoot: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<ContainerRuntime, Unavailable> {
        let directories = (environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            directories.map { ($0 as NSString).appendingPathComponent(name) }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let runc = find("runc") else { return .failure(Unavailable(reason: "no runc on PATH (Debian: apt-get install runc)")) }
        guard let umoci = find("umoci") else { return .failure(Unavailable(reason: "no umoci on PATH (Debian: apt-get install umoci)")) }
        guard geteuid() == 0 else { return .failure(Unavailable(reason: "runc needs root here (this process runs as uid \(geteuid()))")) }
        return .success(ContainerRuntime(runc: runc, umoci: umoci, stateRoot: stateRoot))
    }

    public init(runc: String, umoci: String, stateRoot: String) {
        self.runc = runc
        self.umoci = umoci
        self.stateRoot = stateRoot
    }

    /// Creates and starts container `id` from `bundle`; its output goes to `logPath`. When
    /// creation fails over cgroup limits the kernel refuses, it retries once without them
    /// (`RunningContainer.droppedResourceLimits` says so).
    public func start(_ bundle: RuntimeBundle, id: String, logPath: String) throws -> RunningContainer {
        try FileManager.default.createDirectory(atPath: stateRoot, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: logPath, contents: nil), let log = FileHandle(forWritingAtPath: logPath) else {
            throw Failure.runtime("cannot write the container log \(logPath)")
        }
        defer { try? log.close() }
        // runc's own errors land in the log too, since the container inherits its output.
        func logText() -> String { ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var created = try run(["create", "--bundle", bundle.path, id], output: log)
        var dropped = false
        if created.status != 0, logText().contains("cgroup") {
            _ = try? run(["delete", "--force", id])
            try bundle.dropResourceLimits()
            dropped = true
            created = try run(["create", "--bundle", bundle.path, id], output: log)
        }
        guard created.status == 0 else {
            _ = try? run(["delete", "--force", id])
            throw Failure.runtime("runc could not create container \(id): \(logText())")
        }
        let started = try run(["start", id])
        guard started.status == 0 else {
            _ = try? run(["delete", "--force", id])
            throw Failure.runtime("runc could not start container \(id): \(started.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return RunningContainer(runtime: self, id: id, logPath: logPath, droppedResourceLimits: dropped)
    }

    /// The container's status as runc reports it ("running", "stopped", ...); nil when
    /// runc no longer knows it.
    func status(_ id: String) -> String? {
        guard let state = try? run(["state", id]), state.status == 0,
              let json = try? JSONSerialization.jsonObject(with: Data(state.output.utf8)) as? [String: Any] else { return nil }
        return json["status"] as? String
    }

    /// Runs `runc --root STATE arguments` (see `ChildProcess.capture` for `output`).
    @discardableResult
    func run(_ arguments: [String], output: FileHandle? = nil) throws -> (status: Int32, output: String) {
        try ChildProcess.capture(runc, ["--root", stateRoot] + arguments, output: output)
    }
}

/// A container started by `ContainerRuntime.start`; `stop` ends and removes it.
public final class RunningContainer: @unchecked Sendable {
    public let id: String
    public let logPath: String
    /// Whether the cgroup limits were dropped because the kernel refused them.
    public let droppedResourceLimits: Bool
    private let runtime: ContainerRuntime
    private var removed = false

    init(runtime: ContainerRuntime, id: String, logPath: String, droppedResourceLimits: Bool) {
        self.runtime = runtime
        self.id = id
        self.logPath = logPath
        self.droppedResourceLimits = droppedResourceLimits
    }

    deinit { if !removed { stop(grace: 0) } }

    /// Whether its process still runs.
    public var isRunning: Bool { runtime.status(id) == "running" }

    /// The last lines the container wrote.
    public func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// SIGTERM, up to `grace` seconds to exit, then SIGKILL; then the container is deleted.
    /// Returns whether it stopped on SIGTERM alone.
    @discardableResult
    public func stop(grace: Double = 10) -> Bool {
        guard !removed else { return true }
        removed = true
        _ = try? runtime.run(["kill", id, "TERM"])
        let deadline = Date().addingTimeInterval(grace)
        while runtime.status(id) == "running", Date() < deadline { usleep(50_000) }
        let graceful = runtime.status(id) != "running"
        if !graceful {
            _ = try? runtime.run(["kill", id, "KILL"])
            let killDeadline = Date().addingTimeInterval(5)
            while runtime.status(id) == "running", Date() < killDeadline { usleep(50_000) }
        }
        _ = try? runtime.run(["delete", "--force", id])
        return graceful
    }
}

extension ContainerRuntime {
    /// `runc 1.1.5`, for reports.
    public func version() -> String {
        let first = ((try? run(["--version"]))?.output ?? "").split(separator: "\n").first.map(String.init) ?? "runc"
        return first.replacingOccurrences(of: " version", with: "")
    }
}
