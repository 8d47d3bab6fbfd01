import Core
import Foundation

/// Where one run keeps its outputs: `.sluice/runs/<run-id>/`, plus `.sluice/latest/` holding
/// copies of the report files at fixed paths, because CI artifact settings such as GitLab's
/// `expose_as` and `reports:junit` cannot name a path that changes per run.
public struct RunDirectory: Sendable {
    /// The run's id, also its directory name.
    public let runId: String
    /// The `.sluice` root.
    public let root: String
    /// `.sluice/runs/<run-id>`.
    public let path: String

    /// Creates the directory for a new run under `root` (default `.sluice`).
    public init(root: String = ".sluice", runId: String) throws {
        guard !runId.isEmpty, !runId.contains("/"), runId != ".", runId != ".." else {
            throw Failure.usage("run id \"\(runId)\" is not a valid directory name")
        }
        self.root = root
        self.runId = runId
        path = (root as NSString).appendingPathComponent("runs/\(runId)")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure.runtime("cannot create the run directory \(path): \(error.localizedDescription)")
        }
    }

    /// A run id that sorts by time and is unique per CI job: the UTC time, then the CI's
    /// pipeline and job ids when known, else a random suffix.
    public static func makeRunId(date: Date = Date(), environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: date)
        let ciIds = [environment["CI_PIPELINE_ID"], environment["CI_JOB_ID"]].compactMap { $0 }
        if ciIds.count == 2 { return "\(stamp)-\(ciIds[0])-\(ciIds[1])" }
        if let build = environment["BUILD_NUMBER"] { return "\(stamp)-\(build)" }
        if let run = environment["GITHUB_RUN_ID"] { return "\(stamp)-\(run)-\(environment["GITHUB_RUN_ATTEMPT"] ?? "1")" }
        return "\(stamp)-\(String(UUID().uuidString.prefix(8)).lowercased())"
    }

    /// The path of `name` inside the run directory.
    public func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// The path of `name` in `.sluice/work/`: working copies of data (valid rows, the
    /// assembled training data, predictions, the pulled champion) live there, outside the
    /// run directory, so run artifacts never carry the data. Stable names keep the run
    /// cache key of an identical run unchanged.
    public func workFile(_ name: String) -> String {
        ((root as NSString).appendingPathComponent("work") as NSString).appendingPathComponent(name)
    }

    /// `.sluice/latest`.
    public var latest: String {
        (root as NSString).appendingPathComponent("latest")
    }

    /// Replaces `.sluice/latest/` with copies of the named files of this run (those that exist).
    public func publishLatest(_ names: [String]) throws {
        let fm = FileManager.default
        let staging = latest + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        do {
            try? fm.removeItem(atPath: staging)
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for name in names where fm.fileExists(atPath: file(name)) {
                try fm.copyItem(atPath: file(name), toPath: (staging as NSString).appendingPathComponent(name))
            }
            try Data(runId.utf8).write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent("RUN_ID")))
            try? fm.removeItem(atPath: latest)
            try fm.moveItem(atPath: staging, toPath: latest)
        } catch {
            throw Failure.runtime("cannot publish \(latest): \(error.localizedDescription)")
        }
    }
}
