import Core
import ReportModel

/// The `--format junit` report for GitLab's and Jenkins's test panels: one test case per
/// schema field and one per table-level check, so a failing column shows by name.
public enum ValidationJUnit {
    /// The table-level test cases and the error kinds each covers.
    static let tableChecks: [(name: String, kinds: Set<String>)] = [
        ("header", ["blank-label", "duplicate-label", "missing-label", "extra-label", "incorrect-label", "unmatched-header"]),
        ("rows", ["blank-row", "extra-cell", "encoding-error", "source-error"]),
        ("primary key", ["primary-key"]),
        ("row count", ["table-dimensions"]),
    ]

    /// The report as a JUnit document (its `xml` is what CI reads).
    public static func document(_ summary: ValidationSummary) -> JUnitDocument {
        let suite = "validate \(summary.file)"
        var cases: [JUnitDocument.TestCase] = []
        for field in summary.fields ?? [] {
            let issues = summary.firstErrors.filter { $0.field == field }
            cases.append(testCase(suite, "field \(field)", count: summary.errorsByField[field] ?? 0, issues: issues))
        }
        for check in tableChecks {
            let count = check.kinds.reduce(0) { $0 + (summary.errorsByType[$1] ?? 0) }
            let issues = summary.firstErrors.filter { check.kinds.contains($0.type) }
            cases.append(testCase(suite, "table \(check.name)", count: count, issues: issues))
        }
        return JUnitDocument(name: "sluice validate", suites: [JUnitDocument.Suite(name: suite, cases: cases)])
    }

    private static func testCase(_ suite: String, _ name: String, count: Int, issues: [ValidationIssue]) -> JUnitDocument.TestCase {
        guard count > 0 else { return JUnitDocument.TestCase(classname: suite, name: name, outcome: .passed) }
        let kinds = Set(issues.map(\.type)).sorted().joined(separator: ", ")
        let message = "\(count) \(count == 1 ? "error" : "errors")" + (kinds.isEmpty ? "" : " (\(kinds))")
        var lines = issues.prefix(20).map { issue in
            "\(issue.row.map { "row \($0)" } ?? "table") \(issue.type): \(issue.message)"
        }
        if count > lines.count { lines.append("... and \(count - lines.count) more") }
        return JUnitDocument.TestCase(classname: suite, name: name, outcome: .failed(message: message), output: lines.joined(separator: "\n"))
    }
}
