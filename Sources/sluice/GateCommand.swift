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

    @Option(help: "Where test command logs go.")
    var logDir: String = ".sluice"

    @Option(help: "The output format.")
    var format: TestReportFormat = .text

    @Option(help: "Also write the gate report as JSON to this file.")
    var output: String?

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        guard let config = try configLocation.load() else {
            throw Failure.usage("no sluice.yml: sluice gate reads its gates: and tests: sections from it (--config FILE)")
        }
        let gates = try config.decodeIfPresent(GatesSection.self, at: "gates") ?? []
        let tests = try config.decodeIfPresent(TestsSection.self, at: "tests") ?? TestsSection()
        let summary = try evaluation.map(Self.readEvaluation)
        var predictor: Predictor?
        if !(tests.checks ?? []).isEmpty {
            predictor = try ModelWiring.predictor(model: model, config: config)
        }
        let evaluate = try config.decodeIfPresent(EvaluateSection.self, at: "evaluate")
        let checkData = data ?? tests.data.map(config.resolve) ?? evaluate?.holdout.map(config.resolve)
        let results = try ModelTests.run(tests, predictor: predictor, checkData: checkData, resolve: config.resolve, logDirectory: logDir)
        let report = GateReport(gates: try GateEvaluator.apply(gates, evaluation: summary, tests: results), tests: results)
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
