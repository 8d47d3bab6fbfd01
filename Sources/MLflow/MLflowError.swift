import Core
import Foundation

/// A request the MLflow server refused or could not answer, with MLflow's own `error_code`
/// and `message` from the response body when it sent them.
public struct MLflowError: SluiceError, Equatable {
    /// What was being done, e.g. "get registered model alias churn@champion".
    public let operation: String
    /// The HTTP status, or nil when the server could not be reached.
    public let status: Int?
    /// MLflow's error code, e.g. `RESOURCE_DOES_NOT_EXIST`.
    public let errorCode: String?
    public let message: String

    public init(operation: String, status: Int?, errorCode: String?, message: String) {
        self.operation = operation
        self.status = status
        self.errorCode = errorCode
        self.message = message
    }

    /// Whether the server said the thing asked for does not exist. A 404 without MLflow's
    /// error code is a missing endpoint (a wrong tracking URI, an unsupported call), not this.
    public var isNotFound: Bool { errorCode == "RESOURCE_DOES_NOT_EXIST" }

    public var exitStatus: ExitStatus { .runtime }

    public var description: String {
        var text = "MLflow: \(operation) failed"
        if let status { text += " (HTTP \(status)\(errorCode.map { " \($0)" } ?? ""))" }
        text += ": \(message)"
        if status == 401 {
            text += " (check MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)"
        } else if status == 403 {
            text += " (the credentials are valid but lack permission for this)"
        }
        return text
    }

    /// The error for a non-2xx response: MLflow's JSON error body when there is one, else
    /// the start of whatever the server sent.
    static func from(status: Int, body: Data, operation: String) -> MLflowError {
        struct Body: Decodable {
            let error_code: String?
            let message: String?
        }
        if let parsed = try? JSONDecoder().decode(Body.self, from: body), parsed.error_code != nil || parsed.message != nil {
            return MLflowError(operation: operation, status: status, errorCode: parsed.error_code, message: parsed.message ?? "no message")
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return MLflowError(operation: operation, status: status, errorCode: nil, message: text.isEmpty ? "empty response" : text)
    }
}
