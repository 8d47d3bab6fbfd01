import Core
import Foundation
import HTTP
import MLflow
@testable import ModelRegistry
import ReportModel
import TestSupport
import XCTest

/// The same round trip against a fake that follows GitLab's documented MLflow subset
/// strictly: no aliases, flat artifact names, versions with their own runs.
final class GitLabRegistryTests: XCTestCase {
    func client(_ gitlab: FakeGitLabMLflow, token: String = "glpat-ml") throws -> MLflowClient {
        let endpoint = try XCTUnwrap(MLflowEndpoint.fromEnvironment(["MLFLOW_TRACKING_URI": gitlab.trackingURI, "MLFLOW_TRACKING_TOKEN": token]))
        var configuration = MLflowClient.httpConfiguration(for: endpoint)
        configuration.retry = RetryPolicy(attempts: 2, baseDelay: 0.01)
        return MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: configuration))
    }

    func testRunVersionAndLatestVersionAsChampion() throws {
        let gitlab = try FakeGitLabMLflow()
        let mlflow = try client(gitlab)
        XCTAssertEqual(RegistryServer.of(mlflow.endpoint), .gitlab)
        let champion = MLflowModelURI(model: "churn", selector: .alias("champion"))
        let work = try TemporaryDirectory()
        XCTAssertNil(try RegistryChampion.fetch(champion, client: mlflow, into: work.path + "/none"), "first run: no model yet")

        try ModelRegistryTests.writeRunFiles(in: work, model: #"{"weights": [3]}"#)

        let tracker = RunTracker(client: mlflow)
        let run = try tracker.start(experiment: "churn-ct", runName: "sluice nightly")
        let record = TrackingRecord(report: ModelRegistryTests.report(), configuration: [:])
        try tracker.log(record, to: run)
        XCTAssertEqual(try tracker.upload([ArtifactUpload(work.path + "/report.html", as: "report.html"), ArtifactUpload(work.path + "/model", as: "model")], to: run),
                       ["report.html", "model.json"], "GitLab keeps flat file names")
        try tracker.finish(run, status: .finished)

        let version = try ModelRegistration(client: mlflow).register(model: "churn", run: run, modelPath: "model", modelUpload: ArtifactUpload(work.path + "/model", as: "model"),
                                                                     metrics: record.metrics, tags: [MLflowKeyValue("sluice.image.digest", "sha256:feed")])
        XCTAssertEqual(version.aliases, ["1.0.0"])
        XCTAssertThrowsError(try ModelRegistration(client: mlflow).moveAlias(model: "churn", alias: "champion", to: version.version))

        // What GitLab's UI shows: the run with its metrics, the version with its files and tags.
        let logged = try XCTUnwrap(gitlab.runs.first { $0.iid == Int(run.runID) })
        XCTAssertEqual(logged.status, "FINISHED")
        XCTAssertEqual(logged.metrics["delta.roc_auc.ci_high"], 0.035)
        XCTAssertEqual(gitlab.files(ofRun: logged.iid).keys.sorted(), ["model.json", "report.html"])
        let stored = try XCTUnwrap(gitlab.versions("churn").first)
        XCTAssertEqual(stored.tags["sluice.image.digest"], "sha256:feed")
        XCTAssertEqual(gitlab.files(ofRun: stored.runIID).keys.sorted(), ["model.json"])

        let fetched = try XCTUnwrap(RegistryChampion.fetch(champion, client: mlflow, into: work.path + "/champion"))
        XCTAssertEqual(fetched.version, version.version)
        XCTAssertEqual(fetched.files, ["model.json"])
        XCTAssertEqual(try String(contentsOfFile: work.path + "/champion/model.json"), #"{"weights": [3]}"#)
        XCTAssertEqual(fetched.metricsAtTraining?["roc_auc"], 0.91)
    }

    func testWhatGitLabLacksIsRefusedClearly() throws {
        let gitlab = try FakeGitLabMLflow()
        let mlflow = try client(gitlab)
        _ = try mlflow.createRegisteredModel(name: "churn")
        let version = try mlflow.createModelVersion(model: "churn", source: "ignored", runID: nil)
        XCTAssertThrowsError(try mlflow.setAlias(model: "churn", alias: "champion", version: version.version)) { error in
            XCTAssertEqual((error as? MLflowError)?.status, 404)
            XCTAssertFalse((error as? MLflowError)?.isNotFound ?? true, "a missing endpoint is not a missing resource")
        }
        XCTAssertThrowsError(try mlflow.setModelVersionTag(model: "churn", version: version.version, key: "k", value: "v"))

        let work = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: work.path + "/model/deep", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: work.path + "/model/deep/weights.bin"))
        let tracker = RunTracker(client: mlflow)
        let run = try tracker.start(experiment: "e", runName: "r")
        XCTAssertThrowsError(try tracker.upload([ArtifactUpload(work.path + "/model", as: "model")], to: run)) { error in
            XCTAssertTrue("\(error)".contains("flat file names"), "\(error)")
        }
        XCTAssertThrowsError(try client(gitlab, token: "wrong").experiment(named: "e")) { XCTAssertEqual(($0 as? MLflowError)?.status, 401) }
    }

    func testACIJobAuthenticatesWithItsJobToken() throws {
        let gitlab = try FakeGitLabMLflow()
        var section = MLflowSection()
        section.trackingURI = gitlab.trackingURI
        let mlflow = try XCTUnwrap(MLflowConnection.client(section, environment: ["CI_JOB_TOKEN": "job-token-ci"], resolvePath: { $0 }))
        XCTAssertEqual(mlflow.endpoint.credentials, .header(name: "JOB-TOKEN", token: "job-token-ci"))
        XCTAssertNil(try mlflow.experiment(named: "nothing"))
        XCTAssertEqual(gitlab.server.requests.last?.header("JOB-TOKEN"), "job-token-ci")
        // A token set for MLflow wins; an MLflow server never gets the job token.
        let withToken = try XCTUnwrap(MLflowConnection.client(section, environment: ["CI_JOB_TOKEN": "job-token-ci", "MLFLOW_TRACKING_TOKEN": "glpat-ml"], resolvePath: { $0 }))
        XCTAssertEqual(withToken.endpoint.credentials, .bearer(token: "glpat-ml"))
        section.trackingURI = "http://127.0.0.1:5000"
        XCTAssertEqual(try MLflowConnection.client(section, environment: ["CI_JOB_TOKEN": "job-token-ci"], resolvePath: { $0 })?.endpoint.credentials, MLflowEndpoint.Credentials.none)
        XCTAssertNil(try MLflowConnection.client(MLflowSection(), environment: [:], resolvePath: { $0 }))
    }

    func testAServerErrorDuringUploadIsARuntimeError() throws {
        let gitlab = try FakeGitLabMLflow()
        let mlflow = try client(gitlab)
        let work = try TemporaryDirectory()
        try Data("<html/>".utf8).write(to: URL(fileURLWithPath: work.path + "/report.html"))
        let tracker = RunTracker(client: mlflow)
        let run = try tracker.start(experiment: "e", runName: "r")
        gitlab.fail(pathSuffix: "/report.html")
        XCTAssertThrowsError(try tracker.upload([ArtifactUpload(work.path + "/report.html", as: "report.html")], to: run)) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .runtime)
            XCTAssertTrue("\(error)".hasPrefix("MLflow: upload artifact report.html failed (HTTP 500)"), "\(error)")
        }
    }
}
