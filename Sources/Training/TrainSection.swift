import Config
import Core
import Foundation

extension BuiltinTrainer: ConfigChoice {}

/// The `train:` section of `sluice.yml` (every key in docs/config.md).
public struct TrainSection: Decodable, Equatable {
    public var builtin: BuiltinTrainer?
    public var command: ConfigCommand?
    public var shell: Bool?
    public var timeout: ConfigDuration?
    public var workingDirectory: String?
    public var data: String?
    public var schema: String?
    public var label: String?
    public var params: String?
    public var parameters: [String: String]?
    public var inputs: [String]?
    public var output: String?
    public var model: String?
    public var cache: String?
    public var log: String?
    public var environment: [String: String]?
    public var predict: ConfigCommand?
    public var l2: Double?
    public var maxIterations: Int?
    public var features: [String]?
    public var exclude: [String]?
    public var maxCategories: Int?
    public var positiveLabel: String?
    public var idColumn: String?

    enum CodingKeys: String, CodingKey {
        case builtin, command, shell, timeout, data, schema, label, params, parameters, inputs, output, model, cache, log, environment, predict, l2, features, exclude
        case workingDirectory = "working_directory", maxIterations = "max_iterations", maxCategories = "max_categories"
        case positiveLabel = "positive_label", idColumn = "id_column"
    }

    public init() {}

    /// The plan with paths resolved by `resolve` (against the configuration file's directory).
    public func plan(resolve: (String) -> String) throws -> TrainPlan {
        let trainer: TrainPlan.Trainer
        switch (builtin, command) {
        case (let kind?, nil):
            var options = BuiltinOptions()
            if let l2 { options.l2 = l2 }
            if let maxIterations { options.maxIterations = maxIterations }
            options.features = features
            if let exclude { options.exclude = exclude }
            if let maxCategories { options.maxCategories = maxCategories }
            options.positiveLabel = positiveLabel
            options.idColumn = idColumn
            trainer = .builtin(kind, options)
        case (nil, let spec?):
            trainer = .command(try spec.command(shell: shell ?? false, key: "train.command"))
        case (_?, _?):
            throw Failure.usage("train: set either builtin or command, not both")
        case (nil, nil):
            throw Failure.usage("train: set builtin (logistic-regression or linear-regression) or command")
        }
        guard let data else { throw Failure.usage("train: no data (the training data file)") }
        return TrainPlan(
            trainer: trainer,
            timeout: timeout?.seconds,
            workingDirectory: resolve(workingDirectory ?? "."),
            data: resolve(data),
            schema: schema.map(resolve),
            label: label ?? "label",
            paramsFile: params.map(resolve),
            parameters: parameters ?? [:],
            inputs: (inputs ?? []).map(resolve),
            outputDirectory: resolve(outputDirectory),
            modelFile: modelFile,
            cacheDirectory: resolve(cache ?? ".sluice/cache"),
            logPath: resolve(log ?? ".sluice/train.log"),
            environment: environment ?? [:]
        )
    }

    /// How the models this section trains are predicted with; nil when the section says
    /// neither how to train nor how to predict. Needs no training data: a team that trains
    /// elsewhere may set only `train.predict`.
    public func predictionPlan(resolve: (String) -> String) throws -> PredictionPlan? {
        if builtin == nil, command == nil, predict == nil { return nil }
        return PredictionPlan(
            command: try predict.map { try $0.command(shell: shell ?? false, key: "train.predict") },
            workingDirectory: resolve(workingDirectory ?? "."),
            environment: environment ?? [:],
            timeout: timeout?.seconds,
            defaultModel: TrainPlan.modelPath(outputDirectory: resolve(outputDirectory), modelFile: modelFile))
    }

    private var outputDirectory: String { output ?? ".sluice/model" }
    /// The model file inside the output directory; a command's output may be the directory.
    private var modelFile: String? { model ?? (builtin != nil ? "model.json" : nil) }
}

/// Everything one training run needs, with absolute paths.
public struct TrainPlan: Equatable, Sendable {
    public enum Trainer: Equatable, Sendable {
        case builtin(BuiltinTrainer, BuiltinOptions)
        case command(ChildProcess.Command)
    }
    public var trainer: Trainer
    public var timeout: Double?
    public var workingDirectory: String
    public var data: String
    public var schema: String?
    public var label: String
    public var paramsFile: String?
    public var parameters: [String: String]
    public var inputs: [String]
    public var outputDirectory: String
    /// The model file inside the output directory; nil when a command's output is a directory.
    public var modelFile: String?
    /// nil turns the run cache off.
    public var cacheDirectory: String?
    public var logPath: String
    public var environment: [String: String]
    /// The directory (the repository) that input names in the run cache key are relative to,
    /// so the same inputs in another checkout or CI job make the same key. Nil names them
    /// by their absolute paths.
    public var cacheRoot: String?

    public init(trainer: Trainer, timeout: Double?, workingDirectory: String, data: String, schema: String?, label: String, paramsFile: String?, parameters: [String: String], inputs: [String], outputDirectory: String, modelFile: String?, cacheDirectory: String?, logPath: String, environment: [String: String]) {
        self.trainer = trainer
        self.timeout = timeout
        self.workingDirectory = workingDirectory
        self.data = data
        self.schema = schema
        self.label = label
        self.paramsFile = paramsFile
        self.parameters = parameters
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.modelFile = modelFile
        self.cacheDirectory = cacheDirectory
        self.logPath = logPath
        self.environment = environment
    }

    /// Where the model is: the model file, or the output directory itself.
    public var modelPath: String { Self.modelPath(outputDirectory: outputDirectory, modelFile: modelFile) }

    static func modelPath(outputDirectory: String, modelFile: String?) -> String {
        modelFile.map { (outputDirectory as NSString).appendingPathComponent($0) } ?? outputDirectory
    }
}

