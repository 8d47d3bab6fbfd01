/// One prediction: a classifier's positive-class score (or a regression's value) and, for
/// classifiers, the predicted class.
public struct ModelOutput: Equatable, Sendable {
    public var value: Double
    public var label: String?

    public init(value: Double, label: String?) {
        self.value = value
        self.label = label
    }
}

/// What behavioural checks need from a model, so `Gates` never depends on how it was trained:
/// the command line wires it to the built-in model or to the prediction command.
public protocol Predictor {
    /// One output per row (columns by name).
    func predict(_ rows: [[String: String]]) throws -> [ModelOutput]
    /// The model on disk (a file or a directory), for the size budget.
    var modelPath: String { get }
}
