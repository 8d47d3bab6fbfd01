import Core
import Foundation

/// A registered model version named the way MLflow names it: `models:/<name>@<alias>`,
/// `models:/<name>/<version>` or `models:/<name>/latest`. In `sluice.yml` it is written as
/// that URI or as a mapping `{model: churn, alias: champion}` (or `version:`).
public struct MLflowModelURI: Decodable, Sendable, Equatable, CustomStringConvertible {
    /// Which version of the model.
    public enum Selector: Sendable, Equatable {
        case alias(String)
        case version(String)
        /// The highest version (MLflow's `get-latest-versions`).
        case latest
    }

    public var model: String
    public var selector: Selector

    public init(model: String, selector: Selector) {
        self.model = model
        self.selector = selector
    }

    /// Parses a `models:/` URI; throws a configuration error (exit 2) naming what is wrong.
    public init(parsing text: String) throws {
        guard text.hasPrefix("models:/") else {
            throw Failure(.usage, "'\(text)' is not a models:/ URI (models:/<name>@<alias>, models:/<name>/<version> or models:/<name>/latest)")
        }
        let rest = String(text.dropFirst("models:/".count))
        if let at = rest.lastIndex(of: "@"), !rest[..<at].contains("/") {
            model = String(rest[..<at])
            selector = .alias(String(rest[rest.index(after: at)...]))
        } else if let slash = rest.lastIndex(of: "/") {
            model = String(rest[..<slash])
            let version = String(rest[rest.index(after: slash)...])
            selector = version == "latest" ? .latest : .version(version)
        } else {
            throw Failure(.usage, "'\(text)' names no version: write models:/\(rest)@<alias>, models:/\(rest)/<version> or models:/\(rest)/latest")
        }
        try check(text)
    }

    private func check(_ text: String) throws {
        let part: String
        switch selector {
        case .alias(let alias): part = alias
        case .version(let version): part = version
        case .latest: part = "latest"
        }
        guard !model.isEmpty, !part.isEmpty, !model.contains("@") else {
            throw Failure(.usage, "'\(text)' is not a usable models:/ URI: the model name and the alias or version must not be empty")
        }
    }

    enum CodingKeys: String, CodingKey { case model, alias, version }

    public init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            do {
                try self.init(parsing: text)
            } catch let failure as Failure {
                throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: failure.message))
            }
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let model = try c.decode(String.self, forKey: .model)
        guard !model.isEmpty else { throw DecodingError.dataCorruptedError(forKey: .model, in: c, debugDescription: "the model name must not be empty") }
        switch (try c.decodeIfPresent(String.self, forKey: .alias), try c.decodeIfPresent(String.self, forKey: .version)) {
        case (let alias?, nil): self.init(model: model, selector: .alias(alias))
        case (nil, let version?): self.init(model: model, selector: version == "latest" ? .latest : .version(version))
        case (nil, nil): self.init(model: model, selector: .alias("champion"))
        case (_?, _?): throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription: "give either alias or version, not both")
        }
    }

    public var description: String {
        switch selector {
        case .alias(let alias): return "models:/\(model)@\(alias)"
        case .version(let version): return "models:/\(model)/\(version)"
        case .latest: return "models:/\(model)/latest"
        }
    }
}
