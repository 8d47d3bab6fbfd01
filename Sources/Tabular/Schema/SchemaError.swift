import Core

/// A schema that cannot be used, with the JSON path of the offending value
/// (`schema.json: fields[3].constraints.minimum: expected a number, got "abc"`). Exit 2.
public struct SchemaError: SluiceError, Equatable {
    /// The schema file.
    public let source: String
    /// Where in the document, e.g. `fields[3].constraints.minimum`; empty for the whole file.
    public let path: String
    public let message: String

    public init(source: String, path: String, message: String) {
        self.source = source
        self.path = path
        self.message = message
    }

    public var exitStatus: ExitStatus { .usage }

    public var description: String {
        path.isEmpty ? "\(source): \(message)" : "\(source): \(path): \(message)"
    }
}
