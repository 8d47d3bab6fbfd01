import Core
import Foundation
import HTTP
import MLflow

/// The MLflow client a run uses, from the `mlflow:` section and the environment: the
/// server from `tracking_uri`, else `MLFLOW_TRACKING_URI`; credentials only from the
/// environment. On GitLab, a CI job without `MLFLOW_TRACKING_TOKEN` authenticates with its
/// `CI_JOB_TOKEN` (sent as GitLab's `JOB-TOKEN` header).
public enum MLflowConnection {
    /// The client, or nil when no tracking server is named anywhere.
    public static func client(_ section: MLflowSection, environment: [String: String], resolvePath: (String) -> String,
                              trace: (@Sendable (String) -> Void)? = nil) throws -> MLflowClient? {
        guard var endpoint = try MLflowEndpoint.fromEnvironment(environment, trackingURI: section.trackingURI, caBundle: section.caBundle.map(resolvePath)) else {
            return nil
        }
        if endpoint.credentials == .none, RegistryServer.of(endpoint) == .gitlab, let job = environment["CI_JOB_TOKEN"], !job.isEmpty {
            endpoint = try MLflowEndpoint(trackingURI: endpoint.trackingURI.absoluteString, credentials: .header(name: "JOB-TOKEN", token: job), caBundle: endpoint.caBundle)
        }
        return MLflowClient(endpoint: endpoint, http: HTTPClient(configuration: MLflowClient.httpConfiguration(for: endpoint, trace: trace)))
    }
}
