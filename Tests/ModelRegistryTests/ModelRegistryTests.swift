import Config
import Core
import Foundation
import HTTP
import MLflow
@testable import ModelRegistry
import ReportModel
import TestSupport
import XCTest

/// Logging, registration, the alias rule and the champion round trip against a real MLflow
/// server (ci/services/mlflow.sh), checked through the REST API as the MLflow UI shows them.
final class ModelRegistryTests: XCTestCase {
    func client() throws -> MLflowClient {
        let endpoint = try MLflowEndpoint(trackingURI: TestMLflow.uri())
        return MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint)))
    }

    static func report(status: Outcome.Status = .passed) -> RunReport {
        var report = RunReport(runId: "20261130-0102-abcd", createdAt: "2026-11-30T01:02:03Z", sluiceVersion: "0.9.0",
                               outcome: Outcome(status: status, summary: status == .passed ? "all gates passed" : "gate roc_auc failed"))
        report.lineage = Lineage(ciSystem: "gitlab", commit: "0123456789abcdef", branch: "main", mergeRequest: MergeRequestRef(number: 12, url: "https://gitlab.example.com/g/p/-/merge_requests/12"),
                                 pipelineURL: "https://gitlab.example.com/g/p/-/pipelines/99", jobName: "sluice",
                                 dataHashes: ["data/current.csv": "ab12"], parameters: ["l2": "0.1"])
        report.evaluation = EvaluationSummary(task: "binary", holdout: "data/holdout.csv", rowCount: 400, championAvailable: true, metrics: [
            MetricComparison(name: "roc_auc", higherIsBetter: true, candidate: 0.91, champion: 0.89, delta: 0.02, ciLow: 0.005, ciHigh: 0.035, verdict: .better),
            MetricComparison(name: "accuracy", higherIsBetter: true, candidate: 0.85, verdict: .notApplicable),
        ])
        report.image = ImageSummary(reference: "registry.example.com/churn:c0ffee", digest: "sha256:feed", pushed: true, layers: [])
        return report
    }

    /// A run's files as a run leaves them: `model/model.json` and `report.html`.
    static func writeRunFiles(in work: TemporaryDirectory, model: String) throws {
        try FileManager.default.createDirectory(atPath: work.path + "/model", withIntermediateDirectories: true)
        try Data(model.utf8).write(to: URL(fileURLWithPath: work.path + "/model/model.json"))
        try Data("<html>report</html>".utf8).write(to: URL(fileURLWithPath: work.path + "/report.html"))
    }

    func testRecordCarriesMetricsIntervalsAndLineage() {
        let record = TrackingRecord(report: Self.report(), configuration: ["train.builtin": "logistic_regression", "data.current": "data/current.csv"],
                                    extraTags: ["sluice.mode": "nightly"], timestamp: 1)
        let metrics = Dictionary(uniqueKeysWithValues: record.metrics.map { ($0.key, $0.value) })
        XCTAssertEqual(metrics, ["holdout.rows": 400, "candidate.roc_auc": 0.91, "champion.roc_auc": 0.89, "delta.roc_auc": 0.02,
                                 "delta.roc_auc.ci_low": 0.005, "delta.roc_auc.ci_high": 0.035, "candidate.accuracy": 0.85])
        let params = Dictionary(uniqueKeysWithValues: record.params.map { ($0.key, $0.value) })
        XCTAssertEqual(params["config.train.builtin"], "logistic_regression")
        XCTAssertEqual(params["data.data/current.csv.sha256"], "ab12")
        XCTAssertEqual(params["train.l2"], "0.1")
        let tags = Dictionary(uniqueKeysWithValues: record.tags.map { ($0.key, $0.value) })
        XCTAssertEqual(tags["mlflow.source.git.commit"], "0123456789abcdef")
        XCTAssertEqual(tags["sluice.verdict"], "passed")
        XCTAssertEqual(tags["sluice.image.digest"], "sha256:feed")
        XCTAssertEqual(tags["sluice.merge_request"], "12")
        XCTAssertEqual(tags["sluice.pipeline_url"], "https://gitlab.example.com/g/p/-/pipelines/99")
        XCTAssertEqual(tags["sluice.mode"], "nightly")
        XCTAssertEqual(TrackingRecord.key("data/a b,c#d.csv"), "data/a b_c_d.csv")
        XCTAssertEqual(TrackingRecord.clip(String(repeating: "x", count: 7000), 6000).count, 6000)
    }

    func testAliasRuleIsTheImageRule() {
        XCTAssertEqual(AliasRule.decide(.pipeline(promotes: true), passed: true, imagePromoted: true), .move)
        XCTAssertEqual(AliasRule.decide(.pipeline(promotes: true), passed: true, imagePromoted: nil), .move)
        XCTAssertNotEqual(AliasRule.decide(.pipeline(promotes: true), passed: true, imagePromoted: false), .move)
        XCTAssertNotEqual(AliasRule.decide(.pipeline(promotes: false), passed: true, imagePromoted: true), .move)
        XCTAssertNotEqual(AliasRule.decide(.pipeline(promotes: true), passed: false, imagePromoted: true), .move)
        XCTAssertEqual(AliasRule.decide(.command(moveAlias: true), passed: true, imagePromoted: nil), .move)
        XCTAssertEqual(AliasRule.decide(.command(moveAlias: true), passed: true, imagePromoted: false), .keep(because: "the image was not pushed and promoted"))
        XCTAssertEqual(AliasRule.decide(.command(moveAlias: false), passed: true, imagePromoted: true), .keep(because: "--move-alias was not given"))
    }

    func testSectionDefaultsAndChecks() throws {
        let section = try ConfigFile(yaml: "mlflow:\n  model: churn\n", path: "sluice.yml").decode(MLflowSection.self, at: "mlflow")
        XCTAssertEqual(section.alias, "champion")
        XCTAssertTrue(section.logRuns && section.register)
        XCTAssertThrowsError(try ConfigFile(yaml: "mlflow:\n  tracking_uri: ./mlruns\n", path: "sluice.yml").decode(MLflowSection.self, at: "mlflow")) { error in
            XCTAssertTrue("\(error)".contains("not an http:// or https:// URL"), "\(error)")
        }
        XCTAssertThrowsError(try ConfigFile(yaml: "mlflow:\n  alais: x\n", path: "sluice.yml").decode(MLflowSection.self, at: "mlflow"))
    }

    /// A nightly run logs, registers and moves the alias; the next run's champion is that
    /// version, with the metrics it was registered with.
    func testLoggedRunRegisteredVersionAndChampionRoundTrip() throws {
        let mlflow = try client()
        let experiment = TestMLflow.name("churn-experiment")
        let model = TestMLflow.name("churn")
        let champion = MLflowModelURI(model: model, selector: .alias("champion"))
        let work = try TemporaryDirectory()
        XCTAssertNil(try RegistryChampion.fetch(champion, client: mlflow, into: work.path + "/none"), "first run: no champion yet")

        try Self.writeRunFiles(in: work, model: #"{"weights": [1, 2]}"#)

        let tracker = RunTracker(client: mlflow)
        let run = try tracker.start(experiment: experiment, runName: "sluice 20261130-0102-abcd")
        XCTAssertTrue(run.url.hasSuffix("/#/experiments/\(run.experimentID)/runs/\(run.runID)"), run.url)
        let report = Self.report()
        try tracker.log(TrackingRecord(report: report, configuration: ["train.builtin": "logistic_regression"]), to: run)
        let uploaded = try tracker.upload([ArtifactUpload(work.path + "/report.html", as: "report.html"), ArtifactUpload(work.path + "/model", as: "model")], to: run)
        XCTAssertEqual(uploaded, ["report.html", "model/model.json"])
        try tracker.finish(run, status: .finished)

        let registration = ModelRegistration(client: mlflow)
        let version = try registration.register(model: model, run: run, modelPath: "model", modelUpload: ArtifactUpload(work.path + "/model", as: "model"), metrics: [],
                                                tags: [MLflowKeyValue("sluice.image.digest", "sha256:feed"), MLflowKeyValue("sluice.verdict", "passed")])
        XCTAssertEqual(version.version, "1")
        XCTAssertNil(try mlflow.modelVersion(model: model, alias: "champion"), "registered, not yet promoted")
        try registration.moveAlias(model: model, alias: "champion", to: version.version)

        // What the MLflow UI shows: the run, its metrics, tags and artifacts, the version and alias.
        let stored = try mlflow.run(id: run.runID)
        XCTAssertEqual(stored.info.status, .finished)
        XCTAssertEqual(stored.latestMetrics["delta.roc_auc.ci_low"], 0.005)
        XCTAssertEqual(stored.tag("mlflow.source.git.commit"), "0123456789abcdef")
        XCTAssertEqual(try mlflow.listArtifacts(run.artifactRoot).map(\.path).sorted(), ["model", "report.html"])
        let aliased = try XCTUnwrap(mlflow.modelVersion(model: model, alias: "champion"))
        XCTAssertEqual(aliased.version, "1")
        XCTAssertEqual(aliased.runID, run.runID)
        XCTAssertEqual(aliased.tag("sluice.image.digest"), "sha256:feed")

        let fetched = try XCTUnwrap(RegistryChampion.fetch(champion, client: mlflow, into: work.path + "/champion"))
        XCTAssertEqual(fetched.source, "models:/\(model)/1")
        XCTAssertEqual(fetched.files, ["model.json"])
        XCTAssertEqual(try String(contentsOfFile: work.path + "/champion/model.json"), #"{"weights": [1, 2]}"#)
        XCTAssertEqual(fetched.metricsAtTraining, ["roc_auc": 0.91, "accuracy": 0.85])
    }

    /// A 500 from the server in the middle of the model upload: a runtime error, and the
    /// files before it are on the server while the alias stays where it was.
    func testServerErrorDuringUploadLeavesTheAlias() throws {
        let real = try client()
        let model = TestMLflow.name("churn")
        _ = try real.createRegisteredModel(name: model)
        let experiment = try real.createExperiment(name: TestMLflow.name("faults"))
        let earlier = try real.createRun(experimentID: experiment, name: "earlier")
        let champion = try real.createModelVersion(model: model, source: earlier.info.artifactURI + "/model", runID: earlier.info.runID)
        try real.setAlias(model: model, alias: "champion", version: champion.version)

        let proxy = try FaultInjectingProxy(upstream: TestMLflow.uri()) { request in
            request.method == "PUT" && request.path.hasSuffix("/weights.bin") ? .json(#"{"error_code": "INTERNAL_ERROR", "message": "disk full"}"#, status: 500) : nil
        }
        let endpoint = try MLflowEndpoint(trackingURI: proxy.baseURL)
        var configuration = MLflowClient.httpConfiguration(for: endpoint)
        configuration.retry = RetryPolicy(attempts: 2, baseDelay: 0.01)
        let faulty = MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: configuration))
        let work = try TemporaryDirectory()
        try Self.writeRunFiles(in: work, model: "{}")
        try Data("w".utf8).write(to: URL(fileURLWithPath: work.path + "/model/weights.bin"))
        let tracker = RunTracker(client: faulty)
        let run = try tracker.start(experiment: TestMLflow.name("faults"), runName: "nightly")
        XCTAssertThrowsError(try tracker.upload([ArtifactUpload(work.path + "/model", as: "model")], to: run)) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .runtime)
            XCTAssertEqual("\(error)", "MLflow: upload artifact model/weights.bin failed (HTTP 500 INTERNAL_ERROR): disk full")
        }
        XCTAssertEqual(try real.listArtifacts(run.artifactRoot, path: "model").map(\.path), ["model/model.json"])
        XCTAssertEqual(try real.modelVersion(model: model, alias: "champion")?.version, champion.version)
    }

    func testSymbolicLinksAreNotUploaded() throws {
        let work = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: work.path + "/model", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work.path + "/model/secrets", withDestinationPath: "/etc")
        XCTAssertThrowsError(try RunTracker.files(ArtifactUpload(work.path + "/model", as: "model"))) { error in
            XCTAssertTrue("\(error)".contains("only regular files and directories"), "\(error)")
        }
    }
}
