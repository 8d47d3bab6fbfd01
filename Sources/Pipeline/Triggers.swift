import ReportModel

/// The retraining triggers a run can evaluate. Each is reported with the evidence that
/// fired it or not, so a reviewer can see why a model was (not) retrained.
public enum TriggerKind: String, Codable, CaseIterable, Sendable {
    case drift
    case accuracyDecay = "accuracy_decay"
    case schedule
    case changedPaths = "changed_paths"
    /// No champion exists yet: the first candidate that passes its gates becomes one.
    case noChampion = "no_champion"
    case force
}

/// What the triggers look at, gathered by earlier stages.
public struct TriggerInputs {
    /// The pipeline kind this run is.
    public var mode: PipelineMode
    /// `--force` was given.
    public var forced: Bool
    /// The drift stage's table, when it ran.
    public var drift: DriftSummary?
    /// The champion's metrics on freshly labelled data, when it could be evaluated.
    public var championFresh: [String: Double]?
    /// The champion's metrics from its own training run (image metadata or metrics file).
    public var championAtTraining: [String: Double]?
    /// Paths changed against the merge base, when known.
    public var changedPaths: [String]?
    /// Whether a champion model was found.
    public var championExists: Bool

    public init(mode: PipelineMode, forced: Bool = false, drift: DriftSummary? = nil, championFresh: [String: Double]? = nil, championAtTraining: [String: Double]? = nil, changedPaths: [String]? = nil, championExists: Bool = true) {
        self.mode = mode
        self.forced = forced
        self.drift = drift
        self.championFresh = championFresh
        self.championAtTraining = championAtTraining
        self.changedPaths = changedPaths
        self.championExists = championExists
    }
}

/// Evaluates the configured triggers for one run.
public struct TriggerEvaluator {
    public let settings: TriggerSettings
    /// Triggers allowed to fire in this run's mode; the others are reported but cannot fire.
    public let active: Set<TriggerKind>

    public init(settings: TriggerSettings, active: Set<TriggerKind>) {
        self.settings = settings
        self.active = active
    }

    /// One result per trigger kind, in a stable order.
    public func evaluate(_ inputs: TriggerInputs) -> [TriggerResult] {
        TriggerKind.allCases.map { kind in
            let (fired, evidence) = check(kind, inputs)
            if fired && !active.contains(kind) {
                return TriggerResult(name: kind.rawValue, fired: false, evidence: "\(evidence) (not a trigger in \(inputs.mode.rawValue) pipelines)")
            }
            return TriggerResult(name: kind.rawValue, fired: fired, evidence: evidence)
        }
    }

    private func check(_ kind: TriggerKind, _ inputs: TriggerInputs) -> (Bool, String) {
        switch kind {
        case .force:
            return inputs.forced ? (true, "--force was given") : (false, "not forced")
        case .schedule:
            guard inputs.mode == .nightly else { return (false, "not a scheduled pipeline") }
            return settings.schedule == .always ? (true, "scheduled pipeline with schedule: always") : (false, "scheduled pipeline; schedule: on_trigger retrains only when another trigger fires")
        case .drift:
            return checkDrift(inputs.drift)
        case .accuracyDecay:
            return checkDecay(inputs)
        case .changedPaths:
            return checkChangedPaths(inputs.changedPaths)
        case .noChampion:
            return inputs.championExists ? (false, "a champion exists") : (true, "no champion yet: a candidate that passes its gates becomes the first")
        }
    }

    private func checkDrift(_ drift: DriftSummary?) -> (Bool, String) {
        guard settings.drift.enabled else { return (false, "disabled") }
        guard let drift else { return (false, "drift was not measured") }
        let drifted = drift.features.filter(\.drifted).map(\.name)
        let watched = settings.drift.features.filter { drifted.contains($0) }
        let share = "\(drift.driftedFeatures) of \(drift.totalFeatures) features drifted (dataset drift at share \(format(drift.driftShareThreshold)))"
        if drift.datasetDrift {
            return (true, "dataset drift: \(share): \(drifted.joined(separator: ", "))")
        }
        if !watched.isEmpty {
            return (true, "watched feature drifted: \(watched.joined(separator: ", ")); \(share)")
        }
        return (false, "no dataset drift: \(share)\(drifted.isEmpty ? "" : ": \(drifted.joined(separator: ", "))")")
    }

    private func checkDecay(_ inputs: TriggerInputs) -> (Bool, String) {
        guard let decay = settings.accuracyDecay else { return (false, "not configured") }
        guard let fresh = inputs.championFresh?[decay.metric] else {
            return (false, "no champion \(decay.metric) on fresh labels (no champion or no labelled data)")
        }
        if let floor = decay.floor, fresh < floor {
            return (true, "champion \(decay.metric) \(format(fresh)) on fresh labels is below the floor \(format(floor))")
        }
        if let maxDrop = decay.maxDrop, let trained = inputs.championAtTraining?[decay.metric] {
            let drop = trained - fresh
            if drop > maxDrop {
                return (true, "champion \(decay.metric) dropped \(format(drop)) since training (\(format(trained)) → \(format(fresh))), more than \(format(maxDrop))")
            }
            return (false, "champion \(decay.metric) \(format(fresh)) on fresh labels, \(format(trained)) at training (drop \(format(drop)) within \(format(maxDrop)))")
        }
        return (false, "champion \(decay.metric) \(format(fresh)) on fresh labels\(decay.floor.map { " is at or above the floor \(format($0))" } ?? "")")
    }

    private func checkChangedPaths(_ changed: [String]?) -> (Bool, String) {
        guard !settings.changedPaths.isEmpty else { return (false, "no paths configured") }
        guard let changed else { return (false, "changed paths unknown (no merge base)") }
        let globs = settings.changedPaths.map(PathGlob.init)
        let hits = changed.filter { path in globs.contains { $0.matches(path) } }
        if hits.isEmpty { return (false, "\(changed.count) changed paths, none under \(settings.changedPaths.joined(separator: ", "))") }
        let shown = hits.prefix(5).joined(separator: ", ") + (hits.count > 5 ? " and \(hits.count - 5) more" : "")
        return (true, "changed: \(shown)")
    }

    private func format(_ value: Double) -> String {
        String(format: "%.4g", value)
    }
}
