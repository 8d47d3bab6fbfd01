import Config
import Core
import Foundation
import MLflow
import ModelRegistry
import ReportModel
import Training

/// The run's MLflow settings: the `mlflow:` section, the client (nil when no tracking
/// server is named), the experiment and where the champion comes from.
public struct MLflowSettings {
    public var section: MLflowSection
    public var client: MLflowClient?
    /// The experiment runs are logged to: `mlflow.experiment`, else the CI project's path
    /// (GitLab `CI_PROJECT_PATH`, GitHub `GITHUB_REPOSITORY`), else the repository directory's name.
    public var experiment: String
    /// `champion.mlflow`, else `models:/<mlflow.model>@<mlflow.alias>` when a tracking server is
    /// named and no other champion is set.
    public var champion: MLflowModelURI?
    /// The configuration as flat `section.key` values, logged as params.
    public var configuration: [String: String]

    /// `verbose`: HTTP traces on stderr, secrets redacted.
    public static func resolve(_ sources: SettingsSources, config: RunConfig, verbose: Bool) throws -> MLflowSettings {
        let section = config.mlflow ?? MLflowSection()
        var trace: (@Sendable (String) -> Void)?
        if verbose { trace = { line in Diagnostics.line("http: \(line)") } }
        let client = try MLflowConnection.client(section, environment: sources.environment, resolvePath: sources.configPath, trace: trace)
        var champion = config.champion?.mlflow
        if champion == nil, client != nil, config.champion?.image == nil, config.evaluate.champion?.model == nil, let model = section.model {
            champion = MLflowModelURI(model: model, selector: .alias(section.alias))
        }
        if client == nil, let champion {
            throw Failure(.usage, "the champion \(champion) is in an MLflow registry, but no tracking server is named: set mlflow.tracking_uri or MLFLOW_TRACKING_URI")
        }
        return MLflowSettings(section: section, client: client, experiment: experiment(section, sources), champion: champion,
                              configuration: sources.file?.flattenedValues() ?? [:])
    }

    /// `mlflow.experiment`, else the CI project's path, else the repository directory's name.
    static func experiment(_ section: MLflowSection, _ sources: SettingsSources) -> String {
        let directoryName = ((sources.file?.directory ?? sources.workingDirectory) as NSString).lastPathComponent
        // The project's path, not GitLab's numeric CI_PROJECT_ID that CIFacts.project prefers.
        let project = sources.environment["CI_PROJECT_PATH"] ?? sources.environment["GITHUB_REPOSITORY"] ?? sources.facts.project
        return section.experiment ?? project ?? directoryName
    }
}

extension ContinuousTrainingRun {
    /// The champion as the MLflow registry names it: the version's files downloaded into the
    /// run's work directory and the metrics of the run that produced it.
    func mlflowChampion(_ uri: MLflowModelURI, client: MLflowClient, log: StageLog) throws -> Champion? {
        try log.produce(.champion, "Fetching the champion \(uri) from MLflow") {
            let server = RegistryServer.of(client.endpoint)
            if case .alias(let alias) = uri.selector, let fallback = server.aliasFallback(model: uri.model, alias: alias) { log.note(fallback) }
            let target = directory.workFile("champion")
            try? FileManager.default.removeItem(atPath: target)
            guard let fetched = try RegistryChampion.fetch(uri, client: client, into: target) else {
                return (nil, .passed, "no \(uri) in \(client.endpoint.displayURI) yet: first run, comparisons with a champion are not applicable")
            }
            let modelFile = config.champion?.modelFile ?? "model.json"
            let model = fetched.files.count == 1 ? "\(target)/\(fetched.files[0])"
                : fetched.files.contains(modelFile) ? "\(target)/\(modelFile)" : target
            let metrics = fetched.metricsAtTraining == nil ? "" : " (with the metrics of its run \(fetched.runID ?? ""))"
            return (Champion(model: model, source: "\(fetched.source) (\(uri))", atTraining: fetched.metricsAtTraining), .passed,
                    "champion \(fetched.source), \(fetched.files.count) file\(fetched.files.count == 1 ? "" : "s")\(metrics)")
        }
    }

    /// Registers a candidate that passed its gates as a new model version and, where the
    /// alias rule allows (a mode that promotes, whose image was pushed and promoted), moves the
    /// alias: `RegisterStage` on the run's own report and MLflow run. A failure on the way
    /// leaves the alias where it was and breaks the run (exit 3).
    func registerStage(trained: TrainResult) throws {
        guard let client = mlflowSettings.client else { return log.skip(.register, because: "no MLflow tracking server (mlflow.tracking_uri or MLFLOW_TRACKING_URI)") }
        let section = mlflowSettings.section
        guard let model = section.model, section.register else {
            return log.skip(.register, because: section.model == nil ? "no mlflow.model to register under" : "mlflow.register is false")
        }
        try log.run(.register, "Registering the candidate as a version of \(model)") {
            var flags = RegisterFlags()
            flags.model = trained.outputDirectory
            flags.report = report
            flags.aliasRequest = .pipeline(promotes: policy.promote)
            flags.run = try startTrackedRun(client)
            flags.verbose = options.verbose
            do {
                let outcome = try RegisterStage.run(try RegisterSettings.resolve(flags, sources))
                record(outcome.summary)
                return (.passed, outcome.message)
            } catch let registered as RegisteredWithoutAlias {
                record(registered.summary)
                throw registered
            }
        }
    }

    /// Adds what registration did to the report's MLflow section (whose run is this run's).
    private func record(_ registration: MLflowSummary) {
        var summary = report.mlflow ?? registration
        summary.model = registration.model
        summary.version = registration.version
        summary.aliasMoved = registration.aliasMoved
        summary.notes += registration.notes
        report.mlflow = summary
    }

    /// The run's MLflow run, started on first use.
    func startTrackedRun(_ client: MLflowClient) throws -> TrackedRun {
        if let trackedRun { return trackedRun }
        let run = try RunTracker(client: client).start(experiment: mlflowSettings.experiment, runName: "sluice \(directory.runId)")
        trackedRun = run
        var summary = report.mlflow ?? MLflowSummary(trackingURI: client.endpoint.displayURI)
        summary.experimentID = run.experimentID
        summary.runID = run.runID
        summary.runURL = run.url
        report.mlflow = summary
        return run
    }

    /// Logs the finished run (params, metrics, tags with the verdict) before the report is
    /// written, so the comment links it. Returns a message when MLflow could not be reached.
    func logRunToMLflow() -> String? {
        guard let client = mlflowSettings.client, mlflowSettings.section.logRuns else { return nil }
        do {
            let run = try startTrackedRun(client)
            var extra = ["sluice.mode": context.mode.rawValue]
            if let job = options.environment["CI_JOB_ID"], context.facts.system == .gitlab { extra["gitlab.CI_JOB_ID"] = job }
            try RunTracker(client: client).log(TrackingRecord(report: report, configuration: mlflowSettings.configuration, extraTags: extra), to: run)
            log.note("MLflow: run \(run.url)")
            return nil
        } catch {
            return "cannot log the run to MLflow: \(error)"
        }
    }

    /// Uploads the report files to the run and ends it, after the report is written.
    func finishMLflowRun(failed: Bool) -> String? {
        guard let client = mlflowSettings.client, mlflowSettings.section.logRuns, let run = trackedRun else { return nil }
        let tracker = RunTracker(client: client)
        do {
            let files = ["report.html", "run.json", "report.md"].map(directory.file).filter { FileManager.default.fileExists(atPath: $0) }
            try tracker.upload(files.map { ArtifactUpload($0, as: ($0 as NSString).lastPathComponent) }, to: run)
            try tracker.finish(run, status: failed ? .failed : .finished)
            return nil
        } catch {
            try? tracker.finish(run, status: .failed)
            return "cannot upload the report to the MLflow run: \(error)"
        }
    }
}
