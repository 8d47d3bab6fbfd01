import Core
import Foundation
import Stats
import Tabular

/// The flags of `sluice profile`. Nil means "not given": sluice.yml or a default decides.
public struct ProfileFlags {
    /// The data (default: `data.current`).
    public var data: String?
    /// The Table Schema (default: `data.schema`, the schema drift profiles both sides with).
    public var schema: String?
    /// Profile only this share of the data.
    public var share: TableShare?
    /// The widest table profiled (default `ProfileOptions.defaultColumnLimit`).
    public var columnLimit: Int?

    public init() {}
}

/// The resolved settings of a profile.
public struct ProfileSettings {
    /// The data as resolved (a flag's path as given, a `sluice.yml` path from its directory).
    public var data: String
    public var source: TableSource
    public var options: ProfileOptions
    /// Jobs that ride along the pass (progress lines, bytes read), set by the caller.
    public var observers: [RecordObserver] = []

    /// Flags, then `data.current` and `data.schema`, then defaults. The schema is the one
    /// `sluice drift` and the run's drift stage read, so a profile made here types each
    /// column as drift does when it is a side of `sluice drift`.
    public static func resolve(_ flags: ProfileFlags, _ sources: SettingsSources) throws -> ProfileSettings {
        let data = try sources.currentData(flag: flags.data, missing: "no data to profile: give DATA, or data.current in sluice.yml")
        var options = try sources.dataSchemaPath(flag: flags.schema).map { ProfileOptions(schema: try TableSchema.load(path: $0)) } ?? ProfileOptions()
        if let limit = flags.columnLimit {
            guard limit > 0 else { throw Failure.usage("--max-columns must be at least 1") }
            options.columnLimit = limit
        }
        var source = TableSource(path: data)
        if let share = flags.share {
            // A gzip or JSON Lines file is read whole by each job, which keeps its rows.
            if TableShare.canSplit(source) { source.share = share } else { options.shard = (share.index, share.count) }
        }
        return ProfileSettings(data: data, source: source, options: options)
    }
}

/// Profiles data in one streaming pass: `sluice profile` calls this; `sluice drift` and the
/// run's drift stage profile each data side with the same options (`DriftSide`).
public enum ProfileUseCase {
    public static func run(_ settings: ProfileSettings) throws -> Profiler {
        try Profiler.pass(settings.source, options: settings.options, observers: settings.observers)
    }
}
