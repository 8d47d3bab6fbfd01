import Config
import Core
@testable import Pipeline
import XCTest

/// Where a run's MLflow settings come from: `mlflow:` and `champion:` in sluice.yml, the
/// environment, the CI's project name.
final class MLflowSettingsTests: XCTestCase {
    let base = """
    data:
      reference: reference.csv
      current: current.csv

    """

    func settings(_ yaml: String, environment: [String: String] = [:]) throws -> MLflowSettings {
        let file = try ConfigFile(yaml: base + yaml, path: "/repo/churn/sluice.yml")
        let sources = SettingsSources(file: file, environment: environment, workingDirectory: "/repo/churn")
        return try MLflowSettings.resolve(sources, config: try file.decode(RunConfig.self), verbose: false)
    }

    func testTheRegisteredModelsAliasIsTheChampionUnlessAnotherIsSet() throws {
        let server = ["MLFLOW_TRACKING_URI": "http://127.0.0.1:5000"]
        var resolved = try settings("mlflow:\n  model: churn\n  alias: prod\n", environment: server)
        XCTAssertEqual(resolved.champion?.description, "models:/churn@prod")
        XCTAssertEqual(resolved.experiment, "churn", "default experiment: the repository directory outside CI")
        XCTAssertEqual(resolved.configuration["mlflow.alias"], "prod")
        XCTAssertEqual(resolved.configuration["data.current"], "current.csv")

        resolved = try settings("mlflow:\n  model: churn\nchampion:\n  image: registry.example.com/churn:champion\n", environment: server)
        XCTAssertNil(resolved.champion, "an image champion wins over the registry")
        resolved = try settings("champion:\n  mlflow: models:/other/7\n", environment: server.merging(["GITLAB_CI": "true", "CI_PROJECT_ID": "42", "CI_PROJECT_PATH": "ml/churn"]) { $1 })
        XCTAssertEqual(resolved.champion?.description, "models:/other/7")
        XCTAssertEqual(resolved.experiment, "ml/churn", "default experiment: the CI project")
        XCTAssertNil(try settings("mlflow:\n  model: churn\n").client, "no tracking server: MLflow is off")
    }

    func testAChampionInTheRegistryNeedsATrackingServer() {
        XCTAssertThrowsError(try settings("champion:\n  mlflow: models:/churn@champion\n")) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
            XCTAssertTrue("\(error)".contains("MLFLOW_TRACKING_URI"), "\(error)")
        }
        XCTAssertThrowsError(try settings("champion:\n  mlflow: models:/churn\n")) { error in
            XCTAssertTrue("\(error)".contains("names no version"), "\(error)")
        }
        XCTAssertThrowsError(try settings("champion:\n  image: r/x:y\n  mlflow: models:/churn@champion\n"))
    }
}
