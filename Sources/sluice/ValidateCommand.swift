import ArgumentParser
import Core
import Foundation
import Pipeline
import ReportModel
import Stats
import Tabular
import Validation

/// `sluice validate`: checks data against a Table Schema, or merges the parts of shards.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a data file against a Frictionless Table Schema, or merge the parts of shards.",
        discussion: """
        Validate in parallel CI jobs with --shard i/N --part FILE, then put the parts together \
        with `sluice validate merge`. See docs/commands/validate.md.
        """,
        subcommands: [ValidateDataCommand.self, ValidateMergeCommand.self],
        defaultSubcommand: ValidateDataCommand.self
    )
}

/// `sluice validate DATA --schema SCHEMA.json`: checks a data file against a Table Schema.
struct ValidateDataCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check a data file against a Frictionless Table Schema.",
        discussion: """
        Reads CSV (RFC 4180), TSV or JSON Lines, gzip-compressed or not, or Parquet, in one streaming \
        pass, and reports errors with frictionless's names (type-error, constraint-error, \
        missing-cell, unique-error, primary-key, ...). Counts per error type and per field are \
        always complete; details stop at --max-errors.

        Exit codes: 0 the data is valid; 1 the data is invalid; 2 a bad schema or bad \
        arguments; 3 the data file cannot be read.

        Examples:
          sluice validate                                    # in a project: data.current against data.schema
          sluice validate data/current.csv --schema schema.json
          sluice validate events.jsonl.gz --schema events.schema.json --format json
          sluice validate data.csv --schema schema.json --format junit > validation.xml
          sluice validate data.csv --schema schema.json --profile data.profile.json   # one read, both jobs
          sluice validate big.csv --schema schema.json --shard 2/4 --part part-2.json   # a quarter of the bytes
        """
    )

    @Argument(help: "The data file (.csv, .tsv, .jsonl, optionally .gz; or .parquet), a directory or glob of such files, or - for standard input (default: data.current of sluice.yml).")
    var data: String?

    @Option(name: .long, help: "The Table Schema JSON file (default: data.schema of sluice.yml).")
    var schema: String?

    @OptionGroup var configLocation: ConfigLocation

    @OptionGroup var output: ValidationOutput

    @Option(name: .long, help: "The field delimiter of delimited text, one character or 'tab' (default: from the file name, else ',').")
    var delimiter: String?

    @Option(name: .long, help: "Also write the data's profile (see `sluice profile`) from the same pass.")
    var profile: String?

    @Option(name: .long, help: "Threads that check a plain CSV file (or its --shard byte range) at once, in chunks (default: the CPUs this job may use, or SLUICE_THREADS); 1 reads it in one pass, as gzip, JSON Lines, Parquet, standard input and --profile always are. Results are the same for any number.")
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp(stringLiteral: ShardOption.help))
    var shard: String?

    @Option(name: .long, help: "With --shard: write this share's part (JSON) for `sluice validate merge` instead of a report; exit 0 once written (the merge gives the verdict). Needed for one CSV file.")
    var part: String?

    @Flag(name: .long, help: "No progress lines on stderr (a large file otherwise shows bytes, rate and ETA).")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, got \(threads)") }
        _ = try DelimiterOption.byte(delimiter)
    }

    func execute() throws -> ExitStatus {
        var flags = ValidateFlags()
        flags.data = data
        flags.schema = schema
        flags.delimiter = try DelimiterOption.byte(delimiter)
        flags.maxErrors = output.maxErrors
        flags.threads = threads
        flags.share = try ShardOption.resolve(shard)
        flags.asPart = part != nil
        var settings = try ValidateSettings.resolve(flags, try configLocation.sources())
        for warning in settings.schema.warnings { Diagnostics.warning(warning) }
        let profiler = profile.map { _ in Profiler(options: ProfileOptions(schema: settings.schema)) }
        let bytes = BytesReadObserver()
        let progress = ReadProgress("validate \(settings.data)", path: settings.data, reporter: .automatic(quiet: quiet))
        settings.observers = (profiler.map { [$0] } ?? []) + [bytes, progress]
        let summary = try ValidateStage.run(settings)
        if let share = settings.source.share { ShardOption.report(share, bytesRead: bytes.bytesRead, of: settings.data) }
        if let profile, let profiler {
            try profiler.write(to: profile)
        }
        if let part, let parts = summary.share {
            try AtomicFile.write(try JSONOutput.string(summary), to: part)
            print("part \(parts.index)/\(parts.count) of \(settings.data): \(summary.rowCount) rows, \(summary.errorCount) errors before the merge -> \(part)")
            return .success
        }
        if summary.rowCount == 0 && summary.errorsByType["source-error"] == nil {
            Diagnostics.warning("\(settings.data) has a header but no data rows (require rows with \"sluice\": {\"rowCount\": {\"min\": 1}} in the schema)")
        }
        print(try output.format.render(summary), terminator: "")
        return summary.valid ? .success : .verdictFailed
    }
}

/// How `sluice validate` and `sluice validate merge` report.
struct ValidationOutput: ParsableArguments {
    @Option(name: .long, help: "Output: text (for people), json (for machines) or junit (for CI test panels).")
    var format: ValidationFormat = .text

    @Option(name: .customLong("max-errors"), help: "How many errors to report in detail (counts stay complete).")
    var maxErrors: Int = 1000

    func validate() throws {
        if maxErrors < 0 { throw ValidationError("--max-errors must be 0 or more, got \(maxErrors)") }
    }
}

/// The output formats of `sluice validate`.
enum ValidationFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit

    /// The summary as this format prints it.
    func render(_ summary: ValidationSummary) throws -> String {
        switch self {
        case .text: return ValidationText.render(summary)
        case .json: return try JSONOutput.string(summary)
        case .junit: return ValidationJUnit.document(summary).xml
        }
    }
}

/// `sluice validate merge PART... --schema SCHEMA.json`: the parts of `--shard i/N --part`
/// jobs as one validation.
struct ValidateMergeCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the parts of validate --shard jobs into the validation of the whole.",
        discussion: """
        Rows and lines are numbered as in a single pass; unique fields and the primary key are \
        checked across shares (by fingerprints); the schema's row-count and missing-fraction \
        checks run on the whole. Every share's part must be given, once.

        Exit codes: 0 the data is valid; 1 invalid; 2 parts missing, repeated or of other runs, \
        or a bad schema; 3 a part cannot be read.

        Example: sluice validate merge part-*.json --schema schema.json --format junit > validation.xml
        """
    )

    @Argument(help: "The parts written by `sluice validate DATA --shard i/N --part FILE`, one per share.")
    var parts: [String]

    @Option(name: .long, help: "The Table Schema JSON file the parts were validated against.")
    var schema: String

    @OptionGroup var output: ValidationOutput

    func execute() throws -> ExitStatus {
        guard !parts.isEmpty else { throw Failure.usage("give the part of every share to merge") }
        let tableSchema = try TableSchema.load(path: schema)
        let summaries = try parts.map { path -> ValidationSummary in
            guard let bytes = FileManager.default.contents(atPath: path) else { throw Failure(.runtime, "\(path): cannot read the part") }
            do { return try JSONDecoder().decode(ValidationSummary.self, from: bytes) } catch {
                throw Failure.usage("\(path): not a part written by validate --part: \(error)")
            }
        }
        let summary = try ValidationMerge.merge(summaries, schema: tableSchema, schemaPath: schema, maxErrors: output.maxErrors)
        print(try output.format.render(summary), terminator: "")
        return summary.valid ? .success : .verdictFailed
    }
}
