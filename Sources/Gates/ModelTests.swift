import Core
import Foundation
import ReportModel
import Tabular

/// Runs the `tests:` section: test commands (with their JUnit files) and behavioural checks.
public enum ModelTests {
    /// All test results. `predictor` is needed only for behavioural checks; `checkData` is
    /// the file their rows come from; `resolve` makes configured paths absolute; logs go
    /// to `logDirectory`.
    public static func run(_ section: TestsSection, predictor: Predictor?, checkData: String?, resolve: (String) -> String, logDirectory: String) throws -> [TestCaseResult] {
        var results: [TestCaseResult] = []
        for command in section.commands ?? [] {
            results += try runCommand(command, resolve: resolve, logDirectory: logDirectory)
        }
        let checks = section.checks ?? []
        if !checks.isEmpty {
            guard let predictor else {
                throw Failure.usage("tests.checks need a model: pass --model (a built-in model file) or configure train.predict")
            }
            // Each check perturbs the first `rows` rows (100 unless set): only that many are read.
            let sampled = checks.filter { [.invariance, .directional, .latency].contains($0.kind) }.map { $0.rows ?? 100 }
            let rows = try sampled.max().map { try readRows(checkData.map(resolve), limit: max($0, 1)) } ?? []
            for (index, check) in checks.enumerated() {
                results.append(try BehaviouralChecks.run(check, index: index, predictor: predictor, rows: rows))
            }
        }
        return results
    }

    static func runCommand(_ command: TestsSection.Command, resolve: (String) -> String, logDirectory: String) throws -> [TestCaseResult] {
        let program = try command.command.command(shell: command.shell ?? false, key: "tests.commands '\(command.name)'")
        let junit = command.junit.map(resolve)
        if let junit { try? FileManager.default.removeItem(atPath: junit) }
        let safeName = command.name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        let log = (logDirectory as NSString).appendingPathComponent("test-\(String(safeName)).log")
        let outcome = try ChildProcess.run(program, directory: command.workingDirectory.map(resolve), timeout: command.timeout?.seconds, prefix: "test \(command.name) | ", logPath: log)
        let status: TestCaseResult.Status = outcome.succeeded ? .passed : .failed
        let message = outcome.succeeded ? nil : (outcome.timedOut ? "timed out" : "exit status \(outcome.status)") + "; last lines:\n\(outcome.tail)"
        var results = [TestCaseResult(suite: command.name, name: "\(command.name) command", status: status, durationSeconds: outcome.seconds, message: message)]
        if let junit {
            let read = JUnitReader.read(junit, fallbackSuite: command.name)
            results += read.cases
            if let problem = read.problem {
                results.append(TestCaseResult(suite: command.name, name: "\(command.name) JUnit report", status: .error, message: problem))
            }
        }
        return results
    }

    /// The first `limit` rows of `path` as column → text, for checks that perturb real inputs.
    static func readRows(_ path: String?, limit: Int) throws -> [[String: String]] {
        guard let path else {
            throw Failure.usage("tests.checks need rows: set tests.data (or evaluate.holdout), or pass --data")
        }
        return try TableReader.firstRows(path, count: limit)
    }
}
