import Foundation

/// A key and a value, MLflow's shape for params and tags.
public struct MLflowKeyValue: Codable, Sendable, Equatable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// One metric value as MLflow stores it (time in milliseconds since 1970).
public struct MLflowMetric: Codable, Sendable, Equatable {
    public var key: String
    public var value: Double
    public var timestamp: Int64
    public var step: Int64

    public init(key: String, value: Double, timestamp: Int64, step: Int64 = 0) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
    }
}

/// An experiment: a named group of runs.
public struct MLflowExperiment: Decodable, Sendable, Equatable {
    public let experimentID: String
    public let name: String
    /// Where the runs' artifacts go by default, e.g. `mlflow-artifacts:/1`.
    public let artifactLocation: String?
    /// `active` or `deleted`.
    public let lifecycleStage: String?

    enum CodingKeys: String, CodingKey {
        case experimentID = "experiment_id", name, artifactLocation = "artifact_location", lifecycleStage = "lifecycle_stage"
    }
}

/// A run's status as MLflow names it.
public enum MLflowRunStatus: String, Codable, Sendable {
    case running = "RUNNING", scheduled = "SCHEDULED", finished = "FINISHED", failed = "FAILED", killed = "KILLED"
}

/// A run: its identity and where its artifacts live, plus what was logged to it.
public struct MLflowRun: Decodable, Sendable, Equatable {
    public struct Info: Decodable, Sendable, Equatable {
        public let runID: String
        public let experimentID: String
        public let runName: String?
        public let status: MLflowRunStatus?
        /// When the run started, in milliseconds since 1970.
        public let startTime: Int64?
        /// The artifact root, e.g. `mlflow-artifacts:/1/<run id>/artifacts` or an https URL.
        public let artifactURI: String

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", experimentID = "experiment_id", runName = "run_name", status, startTime = "start_time", artifactURI = "artifact_uri"
        }
    }

    public struct Data: Decodable, Sendable, Equatable {
        public let metrics: [MLflowMetric]
        public let params: [MLflowKeyValue]
        public let tags: [MLflowKeyValue]

        enum CodingKeys: String, CodingKey { case metrics, params, tags }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            metrics = try c.decodeIfPresent([MLflowMetric].self, forKey: .metrics) ?? []
            params = try c.decodeIfPresent([MLflowKeyValue].self, forKey: .params) ?? []
            tags = try c.decodeIfPresent([MLflowKeyValue].self, forKey: .tags) ?? []
        }

        init() {
            metrics = []
            params = []
            tags = []
        }
    }

    public let info: Info
    public let data: Data

    enum CodingKeys: String, CodingKey { case info, data }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        info = try c.decode(Info.self, forKey: .info)
        data = try c.decodeIfPresent(Data.self, forKey: .data) ?? Data()
    }

    /// The latest value of each metric, by key.
    public var latestMetrics: [String: Double] {
        var latest: [String: MLflowMetric] = [:]
        for metric in data.metrics where latest[metric.key].map({ ($0.timestamp, $0.step) < (metric.timestamp, metric.step) }) ?? true {
            latest[metric.key] = metric
        }
        return latest.mapValues(\.value)
    }

    /// The value of tag `key`, if set.
    public func tag(_ key: String) -> String? { data.tags.last { $0.key == key }?.value }

    /// The value of param `key`, if set.
    public func param(_ key: String) -> String? { data.params.last { $0.key == key }?.value }
}

/// A registered model: a name under which versions are registered.
public struct MLflowRegisteredModel: Decodable, Sendable, Equatable {
    public struct Alias: Decodable, Sendable, Equatable {
        public let alias: String
        public let version: String
    }

    public let name: String
    /// Aliases pointing at versions (absent on servers without aliases, such as GitLab).
    public let aliases: [Alias]

    enum CodingKeys: String, CodingKey { case name, aliases }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        aliases = try c.decodeIfPresent([Alias].self, forKey: .aliases) ?? []
    }
}

/// One version of a registered model.
public struct MLflowModelVersion: Decodable, Sendable, Equatable {
    public let name: String
    /// The version as the server numbers it: "3" on MLflow, a semantic version such as "1.0.0" on GitLab.
    public let version: String
    /// Where the version's files are, e.g. `mlflow-artifacts:/1/<run id>/artifacts/model`.
    public let source: String?
    /// The run that produced it.
    public let runID: String?
    /// `READY` once the server has the files.
    public let status: String?
    public let tags: [MLflowKeyValue]
    public let aliases: [String]

    enum CodingKeys: String, CodingKey { case name, version, source, runID = "run_id", status, tags, aliases }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        version = try c.decode(String.self, forKey: .version)
        source = try c.decodeIfPresent(String.self, forKey: .source).flatMap { $0.isEmpty ? nil : $0 }
        runID = try c.decodeIfPresent(String.self, forKey: .runID).flatMap { $0.isEmpty ? nil : $0 }
        status = try c.decodeIfPresent(String.self, forKey: .status)
        tags = try c.decodeIfPresent([MLflowKeyValue].self, forKey: .tags) ?? []
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
    }

    /// The value of tag `key`, if set.
    public func tag(_ key: String) -> String? { tags.last { $0.key == key }?.value }
}

/// One entry of an artifact listing, its path relative to the artifact root.
public struct MLflowArtifactFile: Sendable, Equatable {
    public let path: String
    public let isDirectory: Bool
    public let size: Int64?
}

/// One page of runs from `runs/search`; `nextPageToken` asks for the next.
public struct MLflowRunsPage: Decodable, Sendable, Equatable {
    public let runs: [MLflowRun]
    public let nextPageToken: String?

    enum CodingKeys: String, CodingKey { case runs, nextPageToken = "next_page_token" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // MLflow leaves `runs` out of the answer when none match.
        runs = try c.decodeIfPresent([MLflowRun].self, forKey: .runs) ?? []
        nextPageToken = try c.decodeIfPresent(String.self, forKey: .nextPageToken)
    }
}

/// Pieces of MLflow's run search syntax (`metrics.`, `params.`, `tags.`, `attributes.`
/// identifiers compared with constants, joined by AND), quoted so any key or value is
/// read as itself.
public enum MLflowSearchFilter {
    /// `tags.`key` = 'value'` (or `!=` when `equal` is false). Keys go in backticks, which
    /// MLflow needs for names with dots; values in single quotes, else double quotes when
    /// they hold a single quote. Nil when the value holds both (MLflow has no escape for that).
    public static func tag(_ key: String, _ value: String, equal: Bool = true) -> String? {
        guard !key.contains("`"), let literal = literal(value) else { return nil }
        return "tags.`\(key)` \(equal ? "=" : "!=") \(literal)"
    }

    /// `metrics.`key` >= value`, which only runs that logged the metric match.
    public static func metric(_ key: String, atLeast value: Double) -> String {
        "metrics.`\(key)` >= \(value)"
    }

    /// `attributes.status = 'FINISHED'`.
    public static func status(_ status: MLflowRunStatus) -> String {
        "attributes.status = '\(status.rawValue)'"
    }

    static func literal(_ value: String) -> String? {
        if !value.contains("'") { return "'\(value)'" }
        if !value.contains("\"") { return "\"\(value)\"" }
        return nil
    }
}
