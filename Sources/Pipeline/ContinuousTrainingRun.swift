import CIEnvironment
import Config
import Core
import Foundation
import ModelRegistry
import OCI
import ReportModel

/// `sluice run`: validate, profile and drift, triggers, train, tests, evaluate champion and
/// candidate, gates, package, push, promote, report, from one `sluice.yml`.
///
/// Stages record their outcome in the run report; a verdict ("no") and a breakage (an
/// error) are kept apart, so the exit status says which one stopped the run. The report is
/// written whatever happens, and the champion moves only after a complete, verified push.
public final class ContinuousTrainingRun {
    let config: RunConfig
    let file: ConfigFile
    /// Where every stage's settings are resolved from, as the stage's own command does.
    let sources: SettingsSources
    let options: RunOptions
    let context: RunContext
    let policy: ModePolicy
    let directory: RunDirectory
    let log: StageLog
    var report: RunReport
    /// Registry clients and tokens, shared by the stages that talk to registries.
    var registries: Registries?
    /// The `mlflow:` settings and client (no client: nothing is logged or registered).
    let mlflowSettings: MLflowSettings
    /// The MLflow run this run is logged as, once started.
    var trackedRun: TrackedRun?
    /// The data files' hashes for the lineage, computed on a thread of their own while the
    /// first stages run (`recordDataHashes` waits for them).
    var dataHashing: Background<[String: String]>?
    /// The image's runtime layer unpacked beside training for the smoke stage's bundle
    /// (which takes the directory over); removed at the end of the run if still there.
    var runtimeRoot: UnpackedLayer?

    /// Reads and checks the configuration and prepares the run directory. Configuration
    /// problems throw here (exit 2), before any work starts.
    public init(options: RunOptions, log: StageLog) throws {
        self.options = options
        self.log = log
        file = try ConfigFile.load(options.configPath)
        config = try ConfigCheck.check(file)
        sources = SettingsSources(file: file, environment: options.environment)
        context = RunContext.gather(facts: sources.facts, modeFlag: options.mode, repositoryPath: file.directory)
        policy = config.modes.policy(for: context.mode)
        mlflowSettings = try MLflowSettings.resolve(sources, config: config, verbose: options.verbose)
        let root = options.root ?? file.resolve(".sluice")
        directory = try RunDirectory(root: root, runId: options.runId ?? RunDirectory.makeRunId(environment: options.environment))
        let created = ISO8601DateFormatter().string(from: Date())
        report = RunReport(runId: directory.runId, createdAt: created, sluiceVersion: SluiceBuild.version)
    }

    /// Runs every stage and returns the finished report and the exit status.
    public func execute() -> RunResult {
        log.note("mode \(context.mode.rawValue) (\(context.modeReason)); run directory \(directory.path)")
        var breakage: SluiceError?
        do {
            let dataFiles = [file.resolve(config.data.reference), file.resolve(config.data.current)]
            dataHashing = Background { try RunContext.dataHashes(dataFiles) }
            report.lineage = context.lineage(parameters: config.train?.parameters ?? [:])
            defer {
                runtimeRoot?.discard()
                runtimeRoot = nil
            }
            let stages = Result { try runStages() }
            // Hashing came first when it was not beside the stages: its failure still does.
            try recordDataHashes()
            try stages.get()
        } catch let error as SluiceError {
            breakage = error
        } catch {
            breakage = Failure.runtime("\(error)")
        }
        if breakage != nil, let broken = log.records.last(where: { $0.status == .error }) {
            skipRest(after: broken.name, because: "stage \(broken.name.rawValue) broke")
        }
        report.stages = log.records
        let verdict = RunVerdict(records: log.records, breakage: breakage)
        report.outcome = verdict.outcome(passSummary: passSummary)
        var status = verdict.exitStatus
        // Logged before the report is written so that the comment links the MLflow run.
        let failures = [logRunToMLflow(), publishReport(), finishMLflowRun(failed: report.outcome.status == .error)].compactMap { $0 }
        for failure in failures {
            log.note("error: \(failure)")
            if status == .success || status == .verdictFailed { status = .runtime }
        }
        return RunResult(report: report, exitStatus: status, directory: directory.path, summaryTable: log.summaryTable())
    }

    /// Puts the data files' hashes into the lineage, waiting for them if need be.
    func recordDataHashes() throws {
        guard let dataHashing else { return }
        report.lineage.dataHashes = try dataHashing.result().get()
    }

    /// The stages, in order, each handing its typed result to the next; a "no" from one
    /// stops the data and model stages after it.
    private func runStages() throws {
        guard let current = try validateStage() else { return skipRest(after: .validate, because: "validation failed") }
        let (champion, fresh) = try driftBesideDecay(current: current)
        guard triggerStage(champion: champion, fresh: fresh) else { return skipRest(after: .triggers, because: "no trigger fired") }
        let (trained, hygiene) = try trainBesideHygiene(current: current)
        let evaluation = try evaluateStage(trained: trained, champion: champion)
        let tests = try testsStage(trained: trained)
        guard try gatesStage(evaluation: evaluation, tests: tests, hygiene: hygiene) else { return skipRest(after: .gates, because: "a gate failed") }
        try packageStage(trained: trained, evaluation: evaluation)
        try registerStage(trained: trained)
    }

    /// The drift stage, then the champion and its evaluation on fresh labels (the decay
    /// stage). Both read the validated current data and nothing of each other, so when
    /// they write nothing but their stage log (a champion model file predicted by the
    /// built-in trainer: no pull, no prediction command) the champion's stages run beside
    /// drift with their log held back and added after drift's: the log, the records and a
    /// failure are those of running them one after the other (drift's failure first; the
    /// champion's stages then count as not run).
    private func driftBesideDecay(current: String) throws -> (Champion?, [String: Double]?) {
        let championIsFile = config.champion?.image == nil && mlflowSettings.champion == nil
        guard championIsFile, try TrainSettings.predictionPlan(sources).command == nil else {
            try driftStage(current: current)
            let champion = try championStage(log: log)
            return (champion, try decayStage(champion: champion, current: current, log: log))
        }
        let held = log.held()
        let (_, champion) = try SideBySide.run({ try driftStage(current: current) }, {
            Result { () throws -> (Champion?, [String: Double]?) in
                let champion = try championStage(log: held)
                return (champion, try decayStage(champion: champion, current: current, log: held))
            }
        })
        log.replay(held)
        return try champion.get()
    }

    private func skipRest(after stage: Stage, because reason: String) {
        for later in stage.later where !log.records.contains(where: { $0.name == later }) {
            log.skip(later, because: reason)
        }
    }

    /// The one-line summary of a run that passed.
    private func passSummary() -> String {
        guard log.records.contains(where: { $0.name == .train && $0.status == .passed }) else {
            let evidence = report.triggers.map { "\($0.name): \($0.evidence)" }.joined(separator: "; ")
            return "no retrain: no trigger fired (\(evidence))"
        }
        let passed = report.gates.filter { $0.status == .passed }.count
        let notApplicable = report.gates.filter { $0.status == .notApplicable }.count
        // A gate with nothing to judge (no champion yet) is neither a pass nor a failure.
        var parts = ["candidate passed \(passed) of \(report.gates.count) gates" + (notApplicable > 0 ? " (\(notApplicable) not applicable)" : "")]
        if let image = report.image {
            parts.append(image.promotedTag.map { "promoted to \($0) as \(image.digest)" } ?? (image.pushed ? "pushed \(image.reference)" : "image written to \(image.reference)"))
        }
        return parts.joined(separator: "; ")
    }
}

/// What one run produced.
public struct RunResult {
    public let report: RunReport
    public let exitStatus: ExitStatus
    /// The run directory.
    public let directory: String
    /// The closing table of stages.
    public let summaryTable: String
}
