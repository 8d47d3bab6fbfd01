/// A request the server refuses: the HTTP status and a message that names the input at
/// fault and what was expected, sent as the protocol's `{"error": "..."}` body.
public struct InferenceError: Error, Equatable, Sendable {
    public var status: Int
    public var message: String
    /// The input tensor at fault, when there is one (also sent as `"input"`).
    public var input: String?

    public init(status: Int = 400, _ message: String, input: String? = nil) {
        self.status = status
        self.message = message
        self.input = input
    }

    /// A problem with one named input: the message starts with the input's name.
    static func input(_ name: String, _ problem: String) -> InferenceError {
        InferenceError("input '\(name)': \(problem)", input: name)
    }
}
