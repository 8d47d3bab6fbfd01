import Core
import Foundation
import MLflow

/// A run logged on the tracking server.
public struct TrackedRun: Sendable, Equatable {
    public let experimentID: String
    public let runID: String
    /// The artifact URI the server gave the run, e.g. `mlflow-artifacts:/1/<run id>/artifacts`.
    public let artifactURI: String
    /// Where its artifacts go.
    public let artifactRoot: MLflowArtifactRoot
    /// The run's page in the MLflow UI.
    public let url: String
}

/// A local file or directory and the artifact path it is logged as.
public struct ArtifactUpload: Sendable, Equatable {
    public let localPath: String
    /// Relative artifact path; a directory's files go beneath it.
    public let artifactPath: String

    public init(_ localPath: String, as artifactPath: String) {
        self.localPath = localPath
        self.artifactPath = artifactPath
    }
}

/// Logs one `sluice run` as an MLflow run: finds or creates the experiment, starts the run,
/// logs the record, uploads artifacts and sets the final status.
public struct RunTracker {
    public let client: MLflowClient
    public let server: RegistryServer

    public init(client: MLflowClient) {
        self.client = client
        server = RegistryServer.of(client.endpoint)
    }

    /// Starts a run named `runName` in `experiment` (created when missing).
    public func start(experiment: String, runName: String) throws -> TrackedRun {
        let experimentID: String
        if let existing = try client.experiment(named: experiment) {
            guard existing.lifecycleStage != "deleted" else {
                throw Failure(.usage, "MLflow experiment '\(experiment)' is deleted; restore it in the MLflow UI or set mlflow.experiment to another name")
            }
            experimentID = existing.experimentID
        } else {
            experimentID = try client.createExperiment(name: experiment)
        }
        let run = try client.createRun(experimentID: experimentID, name: runName)
        let base = client.endpoint.displayURI
        return TrackedRun(experimentID: experimentID, runID: run.info.runID, artifactURI: run.info.artifactURI, artifactRoot: try client.artifactRoot(run.info.artifactURI),
                          url: "\(base)/#/experiments/\(experimentID)/runs/\(run.info.runID)")
    }

    /// Logs the params, metrics and tags of `record`.
    public func log(_ record: TrackingRecord, to run: TrackedRun) throws {
        try client.logBatch(runID: run.runID, metrics: record.metrics, params: record.params, tags: record.tags)
    }

    /// Uploads files (directories walked, in name order) beneath `root` (default: the run's);
    /// returns the artifact paths written. GitLab takes flat file names only, so there a
    /// directory's files go up by name, and nested directories or clashing names are refused.
    @discardableResult
    public func upload(_ uploads: [ArtifactUpload], to run: TrackedRun, root: MLflowArtifactRoot? = nil) throws -> [String] {
        var planned: [(file: String, path: String)] = []
        for upload in uploads {
            for (file, path) in try Self.files(upload) {
                planned.append((file, server == .gitlab ? try Self.flatName(path, upload: upload) : path))
            }
        }
        if let clash = Dictionary(grouping: planned, by: \.path).first(where: { $0.value.count > 1 }) {
            throw Failure(.runtime, "cannot log two files as the artifact '\(clash.key)' (\(clash.value.map(\.file).joined(separator: ", "))); GitLab's model registry keeps flat file names")
        }
        for (file, path) in planned {
            try client.uploadArtifact(file: file, to: root ?? run.artifactRoot, as: path)
        }
        return planned.map(\.path)
    }

    /// The file name an artifact path becomes on GitLab: its own name, at most one directory deep.
    static func flatName(_ path: String, upload: ArtifactUpload) throws -> String {
        let parts = path.split(separator: "/")
        let base = upload.artifactPath.split(separator: "/").count
        guard parts.count <= base + 1 else {
            throw Failure(.runtime, "cannot log \(upload.localPath) to GitLab's model registry: it has subdirectories ('\(path)'), and GitLab stores artifacts as flat file names")
        }
        return String(parts.last!)
    }

    /// Ends the run as finished or failed.
    public func finish(_ run: TrackedRun, status: MLflowRunStatus) throws {
        try client.updateRun(runID: run.runID, status: status)
    }

    /// The regular files of an upload with their artifact paths; symbolic links are refused
    /// so nothing outside the named directory is sent.
    static func files(_ upload: ArtifactUpload) throws -> [(String, String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: upload.localPath, isDirectory: &isDirectory) else {
            throw Failure(.runtime, "cannot log \(upload.localPath) to MLflow: it does not exist")
        }
        guard isDirectory.boolValue else { return [(upload.localPath, upload.artifactPath)] }
        let base = URL(fileURLWithPath: upload.localPath)
        var result: [(String, String)] = []
        let entries = try FileManager.default.subpathsOfDirectory(atPath: upload.localPath).sorted()
        for relative in entries {
            let full = base.appendingPathComponent(relative).path
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            switch attributes[.type] as? FileAttributeType {
            case .typeRegular?: result.append((full, upload.artifactPath.isEmpty ? relative : "\(upload.artifactPath)/\(relative)"))
            case .typeDirectory?: continue
            default: throw Failure(.runtime, "cannot log \(full) to MLflow: only regular files and directories are logged, not links or devices")
            }
        }
        return result
    }
}
