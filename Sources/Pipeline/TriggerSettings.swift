/// The `triggers:` section of `sluice.yml`.
public struct TriggerSettings: Decodable, Equatable, Sendable {
    /// `triggers.drift`: retrain on dataset drift, or when one of the watched features drifts.
    public struct Drift: Decodable, Equatable, Sendable {
        public var enabled: Bool
        /// Features whose drift alone fires the trigger, even without dataset drift.
        public var features: [String]

        public init(enabled: Bool = true, features: [String] = []) {
            self.enabled = enabled
            self.features = features
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            features = try c.decodeIfPresent([String].self, forKey: .features) ?? []
        }

        enum CodingKeys: String, CodingKey { case enabled, features }
    }

    /// `triggers.accuracy_decay`: the champion, evaluated on freshly labelled data, is below a
    /// floor or has dropped more than `max_drop` since its own training run.
    public struct AccuracyDecay: Decodable, Equatable, Sendable {
        public var metric: String
        public var floor: Double?
        public var maxDrop: Double?

        public init(metric: String, floor: Double? = nil, maxDrop: Double? = nil) {
            self.metric = metric
            self.floor = floor
            self.maxDrop = maxDrop
        }

        enum CodingKeys: String, CodingKey {
            case metric, floor
            case maxDrop = "max_drop"
        }
    }

    /// `triggers.schedule`: whether a scheduled pipeline always retrains.
    public enum Schedule: String, Decodable, Equatable, Sendable {
        case always
        case onTrigger = "on_trigger"
    }

    public var drift: Drift
    public var accuracyDecay: AccuracyDecay?
    public var schedule: Schedule
    /// Globs of training code, parameters and data paths; a change under one fires.
    public var changedPaths: [String]

    public init(drift: Drift = Drift(), accuracyDecay: AccuracyDecay? = nil, schedule: Schedule = .onTrigger, changedPaths: [String] = []) {
        self.drift = drift
        self.accuracyDecay = accuracyDecay
        self.schedule = schedule
        self.changedPaths = changedPaths
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        drift = try c.decodeIfPresent(Drift.self, forKey: .drift) ?? Drift()
        accuracyDecay = try c.decodeIfPresent(AccuracyDecay.self, forKey: .accuracyDecay)
        schedule = try c.decodeIfPresent(Schedule.self, forKey: .schedule) ?? .onTrigger
        changedPaths = try c.decodeIfPresent([String].self, forKey: .changedPaths) ?? []
    }

    enum CodingKeys: String, CodingKey {
        case drift, schedule
        case accuracyDecay = "accuracy_decay"
        case changedPaths = "changed_paths"
    }
}
