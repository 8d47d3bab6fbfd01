import Foundation
import ReportModel

/// The data hygiene findings as plain-text rows (the Markdown and HTML reports escape
/// them their own way), so both say the same thing.
enum HygieneRows {
    /// A mark (✅, ⚠️ leak, ⚠️ overlap), what it is about (a column, the holdout), and why.
    typealias Row = (mark: String, subject: String, evidence: String)

    /// One line: "1 feature leaks 'churned'; 3 of 200 holdout rows are training rows".
    static func summary(_ hygiene: HygieneSummary) -> String {
        let leaks = hygiene.leakage.count
        var parts = [leaks == 0 ? "no feature leaks '\(hygiene.label)'" : "\(leaks) feature\(leaks == 1 ? "" : "s") leak\(leaks == 1 ? "s" : "") '\(hygiene.label)'"]
        if let overlap = hygiene.holdoutOverlap {
            parts.append(overlap.overlappingRows == 0 ? "no holdout row is a training row" : "\(overlap.overlappingRows) of \(overlap.holdoutRows) holdout rows are training rows")
        }
        return parts.joined(separator: "; ")
    }

    static func rows(_ hygiene: HygieneSummary) -> [Row] {
        var rows: [Row] = hygiene.leakage.map { (mark: "⚠️ leak", subject: $0.column, evidence: "\($0.kind.rawValue): \($0.evidence)") }
        if rows.isEmpty {
            rows.append((mark: "✅", subject: "features", evidence: "none of \(hygiene.columnsChecked) features gives '\(hygiene.label)' away on \(hygiene.trainingData)"))
        }
        if let overlap = hygiene.holdoutOverlap {
            var evidence = "\(overlap.overlappingRows) of \(overlap.holdoutRows) rows of \(hygiene.holdoutData ?? "the holdout") (\(Format.percent(overlap.fraction))) are rows of \(hygiene.trainingData), compared over \(overlap.columns.count) columns"
            if !overlap.examples.isEmpty {
                evidence += ": " + overlap.examples.map { "holdout line \($0.holdoutLine) = training line \($0.trainingLine)" }.joined(separator: ", ")
            }
            rows.append((mark: overlap.overlappingRows == 0 ? "✅" : "⚠️ overlap", subject: "holdout", evidence: evidence))
        }
        return rows
    }
}
