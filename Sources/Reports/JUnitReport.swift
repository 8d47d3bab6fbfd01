import Core
import Foundation
import ReportModel

/// JUnit XML for GitLab's test report panel and Jenkins's `junit` step: one suite of gates,
/// one of validation, broken stages, and the model tests by their own suites.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        document(report).xml
    }

    static func document(_ report: RunReport) -> JUnitDocument {
        var suites: [JUnitDocument.Suite] = []
        if !report.gates.isEmpty {
            suites.append(JUnitDocument.Suite(name: "sluice.gates", cases: report.gates.map { gate in
                let outcome: JUnitDocument.TestCase.Outcome
                switch gate.status {
                case .passed: outcome = .passed
                case .failed: outcome = .failed(message: gate.detail)
                case .notApplicable: outcome = .skipped(message: gate.detail)
                }
                return JUnitDocument.TestCase(classname: "gates.\(gate.kind.rawValue)", name: gate.name, outcome: outcome, output: gate.status == .passed ? gate.detail : nil)
            }))
        }
        if let validation = report.validation {
            let line = ValidationWording.text(validation)
            let outcome: JUnitDocument.TestCase.Outcome = validation.accepted ? .passed : .failed(message: "\(line) (\(ValidationWording.countsByType(validation)))")
            suites.append(JUnitDocument.Suite(name: "sluice.validation", cases: [
                JUnitDocument.TestCase(classname: "validation", name: validation.file, outcome: outcome, output: line),
            ]))
        }
        let broken = report.stages.filter { $0.status == .error }
        if !broken.isEmpty {
            suites.append(JUnitDocument.Suite(name: "sluice.stages", cases: broken.map { stage in
                JUnitDocument.TestCase(classname: "stages", name: stage.name.rawValue, seconds: stage.durationSeconds,
                                       outcome: .error(message: stage.message ?? "the stage broke"), output: stage.logTail)
            }))
        }
        var order: [String] = []
        var bySuite: [String: [JUnitDocument.TestCase]] = [:]
        for test in report.tests {
            if bySuite[test.suite] == nil { order.append(test.suite) }
            let message = test.message ?? ""
            let outcome: JUnitDocument.TestCase.Outcome
            switch test.status {
            case .passed: outcome = .passed
            case .failed: outcome = .failed(message: message)
            case .error: outcome = .error(message: message)
            case .skipped: outcome = .skipped(message: message)
            }
            bySuite[test.suite, default: []].append(JUnitDocument.TestCase(classname: test.suite, name: test.name, seconds: test.durationSeconds, outcome: outcome))
        }
        suites += order.map { JUnitDocument.Suite(name: $0, cases: bySuite[$0] ?? []) }
        return JUnitDocument(name: "sluice", suites: suites)
    }
}
