import ReportModel

/// How a validation result reads, the same in the comment, the HTML, JUnit and the run's
/// log: rows set aside within the allowance are said neutrally; `❌` only when the data
/// stopped the run.
public enum ValidationWording {
    /// The result with its mark, e.g. "✅ 2,995 of 3,000 rows valid; 5 rows set aside (0.17%,
    /// within the 1% allowed)" or "❌ 6 errors in 3,000 rows".
    public static func line(_ validation: ValidationSummary) -> String {
        "\(validation.accepted ? "✅" : "❌") \(text(validation))"
    }

    /// The result without a mark, for places that show the outcome on their own (the log).
    public static func text(_ validation: ValidationSummary) -> String {
        if validation.valid { return "\(Format.count(validation.rowCount)) rows valid" }
        let place = validation.setAside?.file.map { " in \($0)" } ?? ""
        if let aside = validation.setAside, (validation.tableErrorCount ?? 0) == 0 {
            let share = "\(Format.share(aside.fraction)), \(aside.withinAllowance ? "within" : "more than") the \(Format.share(aside.allowedFraction)) allowed"
            if aside.withinAllowance {
                return "\(Format.count(aside.totalRows - aside.rows)) of \(Format.count(aside.totalRows)) rows valid; "
                    + "\(Format.count(aside.rows)) \(aside.rows == 1 ? "row" : "rows") set aside\(place) (\(share))"
            }
            return "\(Format.count(aside.rows)) of \(Format.count(aside.totalRows)) rows invalid (\(share))"
        }
        let table = (validation.tableErrorCount ?? 0) > 0 ? " (the table itself is invalid)" : ""
        return "\(Format.count(validation.errorCount)) \(validation.errorCount == 1 ? "error" : "errors") in \(Format.count(validation.rowCount)) rows\(table)"
    }

    /// The error counts by type, most first: "5 type-error, 1 constraint-error".
    public static func countsByType(_ validation: ValidationSummary) -> String {
        validation.errorsByType.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}
