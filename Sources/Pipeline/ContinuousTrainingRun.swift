import CIEnvironment
import Config
import Core
import Foundation
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
    let options: RunOptions
    let context: RunContext
    let policy: ModePolicy
    let directory: RunDirectory
    let log: StageLog
    var report: RunReport
    var state = RunState()
    /// Registry clients and tokens, shared by the stages that talk to registries.
    var registries: Registries?

    /// Reads and checks the configuration and prepares the run directory. Configuration
    /// problems throw here (exit 2), before any work starts.
    public init(options: RunOptions, log: StageLog) throws {
        self.options = options
        self.log = log
        file = try ConfigFile.load(options.configPath)
        config = try file.decode(RunConfig.self)
        let facts = CIEnvironment.detect(options.environment)
        context = RunContext.gather(facts: facts, modeFlag: options.mode, repositoryPath: file.directory)
        policy = config.modes.policy(for: context.mode)
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
            report.lineage = try context.lineage(dataFiles: [file.resolve(config.data.reference), file.resolve(config.data.current)], parameters: config.train?.parameters ?? [:])
            try runStages()
        } catch let error as SluiceError {
            breakage = error
        } catch {
            breakage = Failure.runtime("\(error)")
        }
        if breakage != nil, let broken = log.records.last(where: { $0.status == .error }) {
            skipRest(after: broken.name, because: "stage \(broken.name) broke")
        }
        report.stages = log.records
        report.outcome = outcome(breakage: breakage)
        var status = exitStatus(breakage: breakage)
        if let postFailure = publishReport() {
            log.note("error: \(postFailure)")
            if status == .success || status == .verdictFailed { status = .runtime }
        }
        return RunResult(report: report, exitStatus: status, directory: directory.path, summaryTable: log.summaryTable())
    }

    /// The stages, in order; a "no" from one stops the data and model stages after it.
    private func runStages() throws {
        guard try validateStage() else { return skipRest(after: "validate", because: "validation failed") }
        try driftStage()
        try championStage()
        try decayStage()
        guard triggerStage() else { return skipRest(after: "triggers", because: "no trigger fired") }
        try trainStage()
        try evaluateStage()
        try testsStage()
        guard gatesStage() else { return skipRest(after: "gates", because: "a gate failed") }
        try packageStage()
    }

    private static let order = ["validate", "drift", "champion", "decay", "triggers", "train", "evaluate", "tests", "gates", "package", "smoke", "push", "promote"]

    private func skipRest(after stage: String, because reason: String) {
        guard let index = Self.order.firstIndex(of: stage) else { return }
        for name in Self.order[(index + 1)...] where !log.records.contains(where: { $0.name == name }) {
            log.skip(name, because: reason)
        }
    }

    private func outcome(breakage: SluiceError?) -> Outcome {
        if let breakage {
            let failed = log.records.last { $0.status == .error }?.name
            return Outcome(status: .error, summary: "\(failed.map { "stage \($0) broke: " } ?? "")\(breakage.description)", failedStage: failed)
        }
        // The gates are the verdict; failing model tests are evidence that one gate weighs.
        if let failed = log.records.first(where: { $0.name == "gates" && $0.status == .failed }) ?? log.records.first(where: { $0.status == .failed }) {
            return Outcome(status: .failed, summary: "\(failed.name) said no: \(failed.message ?? "")", failedStage: failed.name)
        }
        return Outcome(status: .passed, summary: state.passSummary(report))
    }

    private func exitStatus(breakage: SluiceError?) -> ExitStatus {
        if let breakage { return breakage.exitStatus == .verdictFailed ? .runtime : breakage.exitStatus }
        return report.outcome.status == .failed ? .verdictFailed : .success
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

/// Values one stage hands to later ones.
struct RunState {
    var schemaPath: String?
    /// The current data later stages read: the file, or its valid rows after quarantine.
    var currentData: String?
    var championModel: String?
    var championSource: String?
    var championAtTraining: [String: Double]?
    var championFresh: [String: Double]?
    var modelPath: String?
    var modelDirectory: String?
    /// The candidate's predictions on the holdout, which the smoke stage expects the image to repeat.
    var candidatePredictions: String?
    var trained = false

    /// The one-line summary of a run that passed.
    func passSummary(_ report: RunReport) -> String {
        if !trained {
            let evidence = report.triggers.map { "\($0.name): \($0.evidence)" }.joined(separator: "; ")
            return "no retrain: no trigger fired (\(evidence))"
        }
        var parts = ["candidate passed \(report.gates.filter { $0.status == .passed }.count) of \(report.gates.count) gates"]
        if let image = report.image {
            parts.append(image.promotedTag.map { "promoted to \($0) as \(image.digest)" } ?? (image.pushed ? "pushed \(image.reference)" : "image written to \(image.reference)"))
        }
        return parts.joined(separator: "; ")
    }
}
