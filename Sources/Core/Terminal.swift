import Foundation

/// Facts about where output goes, so commands colour only on a terminal, never with
/// `NO_COLOR`, and fold log sections only in GitLab CI.
public struct Terminal: Sendable {
    /// The stream text is written to; colour is decided by that stream alone.
    public enum Stream: Sendable {
        case standardOutput, standardError

        var descriptor: Int32 { self == .standardOutput ? STDOUT_FILENO : STDERR_FILENO }
    }

    /// Whether ANSI colour may be written to the stream.
    public let colour: Bool
    /// Whether GitLab CI's collapsible log sections should be written.
    public let gitlabSections: Bool

    /// Reads the facts from the process environment and the stream the text goes to (a
    /// redirected stdout must not turn the colour of stderr's progress lines off, nor a
    /// terminal stdout turn it on in a log file).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, stream: Stream = .standardOutput) {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        colour = !noColour && isatty(stream.descriptor) == 1 && environment["TERM"] != "dumb"
        gitlabSections = environment["GITLAB_CI"] == "true"
    }

    /// Wraps `text` in an ANSI style when colour is allowed.
    public func style(_ text: String, _ style: Style) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// ANSI styles used by Sluice's text output.
    public enum Style: String, Sendable {
        case bold = "1", red = "31", green = "32", yellow = "33", dim = "2"
    }
}

/// Writes diagnostics (warnings, progress, errors) to standard error, never to stdout,
/// so that `--format json` output stays machine-readable.
public enum Diagnostics {
    /// Writes one line to standard error.
    public static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes a warning line to standard error.
    public static func warning(_ text: String) {
        line("warning: \(text)")
    }
}
