import ArgumentParser
import Config
import Core
import Evaluation
import Foundation
import Gates
import Pipeline
import ReportModel
import Training

/// `sluice gate`: model tests and quality gates; exit 1 when a gate fails.
struct GateCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Run model tests and decide the quality gates of sluice.yml; exit 1 when one fails.",
        discussion: """
        Runs the tests: section (commands, their JUnit files, built-in behavioural checks) and \
        applies the gates: section to the evaluation (the JSON of sluice evaluate --output) and \
        the test results. Each gate passes, fails or is not applicable (a champion comparison \
        on the first run), with the values that decided it. --format junit writes one test \
        case per gate and test for GitLab's test panel or Jenkins's junit step. Exit 0 when \
        every gate holds, 1 when one fails, 2 for configuration errors, 3 when a test \
        command cannot start. See docs/commands/gate.md.
        """
    )

    @Option(help: "The evaluation JSON written by sluice evaluate --output.")
    var evaluation: String?

    @Option(help: "The model for behavioural checks (default: the train: section's model).")
    var model: String?

    @Option(help: "Rows for invariance, directional and latency checks (default: tests.data, else evaluate.holdout).")
    var data: String?

    @Option(help: "Where test command logs go (default: .sluice beside sluice.yml).")
    var logDir: String?

    @Option(help: "The output format.")
    var format: TestReportFormat = .text

    @Option(help: "Also write the gate report as JSON to this file.")
    var output: String?

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        let sources = try configLocation.sources()
        guard sources.file != nil else {
            throw Failure.usage("no sluice.yml: sluice gate reads its gates: and tests: sections from it (--config FILE)")
        }
        var flags = TestsFlags()
        flags.model = model
        flags.data = data
        flags.logDirectory = logDir
        let tests = try TestsStage.run(try TestsSettings.resolve(flags, sources))
        let report = try GatesStage.run(try GatesSettings.resolve(evaluation: try evaluation.map(Self.readEvaluation), tests: tests, sources))
        try ResultOutput.emit(report, format: format, text: { report.text }, junit: { report.junit }, jsonFile: output)
        return report.passed ? .success : .verdictFailed
    }

    static func readEvaluation(_ path: String) throws -> EvaluationSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.usage("cannot read the evaluation file \(path)")
        }
        do {
            return try JSONOutput.decoder().decode(EvaluationSummary.self, from: data)
        } catch {
            throw Failure.usage("\(path) is not an evaluation written by sluice evaluate --output: \(error)")
        }
    }
}
