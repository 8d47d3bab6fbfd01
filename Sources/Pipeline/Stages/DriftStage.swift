import Core
import Drift
import Foundation
import ReportModel
import Tabular

/// The flags of `sluice drift`, or what `sluice run` passes (the valid rows of the current data).
public struct DriftFlags {
    public var reference: String?
    public var current: String?
    public var schema: String?
    public var method: DriftMethod?
    public var columnMethods: [String: DriftMethod] = [:]
    public var threshold: Double?
    public var columnThresholds: [String: Double] = [:]
    public var columns: [String] = []
    public var driftShare: Double?
    public var exactLimit: Int?
    /// The label column, left out of the features.
    public var labelColumn: String?
    /// No progress lines while the data files are read.
    public var quiet = false

    public init() {}
}

/// The resolved settings of the drift stage.
public struct DriftSettings {
    public var reference: String
    public var current: String
    public var options: DriftOptions

    /// Flags, then the `drift:` and `data:` sections, then defaults. The label is never a
    /// feature (target drift is not feature drift), for `sluice drift` and `sluice run` alike.
    public static func resolve(_ flags: DriftFlags, _ sources: SettingsSources) throws -> DriftSettings {
        var section = try sources.section(DriftSection.self, "drift") ?? DriftSection()
        let data = try sources.section(DataSection.self, "data")
        if let method = flags.method { section.method = method }
        section.methods.merge(flags.columnMethods) { _, flag in flag }
        if let threshold = flags.threshold { section.threshold = threshold }
        section.thresholds.merge(flags.columnThresholds) { _, flag in flag }
        if !flags.columns.isEmpty { section.columns = flags.columns }
        if let share = flags.driftShare { section.driftShare = share }
        if let limit = flags.exactLimit { section.exactLimit = limit }
        guard section.driftShare > 0, section.driftShare <= 1 else { throw Failure.usage("--drift-share (drift.drift_share) \(section.driftShare): expected a share in (0, 1]") }
        guard section.exactLimit >= 0 else { throw Failure.usage("--exact-limit (drift.exact_limit) \(section.exactLimit): expected a count >= 0") }
        section.exclude.append(try sources.labelColumn(flag: flags.labelColumn))
        guard let reference = sources.path(flag: flags.reference, file: data?.reference) else {
            throw Failure.usage("no reference: pass --reference FILE or set data.reference in sluice.yml")
        }
        guard let current = sources.path(flag: flags.current, file: data?.current) else {
            throw Failure.usage("no current data: pass --current FILE or set data.current in sluice.yml")
        }
        let schema = try sources.dataSchemaPath(flag: flags.schema).map { try TableSchema.load(path: $0) }
        var options = section.options(schema: schema)
        options.progress = .automatic(quiet: flags.quiet, environment: sources.environment)
        return DriftSettings(reference: reference, current: current, options: options)
    }
}

/// Compares the current data with the reference, feature by feature.
public enum DriftStage: StageUseCase {
    public static let stage = Stage.drift

    public static func run(_ settings: DriftSettings) throws -> DriftSummary {
        try DriftDetector.compare(reference: settings.reference, current: settings.current, options: settings.options)
    }
}
