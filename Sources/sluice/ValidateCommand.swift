import ArgumentParser
import Core
import Foundation
import Stats
import Tabular
import Validation

/// `sluice validate DATA --schema SCHEMA.json`: checks a data file against a Table Schema.
struct ValidateCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a data file against a Frictionless Table Schema.",
        discussion: """
        Reads CSV (RFC 4180), TSV or JSON Lines, gzip-compressed or not, or Parquet, in one streaming \
        pass, and reports errors with frictionless's names (type-error, constraint-error, \
        missing-cell, unique-error, primary-key, ...). Counts per error type and per field are \
        always complete; details stop at --max-errors.

        Exit codes: 0 the data is valid; 1 the data is invalid; 2 a bad schema or bad \
        arguments; 3 the data file cannot be read.

        Examples:
          sluice validate data/current.csv --schema schema.json
          sluice validate events.jsonl.gz --schema events.schema.json --format json
          sluice validate data.csv --schema schema.json --format junit > validation.xml
          sluice validate data.csv --schema schema.json --profile data.profile.json   # one read, both jobs
        """
    )

    @Argument(help: "The data file (.csv, .tsv, .jsonl, optionally .gz; or .parquet), or - for standard input.")
    var data: String

    @Option(name: .long, help: "The Table Schema JSON file.")
    var schema: String

    @Option(name: .long, help: "Output: text (for people), json (for machines) or junit (for CI test panels).")
    var format: ValidationFormat = .text

    @Option(name: .customLong("max-errors"), help: "How many errors to report in detail (counts stay complete).")
    var maxErrors: Int = 1000

    @Option(name: .long, help: "The field delimiter of delimited text, one character or 'tab' (default: from the file name, else ',').")
    var delimiter: String?

    @Option(name: .long, help: "Also write the data's profile (see `sluice profile`) from the same pass.")
    var profile: String?

    @Option(name: .long, help: ArgumentHelp(stringLiteral: ShardOption.help))
    var shard: String?

    @Flag(name: .long, help: "No progress lines on stderr (a large file otherwise shows bytes, rate and ETA).")
    var quiet = false

    func validate() throws {
        if maxErrors < 0 { throw ValidationError("--max-errors must be 0 or more, got \(maxErrors)") }
        _ = try DelimiterOption.byte(delimiter)
    }

    func execute() throws -> ExitStatus {
        let tableSchema = try TableSchema.load(path: schema)
        for warning in tableSchema.warnings { Diagnostics.warning(warning) }
        var source = TableSource(path: data, delimiter: try DelimiterOption.byte(delimiter))
        let share = try ShardOption.resolve(shard)
        if let share {
            guard TableShare.canSplit(source) else {
                throw Failure.usage("--shard needs a dataset (a directory or glob of files) or a Parquet file; \(data) is one \(source.format.rawValue) file, which cannot be cut at record boundaries without reading it all: split it into files (for example `split -n l/\(share.count)` after the header) or convert it to Parquet")
            }
            source.share = share
        }
        let validator = Validator(schema: tableSchema, schemaPath: schema, options: ValidationOptions(maxErrors: maxErrors))
        let profiler = profile.map { _ in Profiler(options: ProfileOptions(schema: tableSchema)) }
        let bytes = BytesReadObserver()
        let progress = ReadProgress("validate \(data)", path: data, reporter: .automatic(quiet: quiet))
        let summary = try validator.validate(source, observers: (profiler.map { [$0] } ?? []) + [bytes, progress])
        if let share { ShardOption.report(share, bytesRead: bytes.bytesRead, of: data) }
        if let profile, let profiler {
            try profiler.write(to: profile)
        }
        if summary.rowCount == 0 && summary.errorsByType["source-error"] == nil {
            Diagnostics.warning("\(data) has a header but no data rows (require rows with \"sluice\": {\"rowCount\": {\"min\": 1}} in the schema)")
        }
        switch format {
        case .text: print(ValidationText.render(summary), terminator: "")
        case .json: print(try JSONOutput.string(summary), terminator: "")
        case .junit: print(ValidationJUnit.document(summary).xml, terminator: "")
        }
        return summary.valid ? .success : .verdictFailed
    }
}

/// The output formats of `sluice validate`.
enum ValidationFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit
}
