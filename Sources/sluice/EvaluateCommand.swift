import ArgumentParser
import Config
import Core
import Evaluation
import Foundation
import Pipeline
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
        var flags = EvaluateFlags()
        flags.predictions = predictions
        flags.model = model
        flags.labels = labels
        flags.task = task
        flags.idColumn = idColumn
        flags.labelColumn = labelColumn
        flags.positiveLabel = positiveLabel
        flags.threshold = threshold
        flags.sliceBy = sliceBy
        flags.championPredictions = championPredictions
        flags.bootstrap = bootstrap
        flags.seed = seed
        flags.confidence = confidence
        let summary = try EvaluateStage.run(try EvaluateSettings.resolve(flags, try configLocation.sources()))
        try ResultOutput.emit(summary, format: format, text: { EvaluationText.render(summary) }, junit: { EvaluationText.junit(summary) }, jsonFile: output)
        return .success
    }
}

extension EvaluationTask: ExpressibleByArgument {}
