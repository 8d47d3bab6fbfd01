import CIEnvironment
import Core
import Forges
import Foundation
import HTTP
import ReportModel
import Reports

extension ContinuousTrainingRun {
    /// The report files every run writes, also copied to `.sluice/latest/`.
    static let reportFiles = ["run.json", "report.md", "report.html", "junit.xml", "metrics.txt", "rejected.csv"]

    /// Writes `run.json` and its renderings, then posts the comment where the mode allows.
    /// Returns a message when posting failed and `report.require_post` makes that an error.
    func publishReport() -> String? {
        report.trend = loadTrend()
        report = relativized(report)
        let settings: PostSettings
        do {
            settings = try PostSettings.resolve(PostFlags(), sources)
            try AtomicFile.write(try JSONOutput.string(report), to: directory.file("run.json"))
            _ = try ReportFiles.write(report, to: directory.path, options: settings.renderOptions)
            try directory.publishLatest(Self.reportFiles)
            recordHistory()
            if let summary = try ReportFiles.appendJobSummary(report, options: settings.renderOptions, environment: options.environment) {
                log.note("appended the report to the GitHub job summary \(summary)")
            }
        } catch {
            return "cannot write the report files: \(error)"
        }
        log.note("report: \(directory.file("report.md")) (HTML: \(directory.file("report.html")); latest copies in \(directory.latest))")
        let key = settings.key
        guard policy.post, !options.noPost else {
            let why = options.noPost ? "--no-post" : "posting is off in \(context.mode.rawValue) pipelines"
            if context.facts.system == .local {
                log.note("comment: not posted (\(why)); in a merge request pipeline the report in report.md is posted as the sticky comment '\(key)' on the merge request (GitLab, GitHub, or Jenkins through either)")
            } else {
                log.note("comment: not posted (\(why))")
            }
            return nil
        }
        guard settings.canPost else {
            let facts = settings.facts
            let place = facts.changeURL ?? "the merge request of this branch"
            log.note("comment: no forge in reach (\(facts.system == .local ? "not running in CI" : "not a merge request pipeline")); in a merge request pipeline the report in report.md would be posted as comment '\(key)' on \(place)")
            return settings.requirePost ? "report.require_post: the report was not posted (no merge request)" : nil
        }
        let result = PostStage.run(report, settings)
        for warning in result.warnings { log.note("warning: \(warning)") }
        if result.posted {
            log.note("comment: \(result.comment.rawValue) '\(key)' on \(settings.facts.changeURL ?? "\(result.project ?? "") #\(result.number ?? 0)")\(result.commentURL.map { " (\($0))" } ?? "")")
        }
        return settings.requirePost && PostStage.missed(result) ? "report.require_post: the report was not posted" : nil
    }
}

extension ContinuousTrainingRun {
    private var repositoryPrefix: String { file.directory.hasSuffix("/") ? file.directory : file.directory + "/" }

    /// `path` relative to the configuration's directory when it is inside it.
    func relative(_ path: String) -> String {
        path.hasPrefix(repositoryPrefix) ? String(path.dropFirst(repositoryPrefix.count)) : path
    }

    /// Paths shown in reports relative to the configuration's directory (the repository),
    /// so a reviewer reads `holdout.csv`, not the CI runner's build path.
    func relativized(_ report: RunReport) -> RunReport {
        var copy = report
        let prefix = repositoryPrefix
        let shown = relative
        func shownText(_ text: String?) -> String? { text?.replacingOccurrences(of: prefix, with: "") }
        copy.validation?.file = shown(report.validation?.file ?? "")
        copy.drift?.reference = shown(report.drift?.reference ?? "")
        copy.drift?.current = shown(report.drift?.current ?? "")
        copy.evaluation?.holdout = shown(report.evaluation?.holdout ?? "")
        copy.image?.reference = shown(report.image?.reference ?? "")
        copy.lineage.dataHashes = Dictionary(report.lineage.dataHashes.map { (shown($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        copy.stages = report.stages.map { stage in
            var stage = stage
            stage.message = shownText(stage.message)
            return stage
        }
        copy.outcome.summary = shownText(report.outcome.summary) ?? ""
        return copy
    }
}
