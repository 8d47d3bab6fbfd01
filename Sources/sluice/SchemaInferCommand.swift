import ArgumentParser
import Core
import Foundation
import Tabular
import Validation

/// `sluice schema infer DATA`: writes a Table Schema that describes a data file.
struct SchemaInferCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Infer a Table Schema from reference data.",
        discussion: """
        Reads the whole file in one streaming pass. Types are chosen in the order boolean, \
        integer, number, date, datetime, time, string; a column without missing cells is \
        required; a string column with few distinct values gets an enum. The schema \
        validates the data it came from with zero errors: review and tighten it, then commit it.

        Exit codes: 0 written; 1 the data cannot have a schema (duplicate column names); \
        2 bad arguments; 3 the file cannot be read or the output cannot be written.

        Examples:
          sluice schema infer data/reference.csv --out schema.json
          sluice schema infer data.csv --bounds --enum-threshold 20
        """
    )

    @Argument(help: "The data file (.csv, .tsv, .jsonl, optionally .gz; or .parquet), or - for standard input.")
    var data: String

    @Option(name: .long, help: "Write the schema to this file (atomically) instead of standard output.")
    var out: String?

    @Option(name: .customLong("enum-threshold"), help: "A string column with at most this many distinct values gets an enum (0 for none).")
    var enumThreshold: Int = 10

    @Flag(name: .long, help: "Add minimum and maximum from the observed values of numeric and temporal columns.")
    var bounds = false

    @Option(name: .long, help: "The field delimiter of delimited text, one character or 'tab'.")
    var delimiter: String?

    func validate() throws {
        if enumThreshold < 0 { throw ValidationError("--enum-threshold must be 0 or more, got \(enumThreshold)") }
        _ = try DelimiterOption.byte(delimiter)
    }

    func execute() throws -> ExitStatus {
        let source = TableSource(path: data, delimiter: try DelimiterOption.byte(delimiter))
        let schema = try SchemaInference.infer(source, options: InferenceOptions(enumThreshold: enumThreshold, bounds: bounds))
        let json = try schema.jsonString()
        if let out {
            try AtomicFile.write(json, to: out)
            Diagnostics.line("wrote \(out): \(schema.fields.count) fields")
        } else {
            print(json, terminator: "")
        }
        return .success
    }
}
