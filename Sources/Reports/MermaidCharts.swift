import Foundation
import ReportModel

/// Charts as Mermaid code blocks, which GitLab and GitHub draw inside the comment itself,
/// so nothing is uploaded anywhere.
enum MermaidCharts {
    /// Candidate bars against a champion line for the metrics on a 0...1 scale (scores such
    /// as AUC, F1, accuracy); metrics on other scales would flatten the chart and are left out.
    static func metrics(_ evaluation: EvaluationSummary) -> String? {
        let scored = evaluation.metrics.filter { metric in
            [metric.candidate, metric.champion ?? 0].allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }
        }
        guard !scored.isEmpty else { return nil }
        let labels = scored.map { "\"\(Escape.mermaidLabel($0.name))\"" }.joined(separator: ", ")
        var lines = [
            "```mermaid",
            "xychart-beta",
            "    title \"Candidate (bars) vs champion (line)\"",
            "    x-axis [\(labels)]",
            "    y-axis \"score\" 0 --> 1",
            "    bar [\(scored.map { value($0.candidate) }.joined(separator: ", "))]",
        ]
        if evaluation.championAvailable, scored.allSatisfy({ $0.champion != nil }) {
            lines.append("    line [\(scored.map { value($0.champion ?? 0) }.joined(separator: ", "))]")
        }
        lines.append("```")
        return lines.joined(separator: "\n")
    }

    /// Each tested feature's drift score, where 1 is its threshold: statistic ÷ threshold for
    /// distances, log(p) ÷ log(threshold) for tests (p-values fall as drift grows). Methods
    /// differ in scale, and this puts them on one axis. Drifted features come first.
    static func drift(_ drift: DriftSummary, limit: Int = 25) -> String? {
        let scored = drift.features.compactMap { feature in score(feature).map { (feature, $0) } }
            .sorted { ($0.0.drifted ? 0 : 1, -$0.1) < ($1.0.drifted ? 0 : 1, -$1.1) }
            .prefix(limit)
        guard !scored.isEmpty else { return nil }
        return [
            "```mermaid",
            "xychart-beta horizontal",
            "    title \"Drift score per feature (1 = threshold)\"",
            "    x-axis [\(scored.map { "\"\(Escape.mermaidLabel($0.0.name))\"" }.joined(separator: ", "))]",
            "    bar [\(scored.map { value($0.1) }.joined(separator: ", "))]",
            "    line [\(scored.map { _ in "1" }.joined(separator: ", "))]",
            "```",
        ].joined(separator: "\n")
    }

    /// A drifted numeric feature's histogram: current as bars, reference as a line, over
    /// the bins the drift section chose (the reference's deciles), the bin edges labelled
    /// for people. Only `xychart-beta` syntax that Mermaid 10.5 and later read (GitLab ships
    /// 10.7).
    static func histogram(_ feature: FeatureDrift) -> String? {
        guard let distribution = feature.distribution, let edges = distribution.edges,
              edges.count == distribution.bins.count + 1, !distribution.bins.isEmpty else { return nil }
        let edgeLabels = Format.axisLabels(edges)
        let labels = distribution.bins.indices.map { "\"\(edgeLabels[$0])–\(edgeLabels[$0 + 1])\"" }
        let top = SVGCharts.niceScale(max(distribution.reference.max() ?? 0, distribution.current.max() ?? 0)).top * 100
        return [
            "```mermaid",
            "xychart-beta",
            "    title \"\(Escape.mermaidLabel(feature.name)): % of rows per bin\"",
            "    x-axis [\(labels.joined(separator: ", "))]",
            "    y-axis \"% of rows\" 0 --> \(String(format: "%g", top))",
            "    bar [\(distribution.current.map { String(format: "%.2f", $0 * 100) }.joined(separator: ", "))]",
            "    line [\(distribution.reference.map { String(format: "%.2f", $0 * 100) }.joined(separator: ", "))]",
            "```",
        ].joined(separator: "\n")
    }

    /// One metric over the target branch's last runs and this run, as a line. One chart per
    /// metric: Mermaid 10's `xychart-beta` draws no legend, so lines of several metrics
    /// could not be told apart. `runLabels` name the branch's runs, oldest first; the axis
    /// spans the values with a little room, so small moves show.
    static func trend(_ row: RunHistory.Row, branch: String, runLabels: [String]) -> String {
        let values = row.history + [row.current]
        let labels = (Array(runLabels.suffix(row.history.count)) + ["this run"]).map { "\"\(Escape.mermaidLabel($0))\"" }
        let low = values.min() ?? 0, high = values.max() ?? 1
        let room = high > low ? (high - low) * 0.15 : max(abs(high) * 0.05, 0.01)
        return [
            "```mermaid",
            "xychart-beta",
            "    title \"\(Escape.mermaidLabel(row.name)) over the last runs of \(Escape.mermaidLabel(branch)) and this run\"",
            "    x-axis [\(labels.joined(separator: ", "))]",
            "    y-axis \"\(Escape.mermaidLabel(row.name))\" \(bound(low - room)) --> \(bound(high + room))",
            "    line [\(values.map(value).joined(separator: ", "))]",
            "```",
        ].joined(separator: "\n")
    }

    static func score(_ feature: FeatureDrift) -> Double? {
        if let p = feature.pValue, feature.threshold > 0, feature.threshold < 1 {
            return log(max(p, 1e-300)) / log(feature.threshold)
        }
        guard let statistic = feature.statistic, statistic.isFinite, feature.threshold > 0 else { return nil }
        return statistic / feature.threshold
    }

    /// An axis bound in plain decimals (Mermaid's grammar reads no exponents).
    private static func bound(_ number: Double) -> String {
        let short = String(format: "%.4g", number)
        return short.contains("e") ? String(format: "%.6f", number) : short
    }

    private static func value(_ number: Double) -> String {
        String(format: "%.4f", number)
    }
}
