import Foundation
import MLflow

/// Which server speaks MLflow's API, for the few things GitLab's compatibility layer does
/// differently (its documentation lists the supported client methods and their caveats).
public enum RegistryServer: Sendable, Equatable {
    /// An MLflow tracking server and model registry.
    case mlflow
    /// GitLab's model registry and experiment tracking (`/api/v4/projects/<id>/ml/mlflow`):
    /// no aliases (the documented equivalent is the latest version, ordered by semantic
    /// version), no model version tags after creation, model versions with their own run
    /// (`run_id` and `source` ignored), artifacts only as flat file names.
    case gitlab

    /// GitLab when the tracking URI has the shape GitLab documents.
    public static func of(_ endpoint: MLflowEndpoint) -> RegistryServer {
        let path = endpoint.trackingURI.path
        return path.contains("/api/v4/projects/") && path.hasSuffix("/ml/mlflow") ? .gitlab : .mlflow
    }

    /// Whether the server has movable aliases.
    public var hasAliases: Bool { self == .mlflow }

    /// The line the run prints where GitLab stands in for an alias.
    public func aliasFallback(model: String, alias: String) -> String? {
        guard self == .gitlab else { return nil }
        return "GitLab's model registry has no aliases: the champion is the latest version of '\(model)' (models:/\(model)/latest) in place of @\(alias), and a version is registered only where the alias would move (a nightly run whose image was pushed and promoted)"
    }
}
