import Foundation

/// The MLflow servers ci/test starts (see ci/services/mlflow.sh).
public enum TestMLflow {
    /// The open server's URI (`SLUICE_TEST_MLFLOW_URI`), or the Basic-auth one's (`SLUICE_TEST_MLFLOW_AUTH_URI`).
    public static func uri(_ variable: String = "SLUICE_TEST_MLFLOW_URI") throws -> String {
        try TestService.required(variable, what: "the MLflow test servers")
    }

    public static var user: String { TestService.environment["SLUICE_TEST_MLFLOW_USER"] ?? "" }
    public static var password: String { TestService.environment["SLUICE_TEST_MLFLOW_PASSWORD"] ?? "" }

    /// A name no other test uses.
    public static func name(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased().prefix(8))"
    }
}
