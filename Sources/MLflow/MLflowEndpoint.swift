import Core
import Foundation
import HTTP

/// Where an MLflow tracking server is and how to authenticate to it, read the way MLflow's
/// own client reads it: `MLFLOW_TRACKING_URI`, then `MLFLOW_TRACKING_TOKEN` (Bearer) or
/// `MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD` (Basic), and
/// `MLFLOW_TRACKING_SERVER_CERT_PATH` (a CA bundle for a self-managed server).
public struct MLflowEndpoint: Sendable, Equatable {
    /// How requests authenticate.
    public enum Credentials: Sendable, Equatable {
        case none
        case bearer(token: String)
        case basic(username: String, password: String)
        /// A token in a header of its own, such as GitLab's `JOB-TOKEN` for a CI job token.
        case header(name: String, token: String)

        /// The credential header (name and value), if any.
        var header: (name: String, value: String)? {
            switch self {
            case .none: return nil
            case .bearer(let token): return ("Authorization", "Bearer \(token)")
            case .basic(let username, let password): return ("Authorization", "Basic \(Data("\(username):\(password)".utf8).base64EncodedString())")
            case .header(let name, let token): return (name, token)
            }
        }
    }

    /// The tracking URI (http or https, no trailing slash), e.g.
    /// `https://gitlab.example.com/api/v4/projects/42/ml/mlflow`.
    public let trackingURI: URL
    public let credentials: Credentials
    /// A PEM file of CA certificates to trust instead of the system's.
    public let caBundle: String?

    /// A checked endpoint; throws a configuration error (exit 2) for an unusable URI.
    public init(trackingURI text: String, credentials: Credentials = .none, caBundle: String? = nil) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty else {
            throw Failure(.usage, "MLflow tracking URI '\(Redaction.url(trimmed))' is not an http:// or https:// URL (a local file store such as ./mlruns has no REST API)")
        }
        guard components.user == nil, components.password == nil else {
            throw Failure(.usage, "MLflow tracking URI '\(Redaction.url(trimmed))' carries credentials; set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD instead")
        }
        guard components.query == nil, components.fragment == nil else {
            throw Failure(.usage, "MLflow tracking URI '\(Redaction.url(trimmed))' must not have a query or fragment")
        }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        var cleaned = components
        cleaned.percentEncodedPath = path
        trackingURI = cleaned.url!
        self.credentials = credentials
        self.caBundle = caBundle
    }

    /// The endpoint the environment describes, with `trackingURI` (a flag or `sluice.yml`)
    /// winning over `MLFLOW_TRACKING_URI`; nil when neither names one.
    public static func fromEnvironment(_ environment: [String: String], trackingURI: String? = nil, caBundle: String? = nil) throws -> MLflowEndpoint? {
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let uri = trackingURI ?? value("MLFLOW_TRACKING_URI") else { return nil }
        if let insecure = value("MLFLOW_TRACKING_INSECURE_TLS"), ["true", "1", "yes"].contains(insecure.lowercased()) {
            throw Failure(.usage, "MLFLOW_TRACKING_INSECURE_TLS is set, but Sluice always verifies TLS; give the server's CA certificate in MLFLOW_TRACKING_SERVER_CERT_PATH instead")
        }
        let credentials: Credentials
        if let token = value("MLFLOW_TRACKING_TOKEN") {
            credentials = .bearer(token: token)
        } else if let username = value("MLFLOW_TRACKING_USERNAME") {
            guard let password = value("MLFLOW_TRACKING_PASSWORD") else {
                throw Failure(.usage, "MLFLOW_TRACKING_USERNAME is set but MLFLOW_TRACKING_PASSWORD is not")
            }
            credentials = .basic(username: username, password: password)
        } else {
            credentials = .none
        }
        return try MLflowEndpoint(trackingURI: uri, credentials: credentials, caBundle: caBundle ?? value("MLFLOW_TRACKING_SERVER_CERT_PATH"))
    }

    /// The URI with any path, for messages (never carries credentials: the initialiser refuses them).
    public var displayURI: String { trackingURI.absoluteString }
}
