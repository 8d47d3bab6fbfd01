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

    public static func render(_ summary: ValidationSummary) -> String {
        var cases: [String] = []
        var failures = 0
        let suite = "validate \(summary.file)"
        for field in summary.fields ?? [] {
            let count = summary.errorsByField[field] ?? 0
            let issues = summary.firstErrors.filter { $0.field == field }
            cases.append(testCase(suite: suite, name: "field \(field)", count: count, issues: issues))
            if count > 0 { failures += 1 }
        }
        for check in tableChecks {
            let count = check.kinds.reduce(0) { $0 + (summary.errorsByType[$1] ?? 0) }
            let issues = summary.firstErrors.filter { check.kinds.contains($0.type) }
            cases.append(testCase(suite: suite, name: "table \(check.name)", count: count, issues: issues))
            if count > 0 { failures += 1 }
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="sluice validate" tests="\(cases.count)" failures="\(failures)">
          <testsuite name="\(escape(suite))" tests="\(cases.count)" failures="\(failures)">
        \(cases.joined())  </testsuite>
        </testsuites>

        """
    }

    private static func testCase(suite: String, name: String, count: Int, issues: [ValidationIssue]) -> String {
        let head = "    <testcase classname=\"\(escape(suite))\" name=\"\(escape(name))\""
        guard count > 0 else { return head + "/>\n" }
        let kinds = Dictionary(grouping: issues, by: \.type).keys.sorted().joined(separator: ", ")
        let message = "\(count) \(count == 1 ? "error" : "errors")" + (kinds.isEmpty ? "" : " (\(kinds))")
        var body = issues.prefix(20).map { issue in
            "\(issue.row.map { "row \($0)" } ?? "table") \(issue.type): \(issue.message)"
        }
        if count > body.count { body.append("... and \(count - body.count) more") }
        return head + ">\n      <failure type=\"\(escape(kinds.isEmpty ? "validation" : kinds))\" message=\"\(escape(message))\">\(escape(body.joined(separator: "\n")))</failure>\n    </testcase>\n"
    }

    /// Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { out += "?" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
