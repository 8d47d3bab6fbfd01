import ArgumentParser
import Config
import Core
import Evaluation
import Foundation
import Training

/// `sluice evaluate`: metrics Sluice computes itself, candidate against champion.
struct EvaluateCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compute a model's metrics from its predictions, and compare with the champion's.",
        discussion: """
        Joins the predictions to the labels (by --id-column, else by row order) and computes \
        the task's metrics (binary: accuracy, balanced accuracy, precision, recall, F1, ROC AUC, \
        PR AUC, log loss, Brier; multiclass: accuracy, balanced accuracy, macro and weighted \
        precision/recall/F1, log loss; regression: MAE, RMSE, R², MAPE), equal to scikit-learn's. \
        With --champion-predictions on the same holdout, each metric gets the delta, a seeded \
        paired bootstrap interval and a verdict. Settings can come from the evaluate: section \
        of sluice.yml; flags win. Exit 0, or 2 for bad inputs, 3 for unreadable files. \
        See docs/commands/evaluate.md.
        """
    )

    @Option(help: "The candidate's predictions (CSV or JSON Lines).")
    var predictions: String?

    @Option(help: "Predict with this model on the holdout first (and with evaluate.champion.model).")
    var model: String?

    @Option(help: "The labelled holdout (default: evaluate.holdout).")
    var labels: String?

    @Option(help: "binary, multiclass or regression (default: evaluate.task).")
    var task: EvaluationTask?

    @Option(help: "Join predictions to labels by this column instead of row order.")
    var idColumn: String?

    @Option(help: "The labels file's label column (default: label).")
    var labelColumn: String?

    @Option(help: "Binary: the positive class (default: 1 or true).")
    var positiveLabel: String?

    @Option(help: "Binary: scores at or above this are positive predictions (default: 0.5).")
    var threshold: Double?

    @Option(parsing: .singleValue, help: "Report metrics per value of this labels column; repeatable.")
    var sliceBy: [String] = []

    @Option(help: "The champion's predictions on the same holdout.")
    var championPredictions: String?

    @Option(help: "Paired bootstrap resamples for the champion comparison (default: 1000).")
    var bootstrap: Int?

    @Option(help: "Seed of the bootstrap (default: 0).")
    var seed: UInt64?

    @Option(help: "Confidence level of the delta's interval (default: 0.95).")
    var confidence: Double?

    @Option(help: "The output format.")
    var format: TestReportFormat = .text

    @Option(help: "Also write the evaluation as JSON to this file (for sluice gate --evaluation).")
    var output: String?

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        let config = try configLocation.load()
        let section = try config?.decodeIfPresent(EvaluateSection.self, at: "evaluate") ?? EvaluateSection()
        guard let task = task ?? section.task else {
            throw Failure.usage("no task: pass --task binary|multiclass|regression or set evaluate.task in sluice.yml")
        }
        var options = section.options(task: task)
        if let idColumn { options.idColumn = idColumn }
        if let labelColumn { options.labelColumn = labelColumn }
        if let positiveLabel { options.positiveLabel = positiveLabel }
        if let threshold { options.threshold = threshold }
        if !sliceBy.isEmpty { options.sliceBy = sliceBy }
        if let bootstrap { options.bootstrap = bootstrap }
        if let seed { options.seed = seed }
        if let confidence { options.confidence = confidence }
        // Paths from sluice.yml are relative to its directory (a section implies a file).
        let fromConfig: (String) -> String = { config?.resolve($0) ?? $0 }
        guard let labels = labels ?? section.holdout.map(fromConfig) else {
            throw Failure.usage("no labels: pass --labels FILE or set evaluate.holdout in sluice.yml")
        }
        var candidate = predictions
        var champion = championPredictions ?? section.champion?.predictions.map(fromConfig)
        if let model {
            let plan = try config.flatMap { file in try file.decodeIfPresent(TrainSection.self, at: "train").map { try $0.plan(resolve: file.resolve) } }
            let made = try Prediction.onHoldout(candidate: model, champion: championPredictions == nil ? section.champion?.model.map(fromConfig) : nil, holdout: labels, plan: plan, directory: config?.resolve(".sluice/predictions") ?? ".sluice/predictions")
            candidate = made.candidate
            champion = made.champion ?? champion
        }
        guard let candidate else { throw Failure.usage("pass --predictions FILE or --model FILE") }
        var summary = try Evaluator.evaluate(candidate: candidate, champion: champion, labels: labels, options: options)
        // Report the holdout as the user wrote it, so run reports do not embed machine paths.
        if self.labels == nil, let written = section.holdout { summary.holdout = written }
        try ResultOutput.emit(summary, format: format, text: { EvaluationText.render(summary) }, junit: { EvaluationText.junit(summary) }, jsonFile: output)
        return .success
    }
}

extension EvaluationTask: ExpressibleByArgument {}
