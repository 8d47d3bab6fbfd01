import ArgumentParser
import Core
import Foundation
import Pipeline

/// `sluice register`: registers a passing candidate as a new MLflow model version.
struct RegisterCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a candidate that passed its gates as a new version of the MLflow model.",
        discussion: """
        Logs --model (a directory, as `sluice train` writes it) to a new MLflow run in the \
        experiment, registers it as a version of mlflow.model tagged with the verdict, the \
        run id, the commit and the image digest of --report, with its evaluation metrics, and \
        with --move-alias points mlflow.alias at it (with a package: section, only if the report's image \
        was pushed and promoted). The same stage runs in `sluice run` after promote. See \
        docs/commands/register.md.

        Exit codes: 0 registered; 1 the report's candidate did not pass; 2 usage or \
        configuration error (no tracking server, no mlflow.model); 3 the server failed (the \
        alias stays where it was).
        """
    )

    @Option(help: "The model directory (default: train.output, else .sluice/model).")
    var model: String?

    @Option(help: "The run report of the candidate (default: .sluice/latest/run.json).")
    var report: String?

    @Flag(help: "Point mlflow.alias (default champion) at the new version.")
    var moveAlias = false

    @Flag(help: "Print the HTTP exchanges with the tracking server (secrets redacted).")
    var verbose = false

    @Option(help: "Output format.")
    var format: ResultFormat = .text

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        var flags = RegisterFlags()
        flags.model = model
        flags.reportFile = report
        flags.aliasRequest = .command(moveAlias: moveAlias)
        flags.verbose = verbose
        let outcome = try RegisterStage.run(try RegisterSettings.resolve(flags, try configLocation.sources()))
        switch format {
        case .json: print(try JSONOutput.string(outcome.summary), terminator: "")
        case .text: print(([outcome.message] + outcome.summary.notes.filter { !outcome.message.contains($0) }).joined(separator: "\n"))
        }
        return .success
    }
}
