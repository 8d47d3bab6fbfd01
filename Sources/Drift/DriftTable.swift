import Foundation
import ReportModel

/// Renders a drift summary as a text table for terminals and logs, or as Markdown for
/// merge-request comments and reports.
public enum DriftTable {
    /// A plain-text table with a verdict line first and notes after.
    public static func text(_ summary: DriftSummary, style: (String, Bool) -> String = { text, _ in text }) -> String {
        var lines = [verdict(summary)]
        let header = ["feature", "kind", "method", "statistic", "p-value", "threshold", "drifted", "missing ref → cur"]
        var rows = [header]
        for feature in summary.features { rows.append(cells(feature)) }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for (index, row) in rows.enumerated() {
            let padded = row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            let line = padded.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            lines.append(index == 0 ? line : style(line, summary.features[index - 1].drifted))
        }
        lines += notes(summary).map { "  \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown table with the verdict as a heading line.
    public static func markdown(_ summary: DriftSummary) -> String {
        var lines = ["**\(verdict(summary))**", "",
                     "| feature | kind | method | statistic | p-value | threshold | drifted | missing ref → cur |",
                     "|---|---|---|---:|---:|---:|---|---|"]
        for feature in summary.features {
            var row = cells(feature)
            row[0] = "`\(row[0].replacingOccurrences(of: "|", with: "\\|"))`"
            if feature.drifted { row[6] = "**yes**" }
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        let notes = notes(summary)
        if !notes.isEmpty { lines += [""] + notes.map { "- \($0)" } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The one-line answer.
    public static func verdict(_ summary: DriftSummary) -> String {
        let share = summary.totalFeatures > 0 ? Double(summary.driftedFeatures) / Double(summary.totalFeatures) : 0
        let counts = "\(summary.driftedFeatures) of \(summary.totalFeatures) features drifted, share \(format(share)) vs threshold \(format(summary.driftShareThreshold))"
        let sketches = summary.fromSketches ? "; some results from sketches" : ""
        return (summary.datasetDrift ? "Dataset drift detected: " : "No dataset drift: ") + counts + sketches
    }

    private static func cells(_ feature: FeatureDrift) -> [String] {
        [feature.name, feature.kind, feature.method.rawValue,
         feature.statistic.map(format) ?? "-", feature.pValue.map(format) ?? "-",
         feature.statistic == nil && feature.pValue == nil ? "-" : format(feature.threshold),
         feature.drifted ? "yes" : "no",
         "\(percent(feature.missingRateReference)) → \(percent(feature.missingRateCurrent))"]
    }

    private static func notes(_ summary: DriftSummary) -> [String] {
        summary.features.compactMap { feature in feature.note.map { "\(feature.name): \($0)" } }
    }

    static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) < 0.0001 || abs(value) >= 1e6 { return String(format: "%.3e", value) }
        return String(format: "%.4f", value)
    }

    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
