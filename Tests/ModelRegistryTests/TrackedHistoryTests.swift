import Foundation
import HTTP
import MLflow
@testable import ModelRegistry
import ReportModel
import TestSupport
import XCTest

/// The trend's MLflow source against the real server: runs logged the way `sluice run` logs
/// them (RunTracker + TrackingRecord) come back as the branch's history, oldest first, and
/// only the runs that belong to it.
final class TrackedHistoryTests: XCTestCase {
    func client() throws -> MLflowClient {
        let endpoint = try MLflowEndpoint(trackingURI: TestMLflow.uri())
        return MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint)))
    }

    /// Logs one run as `sluice run` does and leaves it in `status`.
    func logRun(_ tracker: RunTracker, experiment: String, runId: String, branch: String, mode: String, auc: Double?, status: MLflowRunStatus) throws {
        var report = ModelRegistryTests.report()
        report.runId = runId
        report.lineage.branch = branch
        report.lineage.commit = "commit-\(runId)"
        if let auc {
            report.evaluation?.metrics[0].candidate = auc
        } else {
            report.evaluation = nil
        }
        let run = try tracker.start(experiment: experiment, runName: "sluice \(runId)")
        try tracker.log(TrackingRecord(report: report, configuration: [:], extraTags: ["sluice.mode": mode]), to: run)
        if status != .running { try tracker.finish(run, status: status) }
    }

    func testBranchRunsComeBackOldestFirstWithoutMergeRequestsOrOtherBranches() throws {
        let mlflow = try client()
        let tracker = RunTracker(client: mlflow)
        let experiment = TestMLflow.name("trend")
        // Three nightly runs of main, logged in this order, so their start times increase.
        try logRun(tracker, experiment: experiment, runId: "n1", branch: "main", mode: "nightly", auc: 0.70, status: .finished)
        try logRun(tracker, experiment: experiment, runId: "mr", branch: "main", mode: "mr", auc: 0.99, status: .finished)
        try logRun(tracker, experiment: experiment, runId: "n2", branch: "main", mode: "nightly", auc: 0.72, status: .finished)
        try logRun(tracker, experiment: experiment, runId: "feature", branch: "feature/x", mode: "push", auc: 0.50, status: .finished)
        try logRun(tracker, experiment: experiment, runId: "broken", branch: "main", mode: "nightly", auc: 0.10, status: .failed)
        try logRun(tracker, experiment: experiment, runId: "untrained", branch: "main", mode: "nightly", auc: nil, status: .finished)
        try logRun(tracker, experiment: experiment, runId: "n3", branch: "main", mode: "push", auc: 0.74, status: .finished)
        try logRun(tracker, experiment: experiment, runId: "now", branch: "main", mode: "nightly", auc: 0.80, status: .running)

        let history = TrackedHistory(client: mlflow)
        guard case .found(let points) = history.points(experiment: experiment, branch: "main", limit: 10) else {
            return XCTFail("main has finished runs with metrics")
        }
        XCTAssertEqual(points.map(\.runId), ["n1", "n2", "n3"], "main's finished runs, not the merge request's, another branch's, a broken, an untrained or a running one")
        XCTAssertEqual(points.map { $0.metrics["roc_auc"] }, [0.70, 0.72, 0.74])
        XCTAssertEqual(points.last?.metrics["accuracy"], 0.85)
        XCTAssertEqual(points.last?.commit, "commit-n3")
        XCTAssertEqual(points.map(\.createdAt), points.map(\.createdAt).sorted(), "start times, oldest first")
        XCTAssertTrue(points.allSatisfy { ISO8601DateFormatter().date(from: $0.createdAt) != nil })

        guard case .found(let lastTwo) = history.points(experiment: experiment, branch: "main", limit: 2) else { return XCTFail() }
        XCTAssertEqual(lastTwo.map(\.runId), ["n2", "n3"], "the limit keeps the newest runs")

        XCTAssertEqual(history.points(experiment: experiment, branch: "release's \"x\"", limit: 10),
                       .missing("the branch name release's \"x\" cannot be written in an MLflow search"))
        guard case .missing(let none) = history.points(experiment: experiment, branch: "it's-new", limit: 10) else { return XCTFail() }
        XCTAssertTrue(none.hasPrefix("no finished run of it's-new with metrics in the MLflow experiment '\(experiment)'"), none)
        guard case .missing(let noExperiment) = history.points(experiment: TestMLflow.name("absent"), branch: "main", limit: 10) else { return XCTFail() }
        XCTAssertTrue(noExperiment.hasPrefix("no MLflow experiment 'absent-"), noExperiment)
    }

    func testUnreachableServerIsAReasonNotAnError() throws {
        let endpoint = try MLflowEndpoint(trackingURI: "http://127.0.0.1:1")
        let mlflow = MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint)))
        guard case .missing(let reason) = TrackedHistory(client: mlflow).points(experiment: "churn", branch: "main", limit: 10) else { return XCTFail() }
        XCTAssertTrue(reason.contains("cannot reach the MLflow server at http://127.0.0.1:1"), reason)
    }
}
