import Core

/// How a model's predictions are made: through the `train.predict` command (run in the
/// training's working directory, with its environment and time limit), or in process when
/// there is no command (a built-in model file).
public struct PredictionPlan: Equatable, Sendable {
    /// The prediction command template ({model}, {data}, {output}); nil for built-in models.
    public var command: ChildProcess.Command?
    /// Where the command runs; nil is sluice's own working directory.
    public var workingDirectory: String?
    public var environment: [String: String]
    public var timeout: Double?
    /// The model `sluice train` writes under the same configuration: the model predicted
    /// with when none is named.
    public var defaultModel: String?

    public init(command: ChildProcess.Command? = nil, workingDirectory: String? = nil, environment: [String: String] = [:], timeout: Double? = nil, defaultModel: String? = nil) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.defaultModel = defaultModel
    }

    /// Built-in model files, predicted in process.
    public static let inProcess = PredictionPlan()
}
