import Config
import Core
import Foundation
import ReportModel
import Training

/// The flags of `sluice train`, or what `sluice run` passes in their place (the training
/// data it assembled, its log path). Nil means "not given": sluice.yml or a default decides.
public struct TrainFlags {
    public var builtin: BuiltinTrainer?
    /// A command given after `--`.
    public var command: [String] = []
    public var shell = false
    public var timeout: ConfigDuration?
    public var data: String?
    public var schema: String?
    public var label: String?
    public var outputDirectory: String?
    public var cacheDirectory: String?
    public var log: String?
    public var noCache = false

    public init() {}
}

/// The resolved settings of the train stage.
public struct TrainSettings {
    public var plan: TrainPlan
    public var useCache: Bool
    /// With `data.split`: the split, and where the training side of `plan.data` is written.
    public var split: (HoldoutSplit, output: String)?

    /// Flags, then the `train:` section, then defaults; the label as every stage reads it.
    public static func resolve(_ flags: TrainFlags, _ sources: SettingsSources) throws -> TrainSettings {
        var section = try sources.section(TrainSection.self, "train") ?? TrainSection()
        if let builtin = flags.builtin { section.builtin = builtin; section.command = nil }
        if !flags.command.isEmpty { section.command = .arguments(flags.command); section.builtin = nil }
        if flags.shell { section.shell = true }
        if let timeout = flags.timeout { section.timeout = timeout }
        // Flag paths become absolute here, so the plan's resolution leaves them as given.
        section.data = flags.data.map(sources.absolutePath) ?? section.data
        section.schema = flags.schema.map(sources.absolutePath) ?? section.schema
        section.output = flags.outputDirectory.map(sources.absolutePath) ?? section.output
        section.cache = flags.cacheDirectory.map(sources.absolutePath) ?? section.cache
        section.log = flags.log.map(sources.absolutePath) ?? section.log
        section.label = try sources.labelColumn(flag: flags.label)
        var plan = try section.plan(resolve: sources.configPath)
        plan.cacheRoot = sources.file?.directory ?? sources.workingDirectory
        let split = try sources.section(DataSection.self, "data")?.split
        return TrainSettings(plan: plan, useCache: !flags.noCache, split: split.map { ($0, sources.workPath("split/train.csv")) })
    }

    /// How models are predicted with (`train.predict`, its working directory, environment
    /// and time limit, and the model `sluice train` writes); in process without a
    /// `train:` section that says how to train or predict.
    public static func predictionPlan(_ sources: SettingsSources) throws -> PredictionPlan {
        try sources.section(TrainSection.self, "train")?.predictionPlan(resolve: sources.configPath) ?? .inProcess
    }
}

/// Trains the candidate (built-in trainer or the user's command) behind the run cache.
public enum TrainStage: StageUseCase {
    public static let stage = Stage.train

    public static func run(_ settings: TrainSettings) throws -> TrainResult {
        var plan = settings.plan
        if let (split, output) = settings.split {
            // The held-out rows never reach training; a stable name keeps the cache key.
            try split.write(plan.data, side: .training, to: output)
            plan.data = output
        }
        return try Trainer.train(plan, useCache: settings.useCache)
    }
}
