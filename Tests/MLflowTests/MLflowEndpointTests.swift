import Core
import Foundation
import HTTP
@testable import MLflow
import TestSupport
import XCTest

/// Settings from the environment, `models:/` URIs and artifact paths: no server needed
/// except a loopback one that misbehaves on purpose.
final class MLflowEndpointTests: XCTestCase {
    func testEnvironmentPicksTokenThenBasicAndRefusesUnsafeSettings() throws {
        let token = try XCTUnwrap(MLflowEndpoint.fromEnvironment(["MLFLOW_TRACKING_URI": "https://gitlab.example.com/api/v4/projects/42/ml/mlflow/",
                                                                   "MLFLOW_TRACKING_TOKEN": "glpat-secret", "MLFLOW_TRACKING_USERNAME": "u"]))
        XCTAssertEqual(token.credentials, .bearer(token: "glpat-secret"))
        XCTAssertEqual(token.trackingURI.absoluteString, "https://gitlab.example.com/api/v4/projects/42/ml/mlflow")

        let basic = try XCTUnwrap(MLflowEndpoint.fromEnvironment(["MLFLOW_TRACKING_URI": "http://127.0.0.1:5000", "MLFLOW_TRACKING_USERNAME": "u", "MLFLOW_TRACKING_PASSWORD": "p",
                                                                   "MLFLOW_TRACKING_SERVER_CERT_PATH": "/etc/ca.pem"]))
        XCTAssertEqual(basic.credentials, .basic(username: "u", password: "p"))
        XCTAssertEqual(basic.credentials.header?.value, "Basic dTpw")
        XCTAssertEqual(basic.caBundle, "/etc/ca.pem")

        XCTAssertNil(try MLflowEndpoint.fromEnvironment([:]))
        XCTAssertEqual(try MLflowEndpoint.fromEnvironment(["MLFLOW_TRACKING_URI": "http://a"], trackingURI: "http://b:5000")?.trackingURI.host, "b")

        func refusal(_ environment: [String: String]) -> String {
            do {
                _ = try MLflowEndpoint.fromEnvironment(environment)
                return "accepted"
            } catch {
                XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
                return "\(error)"
            }
        }
        XCTAssertTrue(refusal(["MLFLOW_TRACKING_URI": "./mlruns"]).contains("not an http:// or https:// URL"))
        XCTAssertTrue(refusal(["MLFLOW_TRACKING_URI": "http://127.0.0.1", "MLFLOW_TRACKING_USERNAME": "u"]).contains("MLFLOW_TRACKING_PASSWORD is not"))
        XCTAssertTrue(refusal(["MLFLOW_TRACKING_URI": "http://127.0.0.1", "MLFLOW_TRACKING_INSECURE_TLS": "true"]).contains("MLFLOW_TRACKING_SERVER_CERT_PATH"))
        let withUserinfo = refusal(["MLFLOW_TRACKING_URI": "https://me:hunter2@mlflow.example.com"])
        XCTAssertTrue(withUserinfo.contains("carries credentials"), withUserinfo)
        XCTAssertFalse(withUserinfo.contains("hunter2"), withUserinfo)
    }

    func testModelURIsParseFromTextAndMappings() throws {
        XCTAssertEqual(try MLflowModelURI(parsing: "models:/churn@champion"), MLflowModelURI(model: "churn", selector: .alias("champion")))
        XCTAssertEqual(try MLflowModelURI(parsing: "models:/team/churn/3"), MLflowModelURI(model: "team/churn", selector: .version("3")))
        XCTAssertEqual(try MLflowModelURI(parsing: "models:/churn/latest").selector, .latest)
        XCTAssertEqual(MLflowModelURI(model: "churn", selector: .alias("champion")).description, "models:/churn@champion")
        for bad in ["churn@champion", "models:/churn", "models:/@champion", "models:/churn@"] {
            XCTAssertThrowsError(try MLflowModelURI(parsing: bad), bad) { XCTAssertEqual(($0 as? SluiceError)?.exitStatus, .usage) }
        }
        let decoded = try JSONDecoder().decode([MLflowModelURI].self, from: Data(#"["models:/a@b", {"model": "churn"}, {"model": "churn", "version": "7"}]"#.utf8))
        XCTAssertEqual(decoded.map(\.description), ["models:/a@b", "models:/churn@champion", "models:/churn/7"])
        XCTAssertThrowsError(try JSONDecoder().decode(MLflowModelURI.self, from: Data(#"{"model": "churn", "alias": "a", "version": "1"}"#.utf8)))
        XCTAssertTrue(MLflowClient.versionOrder("2", "10"))
        XCTAssertTrue(MLflowClient.versionOrder("1.2.0", "1.10.0"))
    }

    func testArtifactPathsFromTheServerStayBeneathTheirDirectory() throws {
        for bad in ["../escape", "/etc/passwd", "a/../../b", "a//b", "a\\b", "./a"] {
            XCTAssertThrowsError(try MLflowArtifactPath.components(bad), bad)
        }
        XCTAssertEqual(try MLflowArtifactPath.components("model/deep/x.json"), ["model", "deep", "x.json"])
        XCTAssertThrowsError(try MLflowArtifactRoot("s3://bucket/1/abc/artifacts")) { error in
            XCTAssertTrue("\(error)".contains("--serve-artifacts"), "\(error)")
        }
        XCTAssertEqual(try MLflowArtifactRoot("mlflow-artifacts://host:5000/1/abc/artifacts"), .proxied(path: "1/abc/artifacts"))

        // A server whose listing names a file outside the download directory.
        let server = try LoopbackHTTPServer { request in
            if request.path.hasSuffix("/mlflow-artifacts/artifacts") {
                return .json(#"{"files": [{"path": "ok.txt", "is_dir": false, "file_size": 2}, {"path": "../escaped.txt", "is_dir": false, "file_size": 2}]}"#)
            }
            return .text("hi")
        }
        defer { server.stop() }
        let endpoint = try MLflowEndpoint(trackingURI: server.baseURL)
        let mlflow = MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint)))
        let directory = try TemporaryDirectory()
        XCTAssertThrowsError(try mlflow.downloadArtifacts(.proxied(path: "1/r/artifacts"), path: "model", into: directory.path + "/champion")) { error in
            XCTAssertTrue("\(error)".contains("not a plain relative path"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path + "/escaped.txt"))
    }

    func testTracesNeverShowTheToken() throws {
        let server = try LoopbackHTTPServer { _ in .json(#"{"error_code": "PERMISSION_DENIED", "message": "no"}"#, status: 403) }
        defer { server.stop() }
        let lines = LockedLines()
        let endpoint = try MLflowEndpoint(trackingURI: server.baseURL, credentials: .bearer(token: "glpat-very-secret"))
        var configuration = MLflowClient.httpConfiguration(for: endpoint, trace: { lines.append($0) })
        configuration.retry = .none
        let mlflow = MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: configuration))
        XCTAssertThrowsError(try mlflow.registeredModel(named: "churn")) { error in
            XCTAssertEqual("\(error)", "MLflow: get registered model 'churn' failed (HTTP 403 PERMISSION_DENIED): no (the credentials are valid but lack permission for this)")
            XCTAssertFalse("\(error)".contains("glpat"))
        }
        XCTAssertEqual(server.requests.first?.header("Authorization"), "Bearer glpat-very-secret")
        XCTAssertTrue(lines.all.contains("> Authorization: Bearer REDACTED"), lines.all.joined(separator: "\n"))
        XCTAssertFalse(lines.all.joined().contains("glpat-very-secret"))
    }
}

/// Trace lines collected from the client's thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
