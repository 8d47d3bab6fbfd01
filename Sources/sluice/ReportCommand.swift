import ArgumentParser

/// `sluice report`: render a run report, post it to the merge request.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a run report (run.json) and post it to the merge request.",
        discussion: "See docs/commands/report.md and docs/forges.md.",
        subcommands: [ReportRenderCommand.self, ReportPostCommand.self]
    )
}
