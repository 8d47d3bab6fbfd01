import ArgumentParser
import Core
import Foundation

/// The `sluice` command: each stage of the continuous-training loop is a subcommand.
struct Sluice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Close the continuous-training loop of a model from one CI step.",
        discussion: """
        Exit codes: 0 all good; 1 a verdict said no (invalid data, drift with --fail-on-drift, \
        a failed gate); 2 usage or configuration error; 3 runtime or infrastructure error.
        """,
        version: SluiceVersion.current,
        subcommands: [ValidateCommand.self, SchemaCommand.self, ProfileCommand.self, DriftCommand.self, TrainCommand.self, PredictCommand.self,
                      EvaluateCommand.self, GateCommand.self, ReportCommand.self, PackageCommand.self, PromoteCommand.self, PullModelCommand.self,
                      RunCommand.self, RegisterCommand.self, ServeCommand.self, SmokeCommand.self, ConfigCommand.self, InitCommand.self]
    )
}

/// A subcommand that reports its outcome as an exit status instead of throwing for a "no".
protocol SluiceCommand: ParsableCommand {
    /// Does the work and returns the exit status; throws `SluiceError`s for failures.
    func execute() throws -> ExitStatus
}

extension SluiceCommand {
    mutating func run() throws {
        let status = try execute()
        if status != .success { throw ExitCode(status.rawValue) }
    }
}

/// The version printed by `sluice --version` and recorded in reports.
enum SluiceVersion {
    static let current = SluiceBuild.version
}

@main
enum Main {
    static func main() {
        MemoryPolicy.apply()
        var command: ParsableCommand
        do {
            command = try Sluice.parseAsRoot()
        } catch {
            exitForParserError(error)
        }
        do {
            try command.run()
            exit(0)
        } catch let error as SluiceError {
            Diagnostics.line("error: \(error.description)")
            exit(error.exitStatus.rawValue)
        } catch let error as ExitCode {
            exit(error.rawValue)
        } catch let error as ValidationError {
            Diagnostics.line("error: \(error.message)")
            exit(ExitStatus.usage.rawValue)
        } catch where isParserError(error) {
            // Help requests surface from run() too.
            exitForParserError(error)
        } catch {
            // `--help` on a subcommand arrives here as the parser's own error, meaning success.
            if Sluice.exitCode(for: error) == .success {
                print(Sluice.fullMessage(for: error))
                exit(0)
            }
            Diagnostics.line("error: \(error.localizedDescription)")
            exit(ExitStatus.runtime.rawValue)
        }
    }

    /// Help and --version are "errors" to the parser but exit 0 on stdout; anything else
    /// the parser says is a usage error (exit 2) on stderr.
    static func exitForParserError(_ error: Error) -> Never {
        let message = Sluice.fullMessage(for: error)
        if Sluice.exitCode(for: error) == .success {
            print(message)
            exit(0)
        }
        Diagnostics.line(message)
        exit(ExitStatus.usage.rawValue)
    }

    /// Whether `error` comes from the argument parser (help, version, bad usage).
    static func isParserError(_ error: Error) -> Bool {
        error is CleanExit || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
