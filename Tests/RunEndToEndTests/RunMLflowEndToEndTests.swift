import Foundation
import HTTP
import MLflow
import TestSupport
import XCTest

/// `sluice run` with an MLflow registry: the built binary against the real MLflow server
/// and the real OCI registry that ci/test starts. Each test reads back through MLflow's REST
/// API what a user would look at in the MLflow UI.
final class RunMLflowEndToEndTests: XCTestCase {
    func client(_ uri: String) throws -> MLflowClient {
        let endpoint = try MLflowEndpoint(trackingURI: uri)
        return MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint)))
    }

    /// The example workspace with its champion in the MLflow registry under `model`, and
    /// candidates pushed to the test registry (promoted by nightly runs).
    func workspace(model: String, experiment: String) throws -> RunWorkspace {
        let workspace = try RunWorkspace()
        try workspace.edit("""
          champion:
            model: champion/model.json
        """, "")
        let registry = try TestRegistry.address()
        try workspace.edit("\npackage:\n", "\npackage:\n  push: \(registry)/e2e-\(UUID().uuidString.prefix(8).lowercased())/churn:candidate\n")
        try workspace.append("""
        mlflow:
          model: \(model)
          experiment: \(experiment)
        """)
        return workspace
    }

    /// A first nightly run on a new registered model, in a workspace set up by `workspace`.
    func firstNightly(experiment: String) throws -> (mlflow: MLflowClient, uri: String, model: String, workspace: RunWorkspace, result: ProcessResult) {
        let uri = try TestMLflow.uri()
        let model = TestMLflow.name("churn")
        let workspace = try workspace(model: model, experiment: TestMLflow.name(experiment))
        let result = try workspace.run(environment: gitlabNightly.merging(["MLFLOW_TRACKING_URI": uri]) { $1 })
        return (try client(uri), uri, model, workspace, result)
    }

    /// A nightly run with no champion yet trains, pushes, promotes, registers version 1 and
    /// points the alias at it; a merge request run then compares with that champion,
    /// registers version 2 and leaves the alias on 1.
    func testNightlyMovesTheAliasAndMergeRequestsNever() throws {
        let (mlflow, uri, model, workspace, nightly) = try firstNightly(experiment: "churn-ct")
        XCTAssertEqual(nightly.status, 0, nightly.stderr)
        XCTAssertTrue(nightly.stderr.contains("no models:/\(model)@champion"), "first run: no champion yet\n\(nightly.stderr)")
        var report = try workspace.report()
        let image = report.object("image")
        XCTAssertEqual(image.string("promotedTag"), "champion")
        let logged = report.object("mlflow")
        XCTAssertEqual(logged.string("version"), "1")
        XCTAssertEqual(logged.string("aliasMoved"), "champion")

        // The MLflow UI: the alias on version 1, its tags, and the run that produced it.
        let champion = try XCTUnwrap(mlflow.modelVersion(model: model, alias: "champion"))
        XCTAssertEqual(champion.version, "1")
        XCTAssertEqual(champion.tag("sluice.image.digest"), image.string("digest"))
        XCTAssertEqual(champion.tag("sluice.verdict"), "passed")
        let runID = try XCTUnwrap(logged.string("runID"))
        XCTAssertEqual(champion.runID, runID)
        let run = try mlflow.run(id: runID)
        XCTAssertEqual(run.info.status, .finished)
        XCTAssertEqual(run.tag("sluice.verdict"), "passed")
        XCTAssertEqual(run.tag("sluice.mode"), "nightly")
        XCTAssertEqual(run.tag("sluice.image.digest"), image.string("digest"))
        XCTAssertEqual(run.tag("sluice.pipeline_url") != nil || run.tag("sluice.ci") == "gitlab", true)
        XCTAssertEqual(run.param("config.mlflow.model"), model)
        XCTAssertEqual(run.param("config.train.l2"), "1.0")
        XCTAssertNotNil(run.data.params.first { $0.key.hasPrefix("data.") && $0.key.hasSuffix(".sha256") })
        let candidateAUC = try XCTUnwrap(run.latestMetrics["candidate.roc_auc"])
        let reportAUC = report.object("evaluation").objects("metrics").first { $0.string("name") == "roc_auc" }?["candidate"] as? Double
        XCTAssertEqual(candidateAUC, try XCTUnwrap(reportAUC), accuracy: 1e-12)
        let root = try mlflow.artifactRoot(run.info.artifactURI)
        XCTAssertEqual(Set(try mlflow.listArtifacts(root).map(\.path)), ["model", "report.html", "report.md", "run.json"])
        XCTAssertEqual(try mlflow.listArtifacts(root, path: "model").map(\.path).sorted(), ["model/metrics.json", "model/model.json"])
        XCTAssertTrue(try workspace.latest("report.md").contains("[MLflow run](\(uri)/#/experiments/"), "the comment links the MLflow run")
        XCTAssertTrue(try workspace.latest("report.html").contains(">MLflow run</a>"), "so does the HTML report")
        XCTAssertTrue(try workspace.latest("report.md").contains("registered \(model) version 1 (&#64;champion)"), "and it names the version (the @ kept from becoming a mention)")

        // A merge request: the champion comes from the alias; a new version, the alias stays.
        var mergeRequest = ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "5", "CI_JOB_ID": "9100",
                            "MLFLOW_TRACKING_URI": uri]
        mergeRequest["CI_JOB_NAME"] = "sluice-mr"
        let request = try workspace.run(["--force", "--no-post"], environment: mergeRequest)
        XCTAssertEqual(request.status, 0, request.stderr)
        XCTAssertTrue(request.stderr.contains("champion models:/\(model)/1"), request.stderr)
        report = try workspace.report()
        XCTAssertEqual(report.object("evaluation")["championAvailable"] as? Bool, true)
        let decay = report.objects("triggers").first { $0.string("name") == "accuracy_decay" }
        XCTAssertTrue(decay?.string("evidence")?.contains("at training") ?? false, "decay compares with the metrics of the champion's MLflow run: \(decay ?? [:])")
        XCTAssertEqual(report.object("mlflow").string("version"), "2")
        XCTAssertNil(report.object("mlflow").string("aliasMoved"))
        XCTAssertEqual(try mlflow.modelVersion(model: model, alias: "champion")?.version, "1", "merge request pipelines never move the alias")
        XCTAssertEqual(try mlflow.modelVersion(model: model, version: "2").tag("sluice.verdict"), "passed")
    }

    /// `sluice register` is the run's register stage on its own, on the run's report: a new
    /// version with the report's tags, the alias moved only with --move-alias; a candidate
    /// that did not pass is refused (exit 1) and no tracking server is a usage error (exit 2).
    func testRegisterCommandRegistersThePassingCandidateOfARunReport() throws {
        let (mlflow, uri, model, workspace, first) = try firstNightly(experiment: "churn-register")
        XCTAssertEqual(first.status, 0, first.stderr)
        let report = try workspace.report()
        let environment = ["MLFLOW_TRACKING_URI": uri]

        let plain = try SluiceBinary.run(["register"], in: workspace.path, environment: environment)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(plain.stdout, "registered \(model) version 2; alias champion not moved: --move-alias was not given\n")
        let second = try mlflow.modelVersion(model: model, version: "2")
        XCTAssertEqual(second.tag("sluice.verdict"), "passed")
        XCTAssertEqual(second.tag("sluice.run_id"), report.string("runId"))
        XCTAssertEqual(second.tag("sluice.image.digest"), report.object("image").string("digest"))
        XCTAssertNotEqual(second.runID, report.object("mlflow").string("runID"), "a run of its own")
        let run = try mlflow.run(id: try XCTUnwrap(second.runID))
        XCTAssertEqual(run.info.status, .finished)
        XCTAssertEqual(try mlflow.listArtifacts(try mlflow.artifactRoot(run.info.artifactURI), path: "model").map(\.path).sorted(), ["model/metrics.json", "model/model.json"])
        XCTAssertEqual(try mlflow.modelVersion(model: model, alias: "champion")?.version, "1")

        let moved = try SluiceBinary.run(["register", "--move-alias", "--format", "json"], in: workspace.path, environment: environment)
        XCTAssertEqual(moved.status, 0, moved.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(moved.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(summary.string("version"), "3")
        XCTAssertEqual(summary.string("aliasMoved"), "champion")
        XCTAssertEqual(try mlflow.modelVersion(model: model, alias: "champion")?.version, "3")

        // The same report with a failed outcome: refused, nothing registered.
        var failed = report
        failed["outcome"] = ["status": "failed", "summary": "gate roc_auc >= 0.99 failed"]
        try JSONSerialization.data(withJSONObject: failed).write(to: URL(fileURLWithPath: workspace.temp.file("failed.json")))
        let refused = try SluiceBinary.run(["register", "--report", "failed.json", "--move-alias"], in: workspace.path, environment: environment)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("did not pass (gate roc_auc >= 0.99 failed): only a passing candidate is registered"), refused.stderr)
        XCTAssertThrowsError(try mlflow.modelVersion(model: model, version: "4"), "no version 4")
        XCTAssertEqual(try mlflow.modelVersion(model: model, alias: "champion")?.version, "3")

        let nowhere = try SluiceBinary.run(["register"], in: workspace.path)
        XCTAssertEqual(nowhere.status, 2, nowhere.stderr)
        XCTAssertTrue(nowhere.stderr.contains("registering needs an MLflow tracking server: set mlflow.tracking_uri in sluice.yml or MLFLOW_TRACKING_URI"), nowhere.stderr)
    }

    /// A 500 in the middle of the model upload, or on the alias move after the version was
    /// registered, breaks the run (exit 3) and leaves the alias; the report names any version.
    func testServerErrorDuringUploadLeavesTheAlias() throws {
        let (mlflow, uri, model, workspace, first) = try firstNightly(experiment: "churn-faults")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try mlflow.modelVersion(model: model, alias: "champion")?.version, "1")

        let proxy = try FaultInjectingProxy(upstream: uri) { request in
            request.method == "PUT" && request.path.hasSuffix("/model/model.json") ? .json(#"{"error_code": "INTERNAL_ERROR", "message": "storage unavailable"}"#, status: 500) : nil
        }
        let broken = try workspace.run(["--force"], environment: gitlabNightly.merging(["MLFLOW_TRACKING_URI": proxy.baseURL, "CI_JOB_ID": "9200"]) { $1 })
        XCTAssertEqual(broken.status, 3, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("upload artifact model/model.json failed (HTTP 500 INTERNAL_ERROR): storage unavailable"), broken.stderr)
        let stages = try workspace.report().objects("stages").reduce(into: [String: String]()) { $0[$1.string("name")!] = $1.string("status") }
        XCTAssertEqual(stages["register"], "error")
        XCTAssertEqual(try mlflow.modelVersion(model: model, alias: "champion")?.version, "1", "the alias stays where it was")

        // The version registered, then the alias refused: the report keeps the version.
        let aliasProxy = try FaultInjectingProxy(upstream: uri) { request in
            request.method == "POST" && request.path.hasSuffix("/registered-models/alias") ? .json(#"{"error_code": "INTERNAL_ERROR", "message": "database locked"}"#, status: 500) : nil
        }
        let unmoved = try workspace.run(["--force"], environment: gitlabNightly.merging(["MLFLOW_TRACKING_URI": aliasProxy.baseURL, "CI_JOB_ID": "9201"]) { $1 })
        XCTAssertEqual(unmoved.status, 3, unmoved.stderr)
        XCTAssertTrue(unmoved.stderr.contains("registered \(model) version 2, but alias champion could not be moved to it and stays where it was"), unmoved.stderr)
        XCTAssertTrue(unmoved.stderr.contains("database locked"), unmoved.stderr)
        let logged = try workspace.report().object("mlflow")
        XCTAssertEqual(logged.string("version"), "2", "the version exists: the report says so")
        XCTAssertNil(logged.string("aliasMoved"))
        XCTAssertEqual(try mlflow.modelVersion(model: model, alias: "champion")?.version, "1", "the alias stays where it was")
        XCTAssertEqual(try mlflow.modelVersion(model: model, version: "2").tag("sluice.verdict"), "passed")
    }

    /// The server down, or refusing the credentials: a clear message and exit 3.
    func testServerDownAndUnauthorisedAreInfrastructureErrors() throws {
        let closed = try LoopbackHTTPServer { _ in .status(500) }
        let port = closed.port
        closed.stop()
        let workspace = try workspace(model: "churn", experiment: "churn-ct")
        let down = try workspace.run(environment: gitlabNightly.merging(["MLFLOW_TRACKING_URI": "http://127.0.0.1:\(port)"]) { $1 })
        XCTAssertEqual(down.status, 3, down.stderr)
        XCTAssertTrue(down.stderr.contains("cannot reach the MLflow server at http://127.0.0.1:\(port)"), down.stderr)

        let unauthorised = try workspace.run(environment: gitlabNightly.merging(["MLFLOW_TRACKING_URI": try TestMLflow.uri("SLUICE_TEST_MLFLOW_AUTH_URI"),
                                                                                "MLFLOW_TRACKING_USERNAME": TestMLflow.user, "MLFLOW_TRACKING_PASSWORD": "wrong-password"]) { $1 })
        XCTAssertEqual(unauthorised.status, 3, unauthorised.stderr)
        XCTAssertTrue(unauthorised.stderr.contains("(HTTP 401)"), unauthorised.stderr)
        XCTAssertTrue(unauthorised.stderr.contains("check MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD"), unauthorised.stderr)
        XCTAssertFalse(unauthorised.stderr.contains("wrong-password"), "secrets never printed")
    }

    /// GitLab's model registry (a strict fake of its documented MLflow subset) with the job's
    /// CI_JOB_TOKEN: no aliases, so a nightly run registers the version that becomes the
    /// latest (the champion), and a merge request run registers none and says why.
    func testGitLabRegistryUsesTheLatestVersionInPlaceOfTheAlias() throws {
        let gitlab = try FakeGitLabMLflow()
        let workspace = try workspace(model: "churn", experiment: "churn-ct")
        let environment = gitlabNightly.merging(["MLFLOW_TRACKING_URI": gitlab.trackingURI, "CI_JOB_TOKEN": "job-token-ci"]) { $1 }
        let nightly = try workspace.run(environment: environment)
        XCTAssertEqual(nightly.status, 0, nightly.stderr)
        XCTAssertTrue(nightly.stderr.contains("GitLab's model registry has no aliases: the champion is the latest version of 'churn'"), nightly.stderr)
        let versions = gitlab.versions("churn")
        XCTAssertEqual(versions.count, 1)
        XCTAssertEqual(versions.first?.tags["sluice.image.digest"], try workspace.report().object("image").string("digest"))
        XCTAssertEqual(gitlab.files(ofRun: versions[0].runIID).keys.sorted(), ["metrics.json", "model.json"])
        let logged = try XCTUnwrap(gitlab.runs.first { $0.tags["sluice.mode"] == "nightly" })
        XCTAssertEqual(logged.status, "FINISHED")
        XCTAssertEqual(logged.tags["gitlab.CI_JOB_ID"], "9001", "GitLab links the run to its CI job")
        XCTAssertEqual(gitlab.files(ofRun: logged.iid).keys.sorted(), ["metrics.json", "model.json", "report.html", "report.md", "run.json"])

        var mergeRequest = environment
        mergeRequest["CI_PIPELINE_SOURCE"] = "merge_request_event"
        mergeRequest["CI_MERGE_REQUEST_IID"] = "5"
        let request = try workspace.run(["--force", "--no-post"], environment: mergeRequest)
        XCTAssertEqual(request.status, 0, request.stderr)
        XCTAssertTrue(request.stderr.contains("champion models:/churn/\(versions[0].id)"), request.stderr)
        XCTAssertEqual(gitlab.versions("churn").count, 1, "a merge request run registers no version on GitLab")
        let notes = try workspace.report().object("mlflow")["notes"] as? [String] ?? []
        XCTAssertTrue(notes.first?.hasPrefix("not registered: this pipeline does not promote") ?? false, "\(notes)")
    }
}
