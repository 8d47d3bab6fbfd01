import Core
import Foundation

/// What one `train` did.
public struct TrainResult: Codable, Equatable, Sendable {
    public var modelPath: String
    public var outputDirectory: String
    public var logPath: String
    /// True when the outputs were restored from the run cache instead of training.
    public var cached: Bool
    public var cacheKey: String
    public var seconds: Double
}

/// Runs a training plan: the built-in trainer or the user's command, behind the run cache.
public enum Trainer {
    /// The environment variables a training or prediction command receives (docs/commands/train.md).
    public enum Variable {
        public static let data = "SLUICE_DATA"
        public static let schema = "SLUICE_SCHEMA"
        public static let label = "SLUICE_LABEL"
        public static let params = "SLUICE_PARAMS"
        public static let outputDirectory = "SLUICE_OUTPUT_DIR"
        public static let model = "SLUICE_MODEL"
        public static let predictions = "SLUICE_PREDICTIONS"
    }

    /// Trains per `plan`; with `useCache`, an unchanged key restores the cached outputs.
    public static func train(_ plan: TrainPlan, useCache: Bool = true) throws -> TrainResult {
        let started = Date()
        let key = try cacheKey(plan)
        let cache = plan.cacheDirectory.map(RunCache.init)
        if useCache, let cache, try cache.restore(key, into: plan.outputDirectory) {
            let cachedLog = cache.logPath(key)
            if FileManager.default.fileExists(atPath: cachedLog) {
                try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: cachedLog)), to: plan.logPath)
            }
            Diagnostics.line("train: cached, skipped (run cache key \(key.prefix(12)); --no-cache to force)")
            return TrainResult(modelPath: plan.modelPath, outputDirectory: plan.outputDirectory, logPath: plan.logPath, cached: true, cacheKey: key, seconds: Date().timeIntervalSince(started))
        }
        // The output directory may hold the user's other files: only the model is replaced.
        if plan.modelFile != nil { try? FileManager.default.removeItem(atPath: plan.modelPath) }
        try FileManager.default.createDirectory(atPath: plan.outputDirectory, withIntermediateDirectories: true)
        switch plan.trainer {
        case .builtin(let kind, let options):
            let model = try BuiltinTraining.train(kind, data: plan.data, schema: plan.schema, label: plan.label, options: options)
            try model.write(to: plan.modelPath)
            let skipped = model.training.skippedColumns.keys.sorted().map { "\($0) (\(model.training.skippedColumns[$0]!))" }
            var log = "built-in \(kind.rawValue): \(model.training.rows) rows, \(model.features.count) features, l2 \(options.l2), \(model.training.iterations) iterations\n"
            if let unlabelled = model.training.unlabelledRows { log += "\(unlabelled) rows without a label in '\(plan.label)' left out\n" }
            if !skipped.isEmpty { log += "skipped columns: \(skipped.joined(separator: "; "))\n" }
            log += "model written to \(plan.modelPath)\n"
            try AtomicFile.write(log, to: plan.logPath)
            for line in log.split(separator: "\n") { Diagnostics.line("train | \(line)") }
        case .command(let command):
            try runCommand(command, plan)
        }
        if let cache { try cache.store(key, outputDirectory: plan.outputDirectory, log: plan.logPath) }
        return TrainResult(modelPath: plan.modelPath, outputDirectory: plan.outputDirectory, logPath: plan.logPath, cached: false, cacheKey: key, seconds: Date().timeIntervalSince(started))
    }

    /// The run cache key: trainer, parameters and settings, and the contents of every input.
    public static func cacheKey(_ plan: TrainPlan) throws -> String {
        var facts = ["label": plan.label, "model": plan.modelFile ?? "", "environment": describe(plan.environment), "parameters": describe(plan.parameters)]
        switch plan.trainer {
        case .builtin(let kind, let options):
            facts["trainer"] = "builtin \(kind.rawValue) v1"
            facts["options"] = String(decoding: try JSONOutput.encoder().encode(options), as: UTF8.self)
        case .command(let command):
            facts["trainer"] = "command \(command)"
        }
        let inputs = [plan.data] + [plan.schema, plan.paramsFile].compactMap { $0 } + plan.inputs
        return try RunCache.key(facts: facts, inputs: inputs.map { (name: RunCache.name(of: $0, under: plan.cacheRoot), path: $0) })
    }

    private static func describe(_ values: [String: String]) -> String {
        values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: "\n")
    }

    private static func runCommand(_ command: ChildProcess.Command, _ plan: TrainPlan) throws {
        var environment = plan.environment
        environment[Variable.data] = plan.data
        environment[Variable.label] = plan.label
        environment[Variable.outputDirectory] = plan.outputDirectory
        environment[Variable.model] = plan.modelPath
        if let schema = plan.schema { environment[Variable.schema] = schema }
        if let paramsFile = plan.paramsFile {
            environment[Variable.params] = paramsFile
        } else if !plan.parameters.isEmpty {
            // Inline parameters reach the command as a JSON file, like a params file would.
            let generated = ((plan.logPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("params.json")
            try AtomicFile.write(try JSONOutput.string(plan.parameters), to: generated)
            environment[Variable.params] = generated
        }
        Diagnostics.line("train: running \(command.display)")
        let outcome = try ChildProcess.run(command, directory: plan.workingDirectory, environment: environment, timeout: plan.timeout, prefix: "train | ", logPath: plan.logPath)
        guard outcome.succeeded else {
            // A failed run's partial output must not look like a model.
            if plan.modelFile != nil { try? FileManager.default.removeItem(atPath: plan.modelPath) }
            let reason = outcome.timedOut ? "timed out after \(Int(plan.timeout ?? 0))s" : "failed with exit status \(outcome.status)"
            throw CommandFailure(summary: "the training command \(reason) (full log: \(plan.logPath))", tail: outcome.tail)
        }
        if plan.modelFile != nil, !FileManager.default.fileExists(atPath: plan.modelPath) {
            throw Failure.runtime("the training command succeeded but wrote no model at \(plan.modelPath) (\(Variable.model))")
        }
    }
}

/// Predictions from a model: the built-in model file, or the configured prediction command.
public enum Prediction {
    /// Writes predictions of `model` on `data` to `output`, as `plan` says.
    public static func predict(model: String, data: String, output: String, plan: PredictionPlan) throws {
        // A prediction command writes {output} itself; its directory must exist first.
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        guard let command = plan.command else {
            try LinearModel.load(model).predict(data: data, to: output)
            return
        }
        let substituted: ChildProcess.Command
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{model}", with: model).replacingOccurrences(of: "{data}", with: data).replacingOccurrences(of: "{output}", with: output)
        }
        switch command {
        case .arguments(let list): substituted = .arguments(list.map(fill))
        case .shell(let line): substituted = .shell(fill(line))
        }
        try? FileManager.default.removeItem(atPath: output)
        var variables = plan.environment
        variables[Trainer.Variable.model] = model
        variables[Trainer.Variable.data] = data
        variables[Trainer.Variable.predictions] = output
        let outcome = try ChildProcess.run(substituted, directory: plan.workingDirectory, environment: variables, timeout: plan.timeout, prefix: "predict | ")
        guard outcome.succeeded else {
            throw CommandFailure(summary: "the prediction command \(outcome.timedOut ? "timed out" : "failed with exit status \(outcome.status)") for model \(model)", tail: outcome.tail)
        }
        guard FileManager.default.fileExists(atPath: output) else {
            throw Failure.runtime("the prediction command succeeded but wrote no predictions at \(output) (\(Trainer.Variable.predictions))")
        }
    }
}

extension Prediction {
    /// Predictions for rows given as column → text (behavioural checks): the value (score
    /// or regression value) and the predicted class when there is one. A built-in model runs
    /// in process; otherwise the rows go through the plan's prediction command as one CSV.
    public static func predict(records: [[String: String]], model: String, plan: PredictionPlan) throws -> [(value: Double, label: String?)] {
        guard plan.command != nil else {
            return try LinearModel.load(model).labelledPredictions(records: records)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-predict-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let columns = Set(records.flatMap(\.keys)).sorted()
        let input = (scratch as NSString).appendingPathComponent("rows.csv"), output = (scratch as NSString).appendingPathComponent("predictions.csv")
        try AtomicFile.write(CSVText.line(columns) + records.map { row in CSVText.line(columns.map { row[$0] ?? "" }) }.joined(), to: input)
        try predict(model: model, data: input, output: output, plan: plan)
        let table = try TextColumns.read(output)
        guard table.rowCount == records.count else {
            throw Failure.runtime("the prediction command wrote \(table.rowCount) predictions for \(records.count) rows")
        }
        let scores = table.column("score"), labels = table.column("prediction")
        guard let values = scores ?? labels else {
            throw Failure.runtime("the prediction command's output has neither 'score' nor 'prediction' (its columns: \(table.header.joined(separator: ", ")))")
        }
        return try values.enumerated().map { row, text in
            guard let value = Double(text) else { throw Failure.runtime("the prediction command wrote '\(text)', not a number, on line \(table.lines[row])") }
            return (value, scores != nil ? labels?[row] : nil)
        }
    }
}
