import Foundation
import ReportModel

/// The target branch's history as a report carries it: each run's `trend` holds the points
/// before it, so the branch's last `run.json` (from the forge's artifacts or the CI cache)
/// is enough to rebuild the last N runs.
public enum RunHistory {
    /// How many earlier runs a report keeps.
    public static let limit = 10

    /// This run as a point of history; nil when it measured no metrics (a run that did not
    /// train).
    public static func point(_ report: RunReport) -> TrendPoint? {
        guard let evaluation = report.evaluation, !evaluation.metrics.isEmpty else { return nil }
        return TrendPoint(runId: report.runId, createdAt: report.createdAt, commit: report.lineage.commit,
                          metrics: Dictionary(evaluation.metrics.map { ($0.name, $0.candidate) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The points up to and including `report`, the last `limit` of them.
    public static func points(through report: RunReport) -> [TrendPoint] {
        let earlier = report.trend?.points ?? []
        guard let own = point(report), !earlier.contains(where: { $0.runId == own.runId }) else { return Array(earlier.suffix(limit)) }
        return Array((earlier + [own]).suffix(limit))
    }

    /// The trend a new run shows, given the branch's last report.
    public static func trend(after last: RunReport, branch: String, source: Trend.Source, origin: String) -> Trend {
        let points = points(through: last)
        return Trend(branch: branch, source: source, origin: origin, points: points,
                     missing: points.isEmpty ? "the last run of \(branch) (\(origin)) measured no metrics" : nil)
    }

    /// A row of the comparison with the branch's last run, for each metric the gates
    /// judged (else the headline ones) that both runs measured.
    struct Row {
        let name: String
        let higherIsBetter: Bool
        /// Oldest first, the branch's last run last.
        let history: [Double]
        let current: Double
        var last: Double { history[history.count - 1] }
        var change: Double { current - last }
    }

    static func rows(_ report: RunReport) -> [Row] {
        guard let trend = report.trend, let evaluation = report.evaluation, let last = trend.points.last else { return [] }
        let gated = Set(report.gates.compactMap(\.metric))
        let chosen = gated.isEmpty ? Array(evaluation.metrics.prefix(3)) : evaluation.metrics.filter { gated.contains($0.name) }
        return chosen.compactMap { metric in
            guard last.metrics[metric.name] != nil else { return nil }
            return Row(name: metric.name, higherIsBetter: metric.higherIsBetter,
                       history: trend.points.compactMap { $0.metrics[metric.name] }, current: metric.candidate)
        }
    }

    /// Names for the branch's runs on a chart's axis, oldest first: their short commits when
    /// those tell them apart (nightly runs often share a commit), else their numbers.
    static func runLabels(_ trend: Trend) -> [String] {
        let commits = trend.points.compactMap { Format.shortCommit($0.commit) }
        if commits.count == trend.points.count, Set(commits).count == commits.count { return commits }
        return trend.points.indices.map { "run \($0 + 1)" }
    }

    /// Values as a line of block characters scaled between their minimum and maximum, so a
    /// comment shows the shape without a chart: "▂▃▅▇█".
    static func sparkline(_ values: [Double]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        guard let low = values.min(), let high = values.max() else { return "" }
        return String(values.map { value in
            high > low ? blocks[min(blocks.count - 1, Int((value - low) / (high - low) * Double(blocks.count - 1) + 0.5))] : blocks[3]
        })
    }
}
