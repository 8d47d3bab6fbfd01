import Foundation

/// An Open Inference Protocol answer as a test reads it: read with JSONDecoder, whose number
/// parsing is exact (JSONSerialization's on Linux is not), so scores compare bit for bit.
public struct InferenceAnswer: Decodable {
    public struct Output: Decodable {
        public var name: String
        /// Numbers, or nil for a text output.
        public var numbers: [Double]?
        /// Texts, or nil for a numeric output.
        public var texts: [String]?

        enum CodingKeys: String, CodingKey { case name, data }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            numbers = try? container.decode([Double].self, forKey: .data)
            texts = try? container.decode([String].self, forKey: .data)
        }
    }

    public var outputs: [Output]

    /// Parses `text`; an answer that is not one has no outputs.
    public static func parse(_ text: String) -> InferenceAnswer {
        (try? JSONDecoder().decode(InferenceAnswer.self, from: Data(text.utf8))) ?? InferenceAnswer(outputs: [])
    }

    /// The `score` output (empty when absent).
    public var scores: [Double] { outputs.first { $0.name == "score" }?.numbers ?? [] }
    /// The `prediction` output's classes (empty when absent or numeric).
    public var labels: [String] { outputs.first { $0.name == "prediction" }?.texts ?? [] }
}
