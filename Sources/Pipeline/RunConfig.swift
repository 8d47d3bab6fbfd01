import Config
import Drift
import Evaluation
import Gates
import MLflow
import ModelRegistry
import Packaging
import Training

/// The whole `sluice.yml` that `sluice run` reads: each capability's own section plus the
/// run's `data`, `triggers`, `champion`, `promote`, `report`, `registry`, `modes` and `mlflow`.
/// Decoding it checks every key of every section before any work starts.
public struct RunConfig: Decodable {
    public var data: DataSection
    public var drift: DriftSection
    public var triggers: TriggerSettings
    public var train: TrainSection?
    public var evaluate: EvaluateSection
    public var tests: TestsSection?
    public var gates: [GateSpec]
    public var champion: ChampionSection?
    public var package: PackageSpec?
    public var promote: PromoteSection
    public var report: ReportSection
    public var registry: RegistrySection
    public var modes: ModeSettings
    public var mlflow: MLflowSection?

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode(DataSection.self, forKey: .data)
        drift = try c.decodeIfPresent(DriftSection.self, forKey: .drift) ?? DriftSection()
        triggers = try c.decodeIfPresent(TriggerSettings.self, forKey: .triggers) ?? TriggerSettings()
        train = try c.decodeIfPresent(TrainSection.self, forKey: .train)
        evaluate = try c.decodeIfPresent(EvaluateSection.self, forKey: .evaluate) ?? EvaluateSection()
        tests = try c.decodeIfPresent(TestsSection.self, forKey: .tests)
        gates = try c.decodeIfPresent([GateSpec].self, forKey: .gates) ?? []
        champion = try c.decodeIfPresent(ChampionSection.self, forKey: .champion)
        package = try c.decodeIfPresent(PackageSpec.self, forKey: .package)
        promote = try c.decodeIfPresent(PromoteSection.self, forKey: .promote) ?? PromoteSection()
        report = try c.decodeIfPresent(ReportSection.self, forKey: .report) ?? ReportSection()
        registry = try c.decodeIfPresent(RegistrySection.self, forKey: .registry) ?? RegistrySection()
        modes = try c.decodeIfPresent(ModeSettings.self, forKey: .modes) ?? ModeSettings()
        mlflow = try c.decodeIfPresent(MLflowSection.self, forKey: .mlflow)
        if champion?.image != nil || champion?.mlflow != nil, evaluate.champion?.model != nil {
            throw DecodingError.dataCorruptedError(forKey: .champion, in: c, debugDescription: "set the champion either as champion.image (a registry image), champion.mlflow (a registered model) or as evaluate.champion.model (a path), not several")
        }
    }

    enum CodingKeys: String, CodingKey {
        case data, drift, triggers, train, evaluate, tests, gates, champion, package, promote, report, registry, modes, mlflow
    }
}

/// The `data:` section: the files the run checks and learns from.
public struct DataSection: Decodable, Equatable {
    /// What to do with rows of the current data that break the schema.
    public enum OnInvalid: String, ConfigChoice, Equatable {
        /// Any invalid row fails the run (exit 1).
        case fail
        /// Invalid rows are set aside in `rejected.csv`; the run goes on with the valid rows
        /// while they stay within `max_invalid_fraction`.
        case drop
    }

    /// The Table Schema the current data must meet.
    public var schema: String?
    /// The data the champion was trained on: a data file or a profile.
    public var reference: String
    /// The newest data: validated, compared with the reference, and (with labels) used for
    /// accuracy decay and retraining.
    public var current: String
    public var onInvalid: OnInvalid
    /// The largest share of invalid rows `drop` accepts.
    public var maxInvalidFraction: Double
    /// What a retrain learns from: `reference`, `current` (its valid rows), or both,
    /// concatenated by column name. When absent, `train.data` is used, else both.
    public var trainOn: [TrainingInput]?

    /// Holds rows of the reference out as the holdout (instead of an `evaluate.holdout` file).
    public var split: HoldoutSplit?

    /// A data set a retrain can learn from.
    public enum TrainingInput: String, ConfigChoice, Equatable { case reference, current }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(String.self, forKey: .schema)
        reference = try c.decode(String.self, forKey: .reference)
        current = try c.decode(String.self, forKey: .current)
        onInvalid = try c.decodeIfPresent(OnInvalid.self, forKey: .onInvalid) ?? .fail
        maxInvalidFraction = try c.decodeIfPresent(Double.self, forKey: .maxInvalidFraction) ?? 0.01
        trainOn = try c.decodeIfPresent([TrainingInput].self, forKey: .trainOn)
        split = try c.decodeIfPresent(HoldoutSplit.self, forKey: .split)
        guard (0...1).contains(maxInvalidFraction) else {
            throw DecodingError.dataCorruptedError(forKey: .maxInvalidFraction, in: c, debugDescription: "max_invalid_fraction must be between 0 and 1, got \(maxInvalidFraction)")
        }
        guard trainOn?.isEmpty != true else {
            throw DecodingError.dataCorruptedError(forKey: .trainOn, in: c, debugDescription: "train_on needs at least one of reference, current")
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, reference, current, split
        case onInvalid = "on_invalid", maxInvalidFraction = "max_invalid_fraction", trainOn = "train_on"
    }
}

/// The `champion:` section: the model in production, as a registry image.
public struct ChampionSection: Decodable, Equatable {
    /// The champion image, e.g. `registry.example.com/team/churn:champion`.
    public var image: String?
    /// The champion in an MLflow model registry, e.g. `models:/churn@champion`.
    public var mlflow: MLflowModelURI?
    /// The image layer holding the model.
    public var layer: String
    /// The model file inside that layer, for built-in models.
    public var modelFile: String

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        image = try c.decodeIfPresent(String.self, forKey: .image)
        mlflow = try c.decodeIfPresent(MLflowModelURI.self, forKey: .mlflow)
        if image != nil, mlflow != nil {
            throw DecodingError.dataCorruptedError(forKey: .mlflow, in: c, debugDescription: "set the champion either as champion.image or as champion.mlflow, not both")
        }
        layer = try c.decodeIfPresent(String.self, forKey: .layer) ?? "model"
        modelFile = try c.decodeIfPresent(String.self, forKey: .modelFile) ?? "model.json"
    }

    enum CodingKeys: String, CodingKey {
        case image, layer, mlflow
        case modelFile = "model_file"
    }
}

/// The `promote:` section.
public struct PromoteSection: Decodable, Equatable {
    /// The tag that marks the champion.
    public var tag: String = "champion"

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tag = try c.decodeIfPresent(String.self, forKey: .tag) ?? "champion"
    }

    enum CodingKeys: String, CodingKey { case tag }
}

/// The `report:` section: the merge request comment and the report files.
public struct ReportSection: Decodable, Equatable {
    /// One comment per key; default the CI job name.
    public var key: String?
    /// A Mustache template for the Markdown report.
    public var template: String?
    /// Also set a commit status carrying the verdict.
    public var status: Bool = false
    /// A report that cannot be posted fails the run (exit 3) instead of warning.
    public var requirePost: Bool = false
    /// The CI job whose artifacts hold the target branch's last `run.json` (the trend's
    /// source on GitLab); the GitLab template's scheduled job by default.
    public var historyJob: String = "sluice-nightly"
    /// The GitHub Actions artifact that holds the target branch's last `run.json` (the
    /// trend's source on GitHub); the starter workflow's by default.
    public var historyArtifact: String = "sluice-report"

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decodeIfPresent(String.self, forKey: .key)
        template = try c.decodeIfPresent(String.self, forKey: .template)
        status = try c.decodeIfPresent(Bool.self, forKey: .status) ?? false
        requirePost = try c.decodeIfPresent(Bool.self, forKey: .requirePost) ?? false
        historyJob = try c.decodeIfPresent(String.self, forKey: .historyJob) ?? "sluice-nightly"
        historyArtifact = try c.decodeIfPresent(String.self, forKey: .historyArtifact) ?? "sluice-report"
    }

    enum CodingKeys: String, CodingKey {
        case key, template, status
        case requirePost = "require_post", historyJob = "history_job", historyArtifact = "history_artifact"
    }
}

/// The `registry:` section: how the run talks to image registries.
public struct RegistrySection: Decodable, Equatable {
    /// Hosts spoken to over plain HTTP (loopback hosts always are).
    public var insecure: [String] = []
    /// Blobs transferred at once.
    public var parallel: Int = 3
    /// PEM CA certificates to trust.
    public var caBundle: String?
    /// Tries per request on connection errors, 5xx and 429.
    public var retries: Int = 5
    /// Upload blobs in PATCH chunks of this size, for proxies that limit bodies; nil is one PUT per blob.
    public var chunkSize: ByteSize?

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insecure = try c.decodeIfPresent([String].self, forKey: .insecure) ?? []
        parallel = try c.decodeIfPresent(Int.self, forKey: .parallel) ?? 3
        caBundle = try c.decodeIfPresent(String.self, forKey: .caBundle)
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? 5
        chunkSize = try c.decodeIfPresent(ByteSize.self, forKey: .chunkSize)
        guard (1...64).contains(parallel) else {
            throw DecodingError.dataCorruptedError(forKey: .parallel, in: c, debugDescription: "parallel must be between 1 and 64")
        }
        guard (1...100).contains(retries) else {
            throw DecodingError.dataCorruptedError(forKey: .retries, in: c, debugDescription: "retries must be between 1 and 100")
        }
        guard chunkSize.map({ $0.bytes >= 1 && $0.bytes <= Int64(Int32.max) }) ?? true else {
            throw DecodingError.dataCorruptedError(forKey: .chunkSize, in: c, debugDescription: "chunk_size must be between 1 byte and 2GiB")
        }
    }

    enum CodingKeys: String, CodingKey {
        case insecure, parallel, retries
        case caBundle = "ca_bundle", chunkSize = "chunk_size"
    }
}
