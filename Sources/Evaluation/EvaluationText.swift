import Core
import Foundation
import ReportModel

/// The evaluation as a plain-text table for a CI log.
public enum EvaluationText {
    public static func render(_ summary: EvaluationSummary) -> String {
        var lines = ["\(summary.task) evaluation on \(summary.holdout) (\(summary.rowCount) rows\(summary.unlabelledRows.map { "; \($0) without a label left out" } ?? "")), champion: \(summary.championAvailable ? "yes" : "none (first run)")"]
        var table = [["metric", "candidate", "champion", "delta", "interval", "verdict"]]
        for metric in summary.metrics {
            let interval = metric.ciLow.flatMap { low in metric.ciHigh.map { "[\(signed(low)), \(signed($0))]" } } ?? "-"
            table.append([metric.name, number(metric.candidate), metric.champion.map(number) ?? "-", metric.delta.map(signed) ?? "-", interval, metric.verdict.rawValue.replacingOccurrences(of: "_", with: " ")])
        }
        lines += align(table)
        if !summary.slices.isEmpty {
            lines.append("")
            let names = summary.metrics.map(\.name).filter { ["accuracy", "f1", "f1_macro", "roc_auc", "mae", "rmse", "r2"].contains($0) }
            var slices = [["slice", "rows"] + names]
            for slice in summary.slices {
                slices.append(["\(slice.column)=\(slice.value)", "\(slice.rowCount)"] + names.map { slice.metrics[$0].map(number) ?? "-" })
            }
            lines += align(slices)
        }
        if let matrix = summary.confusionMatrix {
            lines.append("")
            lines.append("confusion matrix (rows: actual, columns: predicted)")
            lines += align([[""] + matrix.labels] + zip(matrix.labels, matrix.counts).map { [$0] + $1.map(String.init) })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String { String(format: "%.4f", value) }
    static func signed(_ value: Double) -> String { String(format: "%+.4f", value) }

    /// Columns padded to their widest cell; the first column left-aligned, the rest right.
    static func align(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }
}

extension EvaluationText {
    /// One informational test case per metric: the values, never a failure (gates decide).
    public static func junit(_ summary: EvaluationSummary) -> JUnitDocument {
        let cases = summary.metrics.map { metric -> JUnitDocument.TestCase in
            var output = "\(metric.name) = \(number(metric.candidate))"
            if let champion = metric.champion, let delta = metric.delta {
                output += " (champion \(number(champion)), delta \(signed(delta))"
                if let low = metric.ciLow, let high = metric.ciHigh { output += ", interval [\(signed(low)), \(signed(high))]" }
                output += ", \(metric.verdict.rawValue))"
            }
            return JUnitDocument.TestCase(classname: "sluice.evaluate", name: metric.name, outcome: .passed, output: output)
        }
        return JUnitDocument(name: "sluice evaluate", suites: [.init(name: "evaluation on \(summary.holdout)", cases: cases)])
    }
}
