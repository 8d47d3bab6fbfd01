import Core

/// A problem in a configuration file, located by line and column.
///
/// Exit status 2: configuration errors are the user's to fix, and the message says where.
public struct ConfigError: SluiceError, Equatable {
    /// One located problem; a file can have several (every unknown key is reported at once).
    public struct Problem: Equatable, Sendable {
        public var file: String
        /// 1-based line, when the problem has a place in the file.
        public var line: Int?
        /// 1-based column (in Unicode scalars), when the problem has a place in the file.
        public var column: Int?
        /// Where in the document, e.g. `train.timeout` or `gates[2].metric`.
        public var path: String
        public var message: String

        public init(file: String, line: Int?, column: Int?, path: String, message: String) {
            self.file = file
            self.line = line
            self.column = column
            self.path = path
            self.message = message
        }

        /// `file:line:column: path: message`, the shape editors and CI logs link to.
        public var description: String {
            var place = file
            if let line { place += ":\(line)" }
            if let column { place += ":\(column)" }
            return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
        }
    }

    public var problems: [Problem]

    public init(_ problems: [Problem]) {
        self.problems = problems
    }

    public var exitStatus: ExitStatus { .usage }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
