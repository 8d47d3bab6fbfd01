import ArgumentParser
import Config
import Core
import Foundation
import Pipeline
import Training

/// `sluice train`: the user's training command or a built-in trainer, behind a run cache.
struct TrainCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model: your command or a built-in trainer, skipped when nothing changed.",
        discussion: """
        Settings come from the train: section of sluice.yml; flags win. A command after -- \
        runs without a shell (or through /bin/sh with --shell); it gets SLUICE_DATA, \
        SLUICE_SCHEMA, SLUICE_LABEL, SLUICE_PARAMS, SLUICE_OUTPUT_DIR and SLUICE_MODEL. \
        Its output is streamed with a "train | " prefix and saved to the log. The run cache \
        key is a SHA-256 over the command, parameters and the contents of the data, schema, \
        params file and declared inputs; an unchanged key restores the outputs ("cached, \
        skipped"). Exit 0; 2 for configuration errors; 3 when the command fails or times out \
        (the message ends with the log's last lines). See docs/commands/train.md.
        """
    )

    @Option(help: "A built-in trainer: logistic-regression or linear-regression.")
    var builtin: BuiltinTrainer?

    @Option(help: "The training data file (CSV or JSON Lines).")
    var data: String?

    @Option(help: "The Table Schema of the data (tells numbers from categories).")
    var schema: String?

    @Option(help: "The label column (default: label).")
    var labelColumn: String?

    @Option(help: "Where the model is written (default: .sluice/model).")
    var outputDir: String?

    @Option(help: "The run cache directory (default: .sluice/cache).")
    var cacheDir: String?

    @Option(help: "The log file (default: .sluice/train.log).")
    var log: String?

    @Option(help: "Stop the command after this long, e.g. 90s, 30m, 2h.")
    var timeout: String?

    @Flag(help: "Run the command through /bin/sh.")
    var shell = false

    @Flag(help: "Train even when the run cache has this exact run.")
    var noCache = false

    @Option(help: "The output format.")
    var format: ResultFormat = .text

    @OptionGroup var configLocation: ConfigLocation

    @Argument(parsing: .postTerminator, help: "The training command, after --.")
    var command: [String] = []

    func execute() throws -> ExitStatus {
        var flags = TrainFlags()
        flags.builtin = builtin
        flags.command = command
        flags.shell = shell
        if let timeout {
            guard let parsed = ConfigDuration(parsing: timeout) else { throw Failure.usage("--timeout \(timeout) is not a duration such as 90s, 30m or 2h") }
            flags.timeout = parsed
        }
        flags.data = data
        flags.schema = schema
        flags.label = labelColumn
        flags.outputDirectory = outputDir
        flags.cacheDirectory = cacheDir
        flags.log = log
        flags.noCache = noCache
        let result = try TrainStage.run(try TrainSettings.resolve(flags, try configLocation.sources()))
        switch format {
        case .text: print((result.cached ? "cached, skipped: " : "trained: ") + "model at \(result.modelPath) (log: \(result.logPath))")
        case .json: print(try JSONOutput.string(result), terminator: "")
        }
        return .success
    }
}

/// `sluice predict`: a model's predictions on a data file.
struct PredictCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Write a model's predictions for a data file.",
        discussion: """
        A built-in model file (model.json) is run by Sluice; any other model runs the train.predict \
        command of sluice.yml with {model}, {data} and {output} filled in (also as SLUICE_MODEL, \
        SLUICE_DATA, SLUICE_PREDICTIONS). The output has the id column (when the model knows it), \
        prediction and, for classifiers, score. See docs/commands/predict.md.
        """
    )

    @Option(help: "The model file, or whatever path the prediction command takes (default: the model sluice train writes).")
    var model: String?

    @Option(help: "The data to predict for.")
    var data: String

    @Option(help: "The predictions file to write (CSV).")
    var out: String

    @OptionGroup var configLocation: ConfigLocation

    func execute() throws -> ExitStatus {
        let settings = try PredictSettings.resolve(PredictFlags(model: model, data: data, output: out), try configLocation.sources())
        try PredictUseCase.run(settings)
        Diagnostics.line("predict: wrote \(out)")
        return .success
    }
}

extension BuiltinTrainer: ExpressibleByArgument {}
