import Core
import Foundation
import MLflow
import ModelRegistry
import Packaging
import ReportModel
import Reports
import Training

/// The flags of `sluice register`, or what `sluice run` passes in their place (the model it
/// trained, its own report, its mode's promotion rule and its MLflow run).
public struct RegisterFlags {
    /// The model directory (default: `train.output`, else `.sluice/model`).
    public var model: String?
    /// The run report whose candidate the model is (default: `.sluice/latest/run.json`).
    public var reportFile: String?
    /// The report itself, in place of a file: `sluice run` registers before it writes one.
    public var report: RunReport?
    /// Who asks for the alias to move: `sluice run`'s mode, or `--move-alias`.
    public var aliasRequest = AliasRule.Request.command(moveAlias: false)
    /// The MLflow run to log the model to (`sluice run`'s own); nil starts a run.
    public var run: TrackedRun?
    /// HTTP traces on stderr, secrets redacted.
    public var verbose = false

    public init() {}
}

/// The resolved settings of the register stage.
public struct RegisterSettings {
    public var client: MLflowClient
    /// The registered model's name (`mlflow.model`).
    public var model: String
    public var alias: String
    /// The experiment a run is started in when `run` is nil.
    public var experiment: String
    public var modelDirectory: String
    public var report: RunReport
    /// Whether the alias moves, or why not.
    public var decision: AliasRule.Decision
    public var run: TrackedRun?

    /// Flags, then the `mlflow:` section and `MLFLOW_TRACKING_URI`, `train.output`, then
    /// defaults. Refuses (exit 2) without a tracking server or `mlflow.model`, and (exit 1) a
    /// report whose candidate did not pass: only a passing candidate becomes a version.
    public static func resolve(_ flags: RegisterFlags, _ sources: SettingsSources) throws -> RegisterSettings {
        let section = try sources.section(MLflowSection.self, "mlflow") ?? MLflowSection()
        var trace: (@Sendable (String) -> Void)?
        if flags.verbose { trace = { line in Diagnostics.line("http: \(line)") } }
        guard let client = try MLflowConnection.client(section, environment: sources.environment, resolvePath: sources.configPath, trace: trace) else {
            throw Failure.usage("registering needs an MLflow tracking server: set mlflow.tracking_uri in sluice.yml or MLFLOW_TRACKING_URI")
        }
        guard let model = section.model else {
            throw Failure.usage("registering needs the registered model's name: set mlflow.model in sluice.yml")
        }
        let train = try sources.section(TrainSection.self, "train")
        let directory = flags.model.map(sources.flagPath) ?? train?.output.map(sources.configPath) ?? (sources.sluiceDirectory as NSString).appendingPathComponent("model")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure.usage("no model directory \(directory): pass --model DIR (the directory `sluice train` wrote) or set train.output")
        }
        let report: RunReport
        if let given = flags.report {
            report = given
        } else {
            let file = flags.reportFile.map(sources.flagPath) ?? (sources.sluiceDirectory as NSString).appendingPathComponent("latest/run.json")
            guard FileManager.default.fileExists(atPath: file) else {
                throw Failure.usage("no run report \(file): `sluice run` writes one, or pass --report FILE (the run.json of the candidate's run)")
            }
            report = try ReportFile.read(file)
            guard report.outcome.status == .passed else {
                throw Failure(.verdictFailed, "the candidate of run \(report.runId) did not pass (\(report.outcome.summary)): only a passing candidate is registered")
            }
        }
        // With a package: section the champion is also an image tag: the alias moves only
        // with it. Without one, the registry alone carries the champion.
        let packages = try sources.section(PackageSpec.self, "package") != nil
        let imagePromoted: Bool? = packages ? report.image?.promotedTag != nil : nil
        let decision = AliasRule.decide(flags.aliasRequest, passed: true, imagePromoted: imagePromoted)
        return RegisterSettings(client: client, model: model, alias: section.alias, experiment: MLflowSettings.experiment(section, sources),
                                modelDirectory: directory, report: report,
                                decision: decision, run: flags.run)
    }
}

/// The version was registered but moving the alias to it failed: the alias stays where it
/// was, and the version, which exists now, still belongs in the run's report.
public struct RegisteredWithoutAlias: SluiceError {
    /// What registration did, the new version included.
    public var summary: MLflowSummary
    public var model: String
    public var version: String
    public var alias: String
    public var cause: any Error

    public var exitStatus: ExitStatus { (cause as? SluiceError)?.exitStatus ?? .runtime }
    public var description: String {
        "registered \(model) version \(version), but alias \(alias) could not be moved to it and stays where it was: \(cause)"
    }
}

/// What registration did: the MLflow facts for the report, and one line for the log.
public struct RegisterOutcome {
    public var summary: MLflowSummary
    public var message: String
}

/// Logs a passing candidate's model to an MLflow run, registers it as a new version of
/// `mlflow.model` (tagged with the verdict, the run, the commit and the image digest, with
/// the evaluation's metrics) and moves the alias when the decision allows. On GitLab, which
/// has no aliases and treats the latest version as the champion, a registration that must
/// not move the champion registers nothing. A failure on the way leaves the alias where it
/// was (exit 3).
public enum RegisterStage: StageUseCase {
    public static let stage = Stage.register

    public static func run(_ settings: RegisterSettings) throws -> RegisterOutcome {
        let tracker = RunTracker(client: settings.client)
        let run = try settings.run ?? tracker.start(experiment: settings.experiment, runName: "sluice register \(settings.report.runId)")
        do {
            let outcome = try register(settings, run: run)
            // A run started here is this stage's own to end; `sluice run` ends its own.
            if settings.run == nil { try tracker.finish(run, status: .finished) }
            return outcome
        } catch {
            if settings.run == nil { try? tracker.finish(run, status: .failed) }
            throw error
        }
    }

    private static func register(_ settings: RegisterSettings, run: TrackedRun) throws -> RegisterOutcome {
        let server = RegistryServer.of(settings.client.endpoint)
        var summary = MLflowSummary(trackingURI: settings.client.endpoint.displayURI)
        summary.experimentID = run.experimentID
        summary.runID = run.runID
        summary.runURL = run.url
        summary.model = settings.model
        let modelUpload = ArtifactUpload(settings.modelDirectory, as: "model")
        try RunTracker(client: settings.client).upload([modelUpload], to: run)
        if case .keep(let reason) = settings.decision, !server.hasAliases {
            summary.notes.append("not registered: \(reason); \(server.aliasFallback(model: settings.model, alias: settings.alias)!)")
            return RegisterOutcome(summary: summary, message: "model logged to run \(run.runID); no version registered (GitLab has no aliases: \(reason))")
        }
        var tags = [MLflowKeyValue("sluice.verdict", "passed"), MLflowKeyValue("sluice.run_id", settings.report.runId)]
        if let commit = settings.report.lineage.commit { tags.append(MLflowKeyValue("sluice.commit", commit)) }
        if let digest = settings.report.image?.digest { tags.append(MLflowKeyValue("sluice.image.digest", digest)) }
        let metrics = TrackingRecord(report: settings.report, configuration: [:]).metrics
        let registration = ModelRegistration(client: settings.client)
        let version = try registration.register(model: settings.model, run: run, modelPath: "model", modelUpload: modelUpload, metrics: metrics, tags: tags)
        summary.version = version.version
        switch settings.decision {
        case .keep(let reason):
            summary.notes.append("alias \(settings.alias) not moved: \(reason)")
            return RegisterOutcome(summary: summary, message: "registered \(settings.model) version \(version.version); alias \(settings.alias) not moved: \(reason)")
        case .move:
            if server.hasAliases {
                do {
                    try registration.moveAlias(model: settings.model, alias: settings.alias, to: version.version)
                } catch {
                    summary.notes.append("alias \(settings.alias) not moved: \(error)")
                    throw RegisteredWithoutAlias(summary: summary, model: settings.model, version: version.version, alias: settings.alias, cause: error)
                }
            }
            summary.aliasMoved = server.hasAliases ? settings.alias : nil
            if let fallback = server.aliasFallback(model: settings.model, alias: settings.alias) { summary.notes.append(fallback) }
            return RegisterOutcome(summary: summary, message: "registered \(settings.model) version \(version.version)"
                                   + (server.hasAliases ? "; alias \(settings.alias) -> \(version.version)" : " (the latest version: GitLab's champion)"))
        }
    }
}
