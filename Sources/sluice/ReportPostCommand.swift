import ArgumentParser
import CIEnvironment
import Core
import Forges
import Foundation
import HTTP
import Pipeline
import ReportModel
import Reports

/// `sluice report post`: one sticky comment per report key, and an optional commit status.
struct ReportPostCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Post the run report as a sticky merge request / pull request comment.",
        discussion: """
        Finds where to post from the CI's variables (GitLab CI, GitHub Actions, Jenkins \
        multibranch, Jenkins GitLab plugin); flags override them. One comment per --key, \
        updated in place on later runs. Tokens: SLUICE_GITLAB_TOKEN or GITLAB_TOKEN (GitLab), \
        GITHUB_TOKEN (GitHub); see docs/forges.md. The key, template, status and \
        require_post come from the report: section of sluice.yml when flags do not give them. A report that cannot be posted is a \
        warning: the exit status follows the run's verdict (0 passed, 1 failed, 3 error) \
        unless --require-post is given, which makes a failed post exit 3.
        """
    )

    @Option(name: .long, help: "The run report to post.")
    var report: String = "run.json"

    @Option(name: .long, help: "One comment per key (default: the CI job name). Give one per matrix cell.")
    var key: String?

    @Flag(name: .customLong("require-post"), help: "Exit 3 when the comment cannot be posted.")
    var requirePost = false

    @Flag(name: .long, help: "Also set a commit status sluice/<key> carrying the verdict.")
    var status = false

    @Option(name: .long, help: "Also write the report files (report.md, report.html, junit.xml, metrics.txt, run.json) into this directory, and GitHub's job summary when GITHUB_STEP_SUMMARY is set.")
    var out: String?

    @Option(name: .long, help: "A Mustache template for the comment.")
    var template: String?

    @Option(name: .long, help: "gitlab or github (default: detected).")
    var forge: String?

    @Option(name: .customLong("api-url"), help: "The forge's API root, e.g. https://gitlab.example.com/api/v4.")
    var apiURL: String?

    @Option(name: .long, help: "GitLab project id or path; GitHub owner/repo.")
    var project: String?

    @Option(name: .long, help: "The merge request IID or pull request number.")
    var number: Int?

    @Option(name: .long, help: "The commit for --status.")
    var commit: String?

    @Option(name: .customLong("ca-bundle"), help: "PEM CA certificates for a self-managed forge (default: CI_SERVER_TLS_CA_FILE).")
    var caBundle: String?

    @Flag(name: .customLong("dry-run"), help: "Print where the comment would go and its body; send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Trace HTTP requests on standard error (tokens redacted).")
    var verbose = false

    @Option(name: .long, help: "text or json: what is printed about the post.")
    var format: String = "text"

    @OptionGroup var configLocation: ConfigLocation

    func validate() throws {
        if let forge, CIFacts.ForgeKind(rawValue: forge) == nil { throw ValidationError("--forge must be gitlab or github; got \(forge)") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json; got \(format)") }
        if let number, number < 1 { throw ValidationError("--number must be a positive merge request or pull request number") }
    }

    func execute() throws -> ExitStatus {
        let runReport = try ReportFile.read(report)
        var flags = PostFlags()
        flags.key = key
        flags.template = template
        flags.status = status
        flags.requirePost = requirePost
        flags.overrides = CIOverrides(forge: forge.flatMap(CIFacts.ForgeKind.init(rawValue:)), apiURL: apiURL, project: project, changeNumber: number, commit: commit)
        flags.caBundle = caBundle
        flags.verbose = verbose
        let settings = try PostSettings.resolve(flags, try configLocation.sources())
        let facts = settings.facts
        let reportKey = settings.key
        if let out {
            for path in try ReportFiles.write(runReport, to: out, options: settings.renderOptions) { Diagnostics.line("wrote \(path)") }
            if let summary = try ReportFiles.appendJobSummary(runReport, options: settings.renderOptions, environment: settings.environment) {
                Diagnostics.line("appended the report to GitHub's job summary (\(summary))")
            }
        }
        if dryRun {
            let target = facts.forge.map { "\($0.rawValue) \(facts.apiURL ?? "?") project \(facts.project ?? "?") number \(facts.changeNumber.map(String.init) ?? "none")" } ?? "nowhere (no forge detected)"
            print("would post as key \(reportKey) to \(target)\(status ? ", status on \(facts.commit ?? "no commit")" : "")")
            print(CommentPublisher.marker(key: reportKey))
            // Without a forge, the smaller (GitHub) limit shows the worst case.
            print(try settings.request(for: runReport).render(CommentPublisher.bodyBudget(for: facts.forge ?? .github, key: reportKey)), terminator: "")
            return verdict(runReport)
        }
        let result = PostStage.run(runReport, settings)
        for warning in result.warnings { Diagnostics.warning(warning) }
        if format == "json" {
            print(try JSONOutput.string(result), terminator: "")
        } else if result.posted {
            let place = "\(result.forge ?? "") \(result.project ?? "") \(result.forge == "gitlab" ? "!" : "#")\(result.number ?? 0)"
            print("\(result.comment.rawValue) the report comment (key \(reportKey)) on \(place)\(result.commentURL.map { ": \($0)" } ?? "")")
        }
        if format == "text", let state = result.status, state == .success || state == .failure {
            print("set commit status sluice/\(reportKey) to \(state.rawValue) on \(facts.commit ?? "")")
        }
        if requirePost, PostStage.missed(result) {
            Diagnostics.line("error: --require-post: the report was not posted")
            return .runtime
        }
        return verdict(runReport)
    }

    /// The exit status of the run's own verdict.
    private func verdict(_ report: RunReport) -> ExitStatus {
        switch report.outcome.status {
        case .passed: return .success
        case .failed: return .verdictFailed
        case .error: return .runtime
        }
    }
}
