import Core
import Foundation
import MLflow

/// The champion as the model registry names it: a version's files downloaded into the run,
/// and the metrics its producing run logged when it was a candidate.
public struct RegistryChampion: Sendable, Equatable {
    public let model: String
    public let version: String
    /// The run that produced the version, when the registry knows it.
    public let runID: String?
    /// The directory the version's files were downloaded into.
    public let directory: String
    /// The files, relative to `directory`.
    public let files: [String]
    /// The candidate metrics of the producing run (`candidate.<name>` as Sluice logs them, or
    /// plain metric names as a training script logs them), for the accuracy-decay trigger.
    public let metricsAtTraining: [String: Double]?

    /// `models:/<name>/<version>`, the exact version used.
    public var source: String { "models:/\(model)/\(version)" }

    /// Resolves `uri` and downloads that version into `directory`; nil when the registry has
    /// no such version yet (no model, no alias: the first run).
    ///
    /// On GitLab, which has no aliases, an alias resolves to the latest version (the
    /// documented equivalent; `RegistryServer.aliasFallback` says so in the run output).
    public static func fetch(_ uri: MLflowModelURI, client: MLflowClient, into directory: String) throws -> RegistryChampion? {
        var uri = uri
        if case .alias = uri.selector, !RegistryServer.of(client.endpoint).hasAliases { uri.selector = .latest }
        guard let version = try client.resolve(uri) else { return nil }
        let root = try client.artifactRoot(client.downloadURI(model: version.name, version: version.version))
        let files = try client.downloadArtifacts(root, into: directory)
        guard !files.isEmpty else {
            throw Failure(.runtime, "MLflow: \(uri) is version \(version.version) of '\(version.name)', which has no files to download")
        }
        var metrics: [String: Double]?
        if let runID = version.runID {
            metrics = trainingMetrics(of: try client.run(id: runID))
        }
        return RegistryChampion(model: version.name, version: version.version, runID: version.runID, directory: directory, files: files, metricsAtTraining: metrics)
    }

    /// The producing run's metrics: Sluice's `candidate.` ones when present, else all.
    static func trainingMetrics(of run: MLflowRun) -> [String: Double]? {
        let latest = run.latestMetrics
        let candidate = latest.filter { $0.key.hasPrefix("candidate.") }
        let metrics = candidate.isEmpty ? latest : Dictionary(uniqueKeysWithValues: candidate.map { (String($0.key.dropFirst("candidate.".count)), $0.value) })
        return metrics.isEmpty ? nil : metrics
    }
}
