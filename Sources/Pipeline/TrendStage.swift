import Core
import Forges
import Foundation
import HTTP
import ModelRegistry
import ReportModel
import Reports

extension ContinuousTrainingRun {
    /// The branch whose history the report shows: the merge request's target, else the
    /// branch this run is on.
    var historyBranch: String? { context.facts.targetBranch ?? context.facts.branch }

    /// The history file kept in the CI cache, one per branch.
    func historyFile(_ branch: String) -> String {
        let cache = options.environment["SLUICE_CACHE_DIR"] ?? file.resolve(".sluice/cache")
        let name = branch.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        return (cache as NSString).appendingPathComponent("history/\(String(name)).json")
    }

    /// The target branch's earlier runs, from the first source that has them: the runs it
    /// logged to MLflow when a tracking server is configured, else its last `run.json` in
    /// the forge's job artifacts, else the history file in the CI cache. Missing history is
    /// said in the trend, never thrown.
    func loadTrend() -> Trend? {
        guard let branch = historyBranch else { return nil }
        var reasons: [String] = []
        if let client = mlflowSettings.client {
            let experiment = mlflowSettings.experiment
            switch TrackedHistory(client: client).points(experiment: experiment, branch: branch, limit: RunHistory.limit) {
            case .found(let points):
                return Trend(branch: branch, source: .mlflowRuns, origin: "the MLflow runs of \(branch) in experiment \(experiment)", points: points)
            case .missing(let reason):
                reasons.append(reason)
            }
        }
        if let forge = context.facts.forge {
            let client = HTTPClient.forForges(environment: options.environment, verbose: options.verbose)
            let file = BranchArtifacts.ArtifactFile(gitlabJob: config.report.historyJob, githubArtifact: config.report.historyArtifact, path: ".sluice/latest/run.json")
            let origin = forge == .gitlab ? "the job artifacts of \(file.gitlabJob) on \(branch)" : "the GitHub Actions artifact \(file.githubArtifact) of \(branch)"
            switch BranchArtifacts(facts: context.facts, environment: options.environment, client: client).latest(ref: branch, file: file) {
            case .found(let data):
                if let last = try? JSONDecoder().decode(RunReport.self, from: data) {
                    return RunHistory.trend(after: last, branch: branch, source: .forgeArtifacts, origin: origin)
                }
                reasons.append("the run.json in \(origin) is not a run report")
            case .missing(let reason):
                reasons.append(reason)
            }
        }
        let cached = historyFile(branch)
        if let data = FileManager.default.contents(atPath: cached), let history = try? JSONDecoder().decode(Trend.self, from: data), !history.points.isEmpty {
            return Trend(branch: branch, source: .ciCache, origin: "the CI cache (\(relative(cached)))", points: Array(history.points.suffix(RunHistory.limit)))
        }
        reasons.append("no history of \(branch) in the CI cache (\(relative(cached)))")
        return Trend(branch: branch, missing: "no earlier run of \(branch) found: " + reasons.joined(separator: "; "))
    }

    /// After a run on a branch (not a merge request), keeps its metrics in the CI cache's
    /// history so the next runs can show the trend.
    func recordHistory() {
        guard context.mode != .mr, let branch = context.facts.branch ?? historyBranch else { return }
        var own = report
        own.trend = report.trend?.branch == branch ? report.trend : nil
        let points = RunHistory.points(through: own)
        guard !points.isEmpty else { return }
        let path = historyFile(branch)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicFile.write(try JSONOutput.string(Trend(branch: branch, points: points)), to: path)
        } catch {
            log.note("warning: cannot keep the run history in \(path): \(error)")
        }
    }
}
