import Foundation
import MLflow
import ReportModel

/// What one `sluice run` logs to MLflow, built from the run report (plain data): params (the
/// resolved configuration, training parameters, data hashes), metrics (candidate, champion,
/// deltas and their bootstrap interval bounds as separate metrics) and tags (commit, branch,
/// merge request, pipeline, image digest, verdict), within MLflow's key and value limits.
public struct TrackingRecord: Equatable {
    public var params: [MLflowKeyValue]
    public var metrics: [MLflowMetric]
    public var tags: [MLflowKeyValue]

    /// The prefix of the candidate's metrics (`candidate.roc_auc`), which `TrackedHistory`
    /// reads back.
    public static let candidatePrefix = "candidate."
    /// The metric every run that evaluated a candidate logs (the holdout's row count).
    public static let evaluatedMetric = "holdout.rows"

    /// MLflow's limits on keys and values.
    public enum Limits {
        public static let keyLength = 250
        public static let paramValueLength = 6000
        public static let tagValueLength = 8000
    }

    /// The record of `report`; `configuration` is the resolved `sluice.yml` as flat
    /// `section.key` strings, `extraTags` what the CI adds (mode, job id).
    public init(report: RunReport, configuration: [String: String], extraTags: [String: String] = [:], timestamp: Int64 = MLflowClient.now()) {
        var params: [String: String] = [:]
        for (key, value) in configuration { params["config.\(key)"] = value }
        for (key, value) in report.lineage.parameters { params["train.\(key)"] = value }
        for (path, hash) in report.lineage.dataHashes { params["data.\(path).sha256"] = hash }
        params["sluice.version"] = report.sluiceVersion
        self.params = params.sorted { $0.key < $1.key }.map { MLflowKeyValue(Self.key($0.key), Self.clip($0.value, Limits.paramValueLength)) }

        var metrics: [(String, Double)] = []
        if let evaluation = report.evaluation {
            metrics.append((Self.evaluatedMetric, Double(evaluation.rowCount)))
            for metric in evaluation.metrics {
                metrics.append((Self.candidatePrefix + metric.name, metric.candidate))
                if let champion = metric.champion { metrics.append(("champion.\(metric.name)", champion)) }
                if let delta = metric.delta { metrics.append(("delta.\(metric.name)", delta)) }
                if let low = metric.ciLow { metrics.append(("delta.\(metric.name).ci_low", low)) }
                if let high = metric.ciHigh { metrics.append(("delta.\(metric.name).ci_high", high)) }
            }
        }
        if let validation = report.validation {
            metrics.append(("validation.rows", Double(validation.rowCount)))
            metrics.append(("validation.errors", Double(validation.errorCount)))
        }
        self.metrics = metrics.filter { $0.1.isFinite }.map { MLflowMetric(key: Self.key($0.0), value: $0.1, timestamp: timestamp) }

        var tags: [String: String] = extraTags
        tags["sluice.verdict"] = report.outcome.status.rawValue
        tags["sluice.run_id"] = report.runId
        tags["mlflow.note.content"] = report.outcome.summary
        tags["mlflow.source.type"] = "JOB"
        tags["mlflow.source.name"] = "sluice run"
        let lineage = report.lineage
        if let commit = lineage.commit { tags["mlflow.source.git.commit"] = commit }
        if let branch = lineage.branch { tags["mlflow.source.git.branch"] = branch }
        if let ci = lineage.ciSystem { tags["sluice.ci"] = ci }
        if let pipeline = lineage.pipelineURL { tags["sluice.pipeline_url"] = pipeline }
        if let job = lineage.jobName { tags["sluice.job"] = job }
        if let target = lineage.targetBranch { tags["sluice.target_branch"] = target }
        if let request = lineage.mergeRequest {
            tags["sluice.merge_request"] = String(request.number)
            if let url = request.url { tags["sluice.merge_request_url"] = url }
        }
        if let image = report.image {
            tags["sluice.image.digest"] = image.digest
            tags["sluice.image.reference"] = image.reference
        }
        self.tags = tags.sorted { $0.key < $1.key }.map { MLflowKeyValue(Self.key($0.key), Self.clip($0.value, Limits.tagValueLength)) }
    }

    /// A key MLflow accepts: letters, digits, `_ - . / :` and spaces, at most 250 characters.
    static func key(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./: ")
        return String(String(text.map { allowed.contains($0) ? $0 : "_" }).prefix(Limits.keyLength))
    }

    /// `text` cut to `limit` characters, saying so at its end.
    static func clip(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        let marker = " [cut at \(limit) characters]"
        return String(text.prefix(limit - marker.count)) + marker
    }
}
