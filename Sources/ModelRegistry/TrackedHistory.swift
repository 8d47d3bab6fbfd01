import Foundation
import MLflow
import ReportModel

/// A branch's earlier runs as Sluice logged them to MLflow (`TrackingRecord`), for the
/// report's trend: the latest finished runs on the branch that were not merge requests,
/// with the candidate's metrics. Never throws: what cannot be found or read comes back as
/// a plain reason, so the report can try its next source.
public struct TrackedHistory {
    /// The points, oldest first, or why there are none.
    public enum Lookup: Equatable {
        case found([TrendPoint])
        case missing(String)
    }

    public let client: MLflowClient

    public init(client: MLflowClient) {
        self.client = client
    }

    /// The last `limit` finished runs of `branch` in `experiment` that measured metrics.
    /// Searched by what `TrackingRecord` writes: the tag `mlflow.source.git.branch` equal to
    /// the branch, `sluice.mode` not `mr`, and the metric `holdout.rows` (every evaluated
    /// run has it), newest first by start time.
    public func points(experiment: String, branch: String, limit: Int) -> Lookup {
        let place = "MLflow experiment '\(experiment)' at \(client.endpoint.displayURI)"
        guard let onBranch = MLflowSearchFilter.tag("mlflow.source.git.branch", branch),
              let notMergeRequest = MLflowSearchFilter.tag("sluice.mode", "mr", equal: false) else {
            return .missing("the branch name \(branch) cannot be written in an MLflow search")
        }
        do {
            guard let found = try client.experiment(named: experiment), found.lifecycleStage != "deleted" else {
                return .missing("no \(place)")
            }
            // Only runs that evaluated a candidate, so the limit counts points, not runs.
            let evaluated = MLflowSearchFilter.metric(TrackingRecord.evaluatedMetric, atLeast: 0)
            let filter = [onBranch, notMergeRequest, MLflowSearchFilter.status(.finished), evaluated].joined(separator: " AND ")
            let page = try client.searchRuns(experimentIDs: [found.experimentID], filter: filter, orderBy: ["attributes.start_time DESC"], maxResults: limit)
            let points = page.runs.compactMap(Self.point).reversed()
            guard !points.isEmpty else { return .missing("no finished run of \(branch) with metrics in the \(place)") }
            return .found(Array(points))
        } catch {
            return .missing("the runs of \(branch) could not be read from the \(place): \(error)")
        }
    }

    /// A logged run as a point of the trend; nil when it logged no candidate metrics (a run
    /// that did not train).
    static func point(_ run: MLflowRun) -> TrendPoint? {
        let prefix = TrackingRecord.candidatePrefix
        let metrics = run.latestMetrics.filter { $0.key.hasPrefix(prefix) }
        guard !metrics.isEmpty else { return nil }
        let started = run.info.startTime.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0) / 1000)) }
        return TrendPoint(runId: run.tag("sluice.run_id") ?? run.info.runID, createdAt: started ?? "",
                          commit: run.tag("mlflow.source.git.commit"),
                          metrics: Dictionary(uniqueKeysWithValues: metrics.map { (String($0.key.dropFirst(prefix.count)), $0.value) }))
    }
}
