import Config
import Foundation
import MLflow

/// The `mlflow:` section of `sluice.yml`: where runs are logged and under which registered
/// model passing candidates become versions. Every key is optional; the server comes from
/// `tracking_uri`, else `MLFLOW_TRACKING_URI`, and the credentials only from the environment.
public struct MLflowSection: Decodable, Equatable {
    /// The tracking server, e.g. `https://mlflow.example.com` or GitLab's
    /// `https://gitlab.example.com/api/v4/projects/42/ml/mlflow`.
    public var trackingURI: String?
    /// The experiment runs are logged to; default: the CI project's name.
    public var experiment: String?
    /// The registered model passing candidates are registered under; none: no registration.
    public var model: String?
    /// The alias that marks the champion (moved only by nightly runs, after the image is promoted).
    public var alias: String
    /// Log every `sluice run` as an MLflow run.
    public var logRuns: Bool
    /// Register a candidate that passes its gates as a new version of `model`.
    public var register: Bool
    /// PEM CA certificates to trust (else `MLFLOW_TRACKING_SERVER_CERT_PATH`).
    public var caBundle: String?

    public init() {
        alias = "champion"
        logRuns = true
        register = true
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trackingURI = try c.decodeIfPresent(String.self, forKey: .trackingURI)
        experiment = try c.decodeIfPresent(String.self, forKey: .experiment)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        alias = try c.decodeIfPresent(String.self, forKey: .alias) ?? "champion"
        logRuns = try c.decodeIfPresent(Bool.self, forKey: .logRuns) ?? true
        register = try c.decodeIfPresent(Bool.self, forKey: .register) ?? true
        caBundle = try c.decodeIfPresent(String.self, forKey: .caBundle)
        if let trackingURI {
            do {
                _ = try MLflowEndpoint(trackingURI: trackingURI)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .trackingURI, in: c, debugDescription: "\(error)")
            }
        }
        guard !alias.isEmpty, !alias.contains("/"), !alias.contains("@") else {
            throw DecodingError.dataCorruptedError(forKey: .alias, in: c, debugDescription: "alias must be a plain name such as champion")
        }
    }

    enum CodingKeys: String, CodingKey {
        case experiment, model, alias, register
        case trackingURI = "tracking_uri", logRuns = "log_runs", caBundle = "ca_bundle"
    }
}
