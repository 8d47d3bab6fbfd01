import Core

/// A command in a configuration file: a list is run directly (no shell, no quoting
/// problems); a string runs through `/bin/sh -c` only when the file says `shell: true`.
public enum ConfigCommand: Decodable, Equatable, Sendable {
    case arguments([String])
    case line(String)

    public init(from decoder: Decoder) throws {
        if let list = try? [String](from: decoder) {
            self = .arguments(list)
        } else {
            self = .line(try String(from: decoder))
        }
    }

    /// The command to run; `key` names it in messages. A string without `shell` is refused
    /// rather than split on spaces, which would break quoted arguments.
    public func command(shell: Bool, key: String) throws -> ChildProcess.Command {
        switch self {
        case .arguments(let list):
            guard !list.isEmpty else { throw Failure.usage("\(key) is an empty list") }
            return shell ? .shell(list.joined(separator: " ")) : .arguments(list)
        case .line(let line):
            guard shell else {
                throw Failure.usage("\(key) is a string; write it as a list ([python, train.py]) or set shell: true to run it through /bin/sh")
            }
            return .shell(line)
        }
    }
}
