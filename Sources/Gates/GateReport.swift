import Core
import Foundation
import ReportModel

/// What `sluice gate` reports: every gate and test, and whether the candidate passes.
/// The JSON shape is documented in docs/commands/gate.md.
public struct GateReport: Codable, Equatable, Sendable {
    /// The verdict on a candidate.
    public enum Verdict: String, Codable, Sendable { case passed, failed }

    /// `failed` when a gate failed or a model test failed or broke (a failing test says no
    /// even when no `tests:` gate weighs it), else `passed`. The one place a candidate's
    /// verdict is decided, for `sluice gate` and `sluice run`.
    public var outcome: Verdict
    public var gates: [GateResult]
    public var tests: [TestCaseResult]

    public init(gates: [GateResult], tests: [TestCaseResult]) {
        self.gates = gates
        self.tests = tests
        let failed = gates.contains { $0.status == .failed } || tests.contains { $0.status == .failed || $0.status == .error }
        self.outcome = failed ? .failed : .passed
    }

    public var passed: Bool { outcome == .passed }

    /// A table for the CI log: status, gate, and the values that decided it.
    public var text: String {
        var lines = ["gates: \(outcome.rawValue) (\(gates.filter { $0.status == .passed }.count) passed, \(gates.filter { $0.status == .failed }.count) failed, \(gates.filter { $0.status == .notApplicable }.count) not applicable)"]
        if !gates.isEmpty {
            let width = max(4, gates.map(\.name.count).max() ?? 0)
            func row(_ status: String, _ name: String, _ detail: String) -> String {
                status.padding(toLength: 6, withPad: " ", startingAt: 0) + name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + detail
            }
            lines.append(row("", "gate", "decided by"))
            for gate in gates {
                lines.append(row(gate.status == .passed ? "PASS" : gate.status == .failed ? "FAIL" : "N/A", gate.name, gate.detail))
            }
        }
        if !tests.isEmpty {
            lines.append("tests: \(tests.filter { $0.status == .passed }.count) of \(tests.count) passed")
            for test in tests where test.status != .passed {
                lines.append("  \(test.status.rawValue.uppercased())  \(test.suite)/\(test.name)\(test.message.map { ": \($0.split(separator: "\n").first ?? "")" } ?? "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JUnit test case per gate (suite `gates`) and per test (its own suite).
    public var junit: JUnitDocument {
        let gateCases = gates.map { gate in
            JUnitDocument.TestCase(classname: "sluice.gates", name: gate.name, outcome: gate.status == .passed ? .passed : gate.status == .failed ? .failed(message: gate.detail) : .skipped(message: gate.detail), output: gate.detail)
        }
        var suites = [JUnitDocument.Suite(name: "gates", cases: gateCases)]
        var order: [String] = []
        var bySuite: [String: [JUnitDocument.TestCase]] = [:]
        for test in tests {
            if bySuite[test.suite] == nil { order.append(test.suite) }
            let outcome: JUnitDocument.TestCase.Outcome
            switch test.status {
            case .passed: outcome = .passed
            case .failed: outcome = .failed(message: test.message ?? "failed")
            case .error: outcome = .error(message: test.message ?? "error")
            case .skipped: outcome = .skipped(message: test.message ?? "skipped")
            }
            bySuite[test.suite, default: []].append(.init(classname: "sluice.tests.\(test.suite)", name: test.name, seconds: test.durationSeconds, outcome: outcome))
        }
        suites += order.map { JUnitDocument.Suite(name: $0, cases: bySuite[$0]!) }
        return JUnitDocument(name: "sluice gate", suites: suites)
    }
}
