import Core
import ReportModel

/// The `--format text` report: a verdict line, counts by type and field, then the first
/// errors, one per line, readable in a CI log.
public enum ValidationText {
    /// How many detailed errors the text report lists; the JSON has all that were kept.
    public static let shownErrors = 50

    public static func render(_ summary: ValidationSummary, terminal: Terminal = Terminal()) -> String {
        var out = ""
        let against = summary.schema.map { " against \($0)" } ?? ""
        if summary.valid {
            out += terminal.style("✓ valid", .green) + ": \(summary.file): \(summary.rowCount) rows, \(summary.fields?.count ?? 0) fields checked\(against)\n"
            return out
        }
        let errors = summary.errorCount == 1 ? "1 error" : "\(summary.errorCount) errors"
        out += terminal.style("✗ invalid", .red) + ": \(summary.file): \(errors) in \(summary.rowCount) rows\(against)\n"
        out += "\nerrors by type:\n" + table(summary.errorsByType)
        if !summary.errorsByField.isEmpty { out += "\nerrors by field:\n" + table(summary.errorsByField) }
        let first = summary.firstErrors.prefix(shownErrors)
        out += "\nfirst \(first.count) errors:\n"
        for issue in first {
            var place = issue.row.map { "row \($0)" } ?? "header"
            if let file = issue.file {
                place += " (\(file)\(issue.line.map { " line \($0)" } ?? ""))"
            } else if let line = issue.line, let row = issue.row, line != row {
                place += " (line \(line))"
            }
            if issue.row == nil && issue.line == nil { place = "table" }
            let field = issue.field.map { " \($0):" } ?? ""
            out += "  \(place)\(field) \(terminal.style(issue.type, .bold)): \(issue.message)\n"
        }
        let unshown = summary.errorCount - first.count
        if unshown > 0 {
            let limitNote = summary.errorLimitReached == true ? " (details stop at --max-errors; counts above are complete)" : " (see --format json)"
            out += "  ... and \(unshown) more\(limitNote)\n"
        }
        return out
    }

    /// `name  count` lines, the largest first.
    static func table(_ counts: [String: Int]) -> String {
        let width = counts.keys.map(\.count).max() ?? 0
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "  \($0.key.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.value)\n" }
            .joined()
    }
}
