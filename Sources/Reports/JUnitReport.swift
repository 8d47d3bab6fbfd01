import Foundation
import ReportModel

/// JUnit XML for GitLab's test report panel and Jenkins's `junit` step: one suite of gates,
/// one of validation, and the model tests by their own suites.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        var suites: [(name: String, cases: [Case])] = []
        if !report.gates.isEmpty {
            suites.append(("sluice.gates", report.gates.map { gate in
                switch gate.status {
                case .passed: return Case(name: gate.name, className: "gates.\(gate.kind)", outcome: nil, message: gate.detail)
                case .failed: return Case(name: gate.name, className: "gates.\(gate.kind)", outcome: "failure", message: gate.detail)
                case .notApplicable: return Case(name: gate.name, className: "gates.\(gate.kind)", outcome: "skipped", message: gate.detail)
                }
            }))
        }
        if let validation = report.validation {
            let detail = validation.errorsByType.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            suites.append(("sluice.validation", [Case(name: validation.file, className: "validation", outcome: validation.valid ? nil : "failure",
                                                      message: validation.valid ? "\(validation.rowCount) rows valid" : "\(validation.errorCount) errors (\(detail))")]))
        }
        let broken = report.stages.filter { $0.status == .error }
        if !broken.isEmpty {
            suites.append(("sluice.stages", broken.map { Case(name: $0.name, className: "stages", outcome: "error", message: [$0.message, $0.logTail].compactMap { $0 }.joined(separator: "\n")) }))
        }
        var bySuite: [String: [Case]] = [:]
        var order: [String] = []
        for test in report.tests {
            if bySuite[test.suite] == nil { order.append(test.suite) }
            let outcome: String? = test.status == .passed ? nil : test.status == .failed ? "failure" : test.status == .error ? "error" : "skipped"
            bySuite[test.suite, default: []].append(Case(name: test.name, className: test.suite, outcome: outcome, message: test.message ?? "", time: test.durationSeconds))
        }
        suites += order.map { ($0, bySuite[$0] ?? []) }

        let x = Escape.xml
        let all = suites.flatMap(\.cases)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"sluice\" tests=\"\(all.count)\" failures=\"\(all.filter { $0.outcome == "failure" }.count)\" errors=\"\(all.filter { $0.outcome == "error" }.count)\" skipped=\"\(all.filter { $0.outcome == "skipped" }.count)\">\n"
        for suite in suites {
            xml += "  <testsuite name=\"\(x(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(suite.cases.filter { $0.outcome == "failure" }.count)\" errors=\"\(suite.cases.filter { $0.outcome == "error" }.count)\" skipped=\"\(suite.cases.filter { $0.outcome == "skipped" }.count)\">\n"
            for testCase in suite.cases {
                let time = testCase.time.map { " time=\"\(String(format: "%.3f", $0))\"" } ?? ""
                xml += "    <testcase name=\"\(x(testCase.name))\" classname=\"\(x(testCase.className))\"\(time)"
                if let outcome = testCase.outcome {
                    let firstLine = testCase.message.split(separator: "\n").first.map(String.init) ?? ""
                    xml += ">\n      <\(outcome) message=\"\(x(firstLine))\">\(x(testCase.message))</\(outcome)>\n    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    struct Case {
        let name: String
        let className: String
        /// nil when passed; else the JUnit element: `failure`, `error`, `skipped`.
        let outcome: String?
        let message: String
        var time: Double? = nil
    }
}
