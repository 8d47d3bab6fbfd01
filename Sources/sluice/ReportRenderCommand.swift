import ArgumentParser
import CIEnvironment
import Core
import Foundation
import Reports

/// `sluice report render`: run.json to Markdown, HTML, JUnit, OpenMetrics or JSON.
struct ReportRenderCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a run report as Markdown, HTML, JUnit XML, OpenMetrics text or JSON.",
        discussion: """
        Writes to standard output, or to --out. With --format all, --out is a directory that \
        receives report.md, report.html, junit.xml, metrics.txt and run.json. The Markdown comes \
        from the built-in template (templates/report/comment.mustache) or --template. When \
        GITHUB_STEP_SUMMARY is set, the Markdown is also appended to GitHub's job summary. \
        Exit 0 when rendered (whatever the run's verdict), 2 for a bad report or template, \
        3 when a file cannot be written.
        """
    )

    @Option(name: .long, help: "The run report to render.")
    var report: String = "run.json"

    @Option(name: .long, help: "markdown, html, junit, metrics, json, or all (needs --out DIR).")
    var format: String = "markdown"

    @Option(name: .long, help: "A Mustache template for the Markdown (see docs/commands/report.md for its values).")
    var template: String?

    @Option(name: .long, help: "Write here instead of standard output (a directory with --format all).")
    var out: String?

    @Option(name: .long, help: "At most this many characters of Markdown; larger reports step down (collapse, then trim tables).")
    var budget: Int?

    @Option(name: .long, help: "The report key shown in the Markdown (a job or matrix cell).")
    var key: String?

    @Option(name: .customLong("artifacts-url"), help: "Where the full report files can be browsed (default: from the CI's variables).")
    var artifactsURL: String?

    func validate() throws {
        guard format == "all" || ReportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of markdown, html, junit, metrics, json, all; got \(format)")
        }
        if format == "all", out == nil { throw ValidationError("--format all writes several files: give --out DIR") }
        if let budget, budget < 1000 { throw ValidationError("--budget must be at least 1000 characters") }
    }

    func execute() throws -> ExitStatus {
        let runReport = try ReportFile.read(report)
        let options = try ReportFiles.Options.load(template: template, key: key, artifactsURL: artifactsURL, ciArtifactsURL: CIEnvironment.detect().artifactsURL)
        if format == "all", let out {
            for path in try ReportFiles.write(runReport, to: out, options: options) { print(path) }
        } else if let chosen = ReportFormat(rawValue: format) {
            let text = try ReportFiles.render(runReport, as: chosen, options: options, budget: budget)
            if let out { try AtomicFile.write(text, to: out) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
        }
        if format == "all" || format == "markdown", let summary = try ReportFiles.appendJobSummary(runReport, options: options) {
            Diagnostics.line("appended the report to GitHub's job summary (\(summary))")
        }
        return .success
    }
}
