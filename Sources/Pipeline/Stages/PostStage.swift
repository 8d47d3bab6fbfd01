import CIEnvironment
import Core
import Forges
import Foundation
import HTTP
import ReportModel
import Reports

/// The flags of `sluice report post` (`sluice run` passes none: its `report:` section and
/// the CI's facts decide).
public struct PostFlags {
    public var key: String?
    public var template: String?
    public var status = false
    public var requirePost = false
    /// Where the comment goes, over the CI's own facts.
    public var overrides = CIOverrides()
    public var caBundle: String?
    public var verbose = false

    public init() {}
}

/// The resolved settings of posting the report comment.
public struct PostSettings {
    /// One comment per key.
    public var key: String
    public var setStatus: Bool
    /// A report that cannot be posted is an error (exit 3) instead of a warning.
    public var requirePost: Bool
    /// Where the comment goes.
    public var facts: CIFacts
    public var renderOptions: ReportFiles.Options
    public var caBundle: String?
    public var verbose: Bool
    public var environment: [String: String]

    /// Flags, then the `report:` section, then the CI's facts (the job name is the key),
    /// then defaults.
    public static func resolve(_ flags: PostFlags, _ sources: SettingsSources) throws -> PostSettings {
        let section = try sources.section(ReportSection.self, "report") ?? ReportSection()
        let facts = sources.facts.overriding(flags.overrides)
        let key = flags.key ?? section.key ?? facts.jobName ?? "sluice"
        let template = sources.path(flag: flags.template, file: section.template)
        return PostSettings(
            key: key, setStatus: flags.status || section.status, requirePost: flags.requirePost || section.requirePost, facts: facts,
            renderOptions: try ReportFiles.Options.load(template: template, key: key, artifactsURL: nil, ciArtifactsURL: facts.artifactsURL, reportURL: ReportLink.url(facts)),
            caBundle: flags.caBundle.map(sources.flagPath), verbose: flags.verbose, environment: sources.environment)
    }

    /// Whether a forge and a merge request are in reach to post to.
    public var canPost: Bool { facts.forge != nil && facts.changeNumber != nil }

    /// The comment request for `report`: its Markdown rendered within the forge's budget.
    public func request(for report: RunReport) -> CommentPublisher.Request {
        let options = renderOptions
        return CommentPublisher.Request(key: key, setStatus: setStatus, outcome: report.outcome, statusDescription: ReportHeadline.text(report)) { budget in
            try ReportFiles.render(report, as: .markdown, options: options, budget: budget)
        }
    }
}

/// Posts the run report as one sticky merge request / pull request comment (and an
/// optional commit status): the one posting path of `sluice report post` and `sluice run`.
/// Failures come back as warnings in the result, never thrown.
public enum PostStage {
    public static func run(_ report: RunReport, _ settings: PostSettings) -> PublishResult {
        let client = HTTPClient.forForges(caBundle: settings.caBundle, environment: settings.environment, verbose: settings.verbose)
        return CommentPublisher(facts: settings.facts, environment: settings.environment, client: client).publish(settings.request(for: report))
    }

    /// Whether `result` leaves the report unposted in the sense `require_post` forbids.
    public static func missed(_ result: PublishResult) -> Bool {
        !result.posted || result.status == .failed || result.status == .skipped
    }
}
