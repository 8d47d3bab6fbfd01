import ArgumentParser
import Core
import Foundation
import Pipeline
import Stats
import Tabular

/// `sluice profile`: per-column statistics of a data file, or the merge of several profiles.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Profile a data file in one streaming pass, or merge profiles of shards.",
        discussion: """
        A profile holds, per column: count, missing, min, max, mean, variance, zeros, a KLL \
        quantile sketch, equal-width and quantile histograms, top values and a HyperLogLog \
        distinct count. Profiles are versioned JSON and mergeable: profile shards in parallel \
        CI jobs (--shard i/N) and merge them with `sluice profile merge`. See docs/commands/profile.md.
        """,
        subcommands: [ProfileDataCommand.self, ProfileMergeCommand.self],
        defaultSubcommand: ProfileDataCommand.self
    )
}

/// `sluice profile DATA --out profile.json`.
struct ProfileDataCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Profile a CSV, TSV, JSON Lines (gzip too) or Parquet file in one pass.",
        discussion: """
        Examples:
          sluice profile data/train.csv --schema schema.json --out train.profile.json
          sluice profile data/big.csv --shard 2/4 --out shard-2.json   # the second quarter of the bytes
          sluice profile --out current.profile.json    # in a project: data.current, typed by data.schema
        Exit codes: 0 written; 2 bad flags or schema; 3 unreadable data or unwritable output.
        """
    )

    @Argument(help: "The data file (CSV, TSV, JSON Lines; .gz read transparently; or Parquet), or a directory or glob of such files (default: data.current of sluice.yml).")
    var data: String?

    @Option(name: .long, help: "Where to write the profile (JSON).")
    var out: String

    @Option(name: .long, help: "A Table Schema (JSON): field types decide numeric or categorical; its missing values apply (default: data.schema of sluice.yml, the schema drift reads).")
    var schema: String?

    @OptionGroup var configLocation: ConfigLocation

    @Option(name: .long, help: "Profile only share i of N (1-based; 'ci' for CI_NODE_INDEX/CI_NODE_TOTAL): whole files of a dataset, row groups of a Parquet file, a byte range of one plain CSV cut at record starts; of one gzip or JSON Lines file (read whole by every job), the rows whose number is i modulo N.")
    var shard: String?

    @Option(name: .long, help: "Stop with an error on a table wider than this (memory budget: docs/performance.md, \"Width\").")
    var maxColumns: Int = ProfileOptions.defaultColumnLimit

    @Flag(name: .long, help: "Print nothing on success, and no progress lines on stderr.")
    var quiet = false

    func execute() throws -> ExitStatus {
        var flags = ProfileFlags()
        flags.data = data
        flags.schema = schema
        flags.share = try ShardOption.resolve(shard)
        flags.columnLimit = maxColumns
        var settings = try ProfileSettings.resolve(flags, try configLocation.sources())
        let bytes = BytesReadObserver()
        settings.observers = [bytes, ReadProgress("profile \(settings.data)", path: settings.data, reporter: .automatic(quiet: quiet))]
        let profiler = try ProfileUseCase.run(settings)
        try profiler.write(to: out)
        if let share = settings.source.share, !quiet { ShardOption.report(share, bytesRead: bytes.bytesRead, of: settings.data) }
        if !quiet {
            print("profiled \(profiler.rowCount) rows, \(profiler.columnCount) columns of \(profiler.sources.joined()) -> \(out)")
        }
        return .success
    }
}

/// `sluice profile merge a.json b.json ... --out all.json`.
struct ProfileMergeCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge profiles of disjoint parts of a dataset into the profile of the whole.",
        discussion: """
        Counts, min, max, mean and variance equal those of profiling the concatenated data; \
        quantiles stay within the sketch's rank-error bound.
        Example: sluice profile merge shard-*.json --out all.profile.json
        Exit codes: 0 written; 2 not a profile, another profile version, or incompatible profiles; 3 I/O.
        """
    )

    @Argument(help: "Profiles to merge.")
    var profiles: [String]

    @Option(name: .long, help: "Where to write the merged profile (JSON).")
    var out: String

    @Flag(name: .long, help: "Print nothing on success.")
    var quiet = false

    func execute() throws -> ExitStatus {
        guard !profiles.isEmpty else { throw Failure.usage("give at least one profile to merge") }
        let parts = try profiles.map { try Profile.read(path: $0) }
        let merged: Profile
        do { merged = try Profile.merged(parts) } catch let error as MergeError {
            throw Failure.usage("cannot merge \(profiles.joined(separator: ", ")): \(error.message)")
        }
        try ProfileWriter.write(merged, to: out)
        if !quiet { print("merged \(parts.count) profiles, \(merged.rowCount) rows -> \(out)") }
        return .success
    }
}
