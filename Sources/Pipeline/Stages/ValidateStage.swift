import Core
import Foundation
import ReportModel
import Tabular
import Validation

/// The flags of `sluice validate`, or what `sluice run` passes in their place (each of its
/// data files, the quarantine that sets invalid rows aside).
public struct ValidateFlags {
    /// The data (default: `data.current`).
    public var data: String?
    /// The Table Schema (default: `data.schema`).
    public var schema: String?
    public var delimiter: UInt8?
    /// How many errors are kept in detail (default 1000).
    public var maxErrors: Int?
    /// Threads that check chunks at once (default: the job's CPUs, or `SLUICE_THREADS`).
    public var threads: Int?
    /// Read only this share of the data.
    public var share: TableShare?
    /// Write the share as a part for `sluice validate merge`.
    public var asPart = false
    /// Jobs that ride along the pass (a profiler, a quarantine, progress lines).
    public var observers: [RecordObserver] = []

    public init() {}
}

/// The resolved settings of the validate stage.
public struct ValidateSettings {
    /// The data as resolved (a flag's path as given, a `sluice.yml` path from its directory).
    public var data: String
    public var source: TableSource
    public var schema: TableSchema
    public var schemaPath: String
    public var options: ValidationOptions
    public var observers: [RecordObserver]

    /// Flags, then `data.current` and `data.schema`, then defaults. A share of data that
    /// cannot be split, or a part without a share, is a usage error here, before any reading.
    public static func resolve(_ flags: ValidateFlags, _ sources: SettingsSources) throws -> ValidateSettings {
        let data = try sources.currentData(flag: flags.data, missing: "no data to validate: give DATA, or data.current in sluice.yml")
        guard let schemaPath = try sources.dataSchemaPath(flag: flags.schema) else {
            throw Failure.usage("no schema: give --schema FILE, or data.schema in sluice.yml")
        }
        var source = TableSource(path: data, delimiter: flags.delimiter)
        if let share = flags.share {
            guard TableShare.canSplit(source) else {
                throw Failure.usage("--shard needs a dataset (a directory or glob of files), a Parquet file or a plain CSV file; \(data) is \(data == "-" ? "standard input" : source.format == .csv ? "gzip-compressed, which must be inflated from its start to reach any byte" : "one \(source.format.rawValue) file"): split it into files (for example `split -n l/\(share.count)` after the header), decompress it, or convert it to Parquet")
            }
            if !flags.asPart && !DatasetFiles.isDataset(data) && source.format == .csv {
                throw Failure.usage("--shard on one CSV file reads a byte range, whose rows cannot be numbered without reading the bytes before it: add --part FILE and merge the parts with `sluice validate merge`, which numbers rows and lines as a single pass")
            }
            source.share = share
        } else if flags.asPart {
            throw Failure.usage("--part writes one share's part: give --shard i/N too")
        }
        var options = ValidationOptions(asPart: flags.asPart, threads: flags.threads ?? ValidationOptions.defaultThreads)
        if let maxErrors = flags.maxErrors { options.maxErrors = maxErrors }
        return ValidateSettings(data: data, source: source, schema: try TableSchema.load(path: schemaPath), schemaPath: schemaPath,
                                options: options, observers: flags.observers)
    }
}

/// Checks data against its Table Schema in one streaming pass. `sluice validate` and the
/// run's validate stage (on the reference and on the current data) both call this.
public enum ValidateStage: StageUseCase {
    public static let stage = Stage.validate

    public static func run(_ settings: ValidateSettings) throws -> ValidationSummary {
        try Validator(schema: settings.schema, schemaPath: settings.schemaPath, options: settings.options)
            .validate(settings.source, observers: settings.observers)
    }
}
