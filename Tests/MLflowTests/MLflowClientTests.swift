import Core
import Foundation
import HTTP
@testable import MLflow
import TestSupport
import XCTest

/// The client against a real MLflow server (ci/services/mlflow.sh): what it writes is read
/// back through the REST API, as the MLflow UI would show it.
final class MLflowClientTests: XCTestCase {
    func client(_ variable: String = "SLUICE_TEST_MLFLOW_URI", credentials: MLflowEndpoint.Credentials = .none) throws -> MLflowClient {
        let endpoint = try MLflowEndpoint(trackingURI: TestMLflow.uri(variable), credentials: credentials)
        return MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint)))
    }

    func testExperimentIsCreatedOnceAndFoundByName() throws {
        let mlflow = try client()
        let name = TestMLflow.name("experiment")
        XCTAssertNil(try mlflow.experiment(named: name))
        let id = try mlflow.createExperiment(name: name, tags: [MLflowKeyValue("team", "churn")])
        let found = try XCTUnwrap(mlflow.experiment(named: name))
        XCTAssertEqual(found.experimentID, id)
        XCTAssertEqual(found.name, name)
        XCTAssertEqual(found.lifecycleStage, "active")
        XCTAssertThrowsError(try mlflow.createExperiment(name: name)) { error in
            XCTAssertEqual((error as? MLflowError)?.errorCode, "RESOURCE_ALREADY_EXISTS")
        }
    }

    func testLogBatchSplitsPastMLflowsPerRequestLimits() throws {
        let mlflow = try client()
        let experiment = try mlflow.createExperiment(name: TestMLflow.name("batch"))
        let run = try mlflow.createRun(experimentID: experiment, name: "nightly", tags: [MLflowKeyValue("git.commit", "abc123")])
        XCTAssertEqual(run.info.status, .running)
        let params = (0..<250).map { MLflowKeyValue("param.\($0)", "value \($0)") }
        let tags = (0..<120).map { MLflowKeyValue("tag.\($0)", "\($0)") }
        let metrics = (0..<1500).map { MLflowMetric(key: "metric.\($0 % 700)", value: Double($0), timestamp: 1_700_000_000_000 + Int64($0), step: Int64($0 / 700)) }
        try mlflow.logBatch(runID: run.info.runID, metrics: metrics, params: params, tags: tags)
        try mlflow.updateRun(runID: run.info.runID, status: .finished)

        let stored = try mlflow.run(id: run.info.runID)
        XCTAssertEqual(stored.info.status, .finished)
        XCTAssertEqual(stored.info.runName, "nightly")
        XCTAssertEqual(stored.data.params.count, 250)
        XCTAssertEqual(stored.param("param.249"), "value 249")
        XCTAssertEqual(stored.tag("tag.119"), "119")
        XCTAssertEqual(stored.tag("git.commit"), "abc123")
        // runs/get returns each metric's latest value: step 2 for keys below 100, step 1 above.
        XCTAssertEqual(stored.latestMetrics.count, 700)
        XCTAssertEqual(stored.latestMetrics["metric.5"], 1405)
        XCTAssertEqual(stored.latestMetrics["metric.699"], 1399)
    }

    func testArtifactsUploadListAndDownloadThroughTheProxy() throws {
        let mlflow = try client()
        let experiment = try mlflow.createExperiment(name: TestMLflow.name("artifacts"))
        let run = try mlflow.createRun(experimentID: experiment, name: nil)
        let root = try mlflow.artifactRoot(run.info.artifactURI)
        guard case .proxied = root else { return XCTFail("the test server serves artifacts: \(run.info.artifactURI)") }

        let source = try TemporaryDirectory()
        let model = Data((0..<300_000).map { UInt8($0 % 251) })
        try model.write(to: URL(fileURLWithPath: source.path + "/model.bin"))
        try Data("{\"a\": 1}".utf8).write(to: URL(fileURLWithPath: source.path + "/meta.json"))
        try mlflow.uploadArtifact(file: source.path + "/model.bin", to: root, as: "model/model.bin")
        try mlflow.uploadArtifact(file: source.path + "/meta.json", to: root, as: "model/deep/meta.json")
        try mlflow.uploadArtifact(file: source.path + "/meta.json", to: root, as: "report.json")

        let top = try mlflow.listArtifacts(root)
        XCTAssertEqual(top.map(\.path).sorted(), ["model", "report.json"])
        XCTAssertEqual(top.first { $0.path == "model" }?.isDirectory, true)

        let target = try TemporaryDirectory()
        let files = try mlflow.downloadArtifacts(root, path: "model", into: target.path + "/champion")
        XCTAssertEqual(files, ["deep/meta.json", "model.bin"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target.path + "/champion/model.bin")), model)
        XCTAssertEqual(try String(contentsOfFile: target.path + "/champion/deep/meta.json"), "{\"a\": 1}")

        // runs:/<id>/<path> resolves through the run's own artifact root.
        let viaRun = try mlflow.artifactRoot("runs:/\(run.info.runID)/model")
        XCTAssertEqual(viaRun, try root.appending("model"))
    }

    func testRegistryVersionsTagsAndAliases() throws {
        let mlflow = try client()
        let name = TestMLflow.name("churn")
        XCTAssertNil(try mlflow.registeredModel(named: name))
        XCTAssertNil(try mlflow.modelVersion(model: name, alias: "champion"), "no model yet: no champion")
        _ = try mlflow.createRegisteredModel(name: name, description: "churn classifier")
        XCTAssertNil(try mlflow.modelVersion(model: name, alias: "champion"), "no alias yet: no champion")

        let experiment = try mlflow.createExperiment(name: TestMLflow.name("registry"))
        let run = try mlflow.createRun(experimentID: experiment, name: nil)
        let source = run.info.artifactURI + "/model"
        let first = try mlflow.createModelVersion(model: name, source: source, runID: run.info.runID, tags: [MLflowKeyValue("sluice.verdict", "pass")])
        let second = try mlflow.createModelVersion(model: name, source: source, runID: run.info.runID)
        XCTAssertEqual([first.version, second.version], ["1", "2"])
        XCTAssertEqual(first.runID, run.info.runID)
        XCTAssertEqual(first.source, source)

        try mlflow.setModelVersionTag(model: name, version: "2", key: "sluice.image.digest", value: "sha256:abc")
        XCTAssertEqual(try mlflow.modelVersion(model: name, version: "2").tag("sluice.image.digest"), "sha256:abc")
        XCTAssertEqual(try mlflow.modelVersion(model: name, version: "1").tag("sluice.verdict"), "pass")

        try mlflow.setAlias(model: name, alias: "champion", version: "1")
        XCTAssertEqual(try mlflow.modelVersion(model: name, alias: "champion")?.version, "1")
        try mlflow.setAlias(model: name, alias: "champion", version: "2")
        XCTAssertEqual(try mlflow.modelVersion(model: name, alias: "champion")?.version, "2")
        XCTAssertEqual(try XCTUnwrap(mlflow.registeredModel(named: name)).aliases.map(\.alias), ["champion"])
        try mlflow.deleteAlias(model: name, alias: "champion")
        XCTAssertNil(try mlflow.modelVersion(model: name, alias: "champion"))

        let downloadURI = try mlflow.downloadURI(model: name, version: "1")
        XCTAssertTrue(downloadURI.hasPrefix("mlflow-artifacts:"), downloadURI)
    }

    func testErrorBodiesBecomeClearMessages() throws {
        let mlflow = try client()
        XCTAssertThrowsError(try mlflow.modelVersion(model: TestMLflow.name("missing"), version: "1")) { error in
            let failure = error as? MLflowError
            XCTAssertEqual(failure?.status, 404)
            XCTAssertEqual(failure?.errorCode, "RESOURCE_DOES_NOT_EXIST")
            XCTAssertEqual(failure?.exitStatus, .runtime)
            XCTAssertTrue("\(error)".hasPrefix("MLflow: get version 1 of model"), "\(error)")
            XCTAssertTrue("\(error)".contains("not found") || "\(error)".contains("not exist"), "\(error)")
        }
    }

    func testBasicAuthServerRefusesWithoutCredentialsAndAcceptsThem() throws {
        let anonymous = try client("SLUICE_TEST_MLFLOW_AUTH_URI")
        XCTAssertThrowsError(try anonymous.experiment(named: "Default")) { error in
            XCTAssertEqual((error as? MLflowError)?.status, 401)
            XCTAssertTrue("\(error)".contains("MLFLOW_TRACKING_USERNAME"), "\(error)")
        }
        let wrong = try client("SLUICE_TEST_MLFLOW_AUTH_URI", credentials: .basic(username: TestMLflow.user, password: "not-the-password"))
        XCTAssertThrowsError(try wrong.experiment(named: "Default")) { XCTAssertEqual(($0 as? MLflowError)?.status, 401) }
        let admin = try client("SLUICE_TEST_MLFLOW_AUTH_URI", credentials: .basic(username: TestMLflow.user, password: TestMLflow.password))
        XCTAssertEqual(try admin.experiment(named: "Default")?.experimentID, "0")
    }

    func testServerDownIsAClearRuntimeError() throws {
        // A port nothing listens on: bind one, note it, close it.
        let server = try LoopbackHTTPServer { _ in .status(500) }
        let port = server.port
        server.stop()
        let endpoint = try MLflowEndpoint(trackingURI: "http://127.0.0.1:\(port)")
        var configuration = MLflowClient.httpConfiguration(for: endpoint)
        configuration.retry = RetryPolicy(attempts: 2, baseDelay: 0.01)
        let mlflow = MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: configuration))
        XCTAssertThrowsError(try mlflow.modelVersion(model: "churn", alias: "champion")) { error in
            XCTAssertNil((error as? MLflowError)?.status)
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .runtime)
            XCTAssertTrue("\(error)".contains("cannot reach the MLflow server at http://127.0.0.1:\(port)"), "\(error)")
        }
    }

    /// runs/search on the real server: a tag with dots in its key and a quote in its value,
    /// newest first by start time, a page at a time; no match is an empty page.
    func testSearchRunsFiltersByTagOrdersByStartTimeAndPages() throws {
        let mlflow = try client()
        let experiment = try mlflow.createExperiment(name: TestMLflow.name("search"))
        // Created out of order: the order comes from start_time, not creation.
        for (name, start, branch) in [("b", 2000, "it's"), ("c", 3000, "it's"), ("a", 1000, "it's"), ("other", 4000, "main")] {
            let run = try mlflow.createRun(experimentID: experiment, name: name, startTime: 1_700_000_000_000 + Int64(start),
                                           tags: [MLflowKeyValue("source.git.branch", branch)])
            try mlflow.updateRun(runID: run.info.runID, status: name == "c" ? .failed : .finished)
        }
        let onBranch = try XCTUnwrap(MLflowSearchFilter.tag("source.git.branch", "it's"))
        XCTAssertEqual(onBranch, #"tags.`source.git.branch` = "it's""#)
        let first = try mlflow.searchRuns(experimentIDs: [experiment], filter: onBranch, orderBy: ["attributes.start_time DESC"], maxResults: 2)
        XCTAssertEqual(first.runs.map(\.info.runName), ["c", "b"])
        XCTAssertEqual(first.runs.first?.info.startTime, 1_700_000_003_000)
        let token = try XCTUnwrap(first.nextPageToken)
        let second = try mlflow.searchRuns(experimentIDs: [experiment], filter: onBranch, orderBy: ["attributes.start_time DESC"], maxResults: 2, pageToken: token)
        XCTAssertEqual(second.runs.map(\.info.runName), ["a"])
        XCTAssertNil(second.nextPageToken)

        let finished = onBranch + " AND " + MLflowSearchFilter.status(.finished)
        XCTAssertEqual(try mlflow.searchRuns(experimentIDs: [experiment], filter: finished, orderBy: ["attributes.start_time DESC"], maxResults: 10).runs.map(\.info.runName), ["b", "a"])
        let notMain = try XCTUnwrap(MLflowSearchFilter.tag("source.git.branch", "main", equal: false))
        XCTAssertEqual(try mlflow.searchRuns(experimentIDs: [experiment], filter: notMain, orderBy: ["attributes.start_time ASC"], maxResults: 10).runs.map(\.info.runName), ["a", "b", "c"])
        let none = try mlflow.searchRuns(experimentIDs: [experiment], filter: try XCTUnwrap(MLflowSearchFilter.tag("source.git.branch", "gone")), orderBy: [], maxResults: 10)
        XCTAssertEqual(none.runs, [])
        XCTAssertNil(MLflowSearchFilter.tag("branch", #"it's "x""#), "no MLflow literal holds both quotes")
        XCTAssertThrowsError(try mlflow.searchRuns(experimentIDs: [experiment], filter: "tags.branch ~ 'x'", orderBy: [], maxResults: 10)) { error in
            XCTAssertEqual((error as? MLflowError)?.errorCode, "INVALID_PARAMETER_VALUE", "\(error)")
        }
    }
}
