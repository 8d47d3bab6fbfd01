/// The process exit codes Sluice promises its users (see docs/architecture.md).
///
/// GitLab users rely on these, for example `allow_failure: exit_codes: [1]`.
public enum ExitStatus: Int32, Sendable, Codable {
    /// Everything passed.
    case success = 0
    /// A verdict said no: invalid data, drift with `--fail-on-drift`, a failed gate.
    case verdictFailed = 1
    /// Usage or configuration error: bad flags, a bad schema, a bad `sluice.yml`.
    case usage = 2
    /// Runtime or infrastructure error: unreadable file, network, registry, a crashed command.
    case runtime = 3
}

/// An error that knows which exit status it maps to and how to say itself to a user.
///
/// Every error a capability throws at the command line should conform, so that the
/// executable never prints a stack trace or a Swift type name.
public protocol SluiceError: Error, CustomStringConvertible {
    /// The exit status the command line reports for this error.
    var exitStatus: ExitStatus { get }
}

/// A plain categorised error for the many places that only need a message.
public struct Failure: SluiceError, Equatable {
    public let exitStatus: ExitStatus
    public let message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.exitStatus = status
        self.message = message
    }

    /// A usage or configuration error (exit 2).
    public static func usage(_ message: String) -> Failure { Failure(.usage, message) }
    /// A runtime or infrastructure error (exit 3).
    public static func runtime(_ message: String) -> Failure { Failure(.runtime, message) }

    public var description: String { message }
}
