/// What behavioural checks need from a model, so `Gates` never depends on how it was trained:
/// the command line wires it to the built-in model (or a prediction command).
public protocol Predictor {
    /// One output per row (columns by name): a classifier's positive-class score or a
    /// regression's value.
    func predict(_ rows: [[String: String]]) throws -> [Double]
    /// The class a classifier's score means; nil for regression.
    func label(forScore score: Double) -> String?
    /// The model on disk (a file or a directory), for the size budget.
    var modelPath: String { get }
}
