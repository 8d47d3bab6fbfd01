import Core
import Foundation
import MLflow

/// When the champion alias may move: the same rule as the champion image tag. Only a
/// nightly (scheduled) run, or `sluice register --move-alias`, moves it, only for a candidate
/// that passed, and only after its image was pushed and promoted; a merge request run never
/// touches it.
public enum AliasRule {
    public enum Decision: Equatable {
        case move
        case keep(because: String)
    }

    /// Who asks for the alias to move.
    public enum Request: Equatable {
        /// `sluice run`: whether its kind of pipeline promotes (nightly) or not (merge
        /// requests, manual runs).
        case pipeline(promotes: Bool)
        /// `sluice register`: whether `--move-alias` was given.
        case command(moveAlias: Bool)

        var moves: Bool {
            switch self {
            case .pipeline(let promotes): promotes
            case .command(let moveAlias): moveAlias
            }
        }

        /// Why the alias stays when this request does not move it.
        var declined: String {
            switch self {
            case .pipeline: "this pipeline does not promote (merge request pipelines never move the alias)"
            case .command: "--move-alias was not given"
            }
        }
    }

    /// - Parameters:
    ///   - request: who asks, and whether they ask for the alias to move.
    ///   - passed: whether the candidate passed its gates.
    ///   - imagePromoted: whether the image was pushed and its champion tag moved; nil when
    ///     the run packages no image (then the registry alone carries the champion).
    public static func decide(_ request: Request, passed: Bool, imagePromoted: Bool?) -> Decision {
        guard request.moves else { return .keep(because: request.declined) }
        guard passed else { return .keep(because: "the candidate did not pass") }
        if imagePromoted == false { return .keep(because: "the image was not pushed and promoted") }
        return .move
    }
}

/// What registration did, for the run report and the output.
public struct Registration: Sendable, Equatable {
    public let model: String
    public let version: String
    /// The alias when it now points at `version`.
    public let aliasMoved: String?
}

/// Registers a logged run's model as a new version and moves the alias.
public struct ModelRegistration {
    public let client: MLflowClient
    public let server: RegistryServer

    public init(client: MLflowClient) {
        self.client = client
        server = RegistryServer.of(client.endpoint)
    }

    /// Registers the model `run` logged under `modelPath` as a new version of `model` (the
    /// model is created on first use), tagged with `tags`.
    ///
    /// On GitLab, which ignores `source` and `run_id` and gives each version its own run, the
    /// model files (`modelUpload`) and `metrics` go to the version's run as well, so that a
    /// later champion fetch finds both there.
    public func register(model: String, run: TrackedRun, modelPath: String, modelUpload: ArtifactUpload, metrics: [MLflowMetric], tags: [MLflowKeyValue]) throws -> MLflowModelVersion {
        if try client.registeredModel(named: model) == nil {
            _ = try client.createRegisteredModel(name: model, description: "Registered by Sluice")
        }
        let version = try client.createModelVersion(model: model, source: "\(run.artifactURI)/\(modelPath)", runID: run.runID, tags: tags)
        guard server == .gitlab else { return version }
        guard let versionRunID = version.runID else {
            throw Failure(.runtime, "GitLab: version \(version.version) of '\(model)' came back without its run; cannot upload the model files")
        }
        let versionRun = try client.run(id: versionRunID)
        let root = try client.artifactRoot(versionRun.info.artifactURI)
        try RunTracker(client: client).upload([modelUpload], to: run, root: root)
        try client.logBatch(runID: versionRunID, metrics: metrics, tags: [MLflowKeyValue("sluice.run_id", run.runID)])
        return version
    }

    /// Points `alias` at `version`, after checking the version exists and is ready. Not on
    /// GitLab, which has no aliases (see `RegistryServer.aliasFallback`).
    public func moveAlias(model: String, alias: String, to version: String) throws {
        guard server.hasAliases else {
            throw Failure(.runtime, "GitLab's model registry has no aliases; the champion there is the latest version")
        }
        let found = try client.modelVersion(model: model, version: version)
        guard found.status == nil || found.status == "READY" else {
            throw Failure(.runtime, "MLflow: version \(version) of '\(model)' is \(found.status!), not READY; the alias \(alias) stays where it was")
        }
        try client.setAlias(model: model, alias: alias, version: version)
    }
}
