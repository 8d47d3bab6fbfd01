import ArgumentParser
import Core
import Drift
import Foundation
import Pipeline
import ReportModel
import Tabular

/// `sluice drift`: has the current data moved away from the reference?
struct DriftCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare current data with reference data, feature by feature.",
        discussion: """
        REF and CUR are each a data file (CSV, TSV, JSON Lines, gzip) or a profile from \
        `sluice profile`. The default method follows Evidently: numeric columns with more than \
        5 distinct values use KS (p <= 0.05) when the reference has at most 1000 values, else \
        the Wasserstein distance over the reference's standard deviation (>= 0.1); other columns \
        use chi-square (more than 2 values) or the z-test at p < 0.05 for small references, and \
        the Jensen-Shannon distance (>= 0.1) for large ones.
        Methods: \(DriftMethod.allCases.map(\.rawValue).joined(separator: ", ")).

        Examples:
          sluice drift --reference train.csv --current today.csv
          sluice drift --reference train.profile.json --current today.csv --method psi --fail-on-drift
          sluice drift --reference a.csv --current b.csv --column-method age=ks --format markdown

        Exit codes: 0 no dataset drift (or drift without --fail-on-drift); 1 dataset drift with \
        --fail-on-drift; 2 bad flags; 3 unreadable input. See docs/commands/drift.md.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @Option(name: .long, help: "The reference: a data file or a profile (default: data.reference of sluice.yml).")
    var reference: String?

    @Option(name: .long, help: "The current data: a data file or a profile (default: data.current).")
    var current: String?

    @Option(name: .long, help: "A Table Schema (JSON): types decide numeric or categorical; the primary key and date/time columns are left out (default: data.schema).")
    var schema: String?

    @Option(name: .long, help: "The label column, never compared as a feature (default: train.label, else evaluate.label_column, else label).")
    var labelColumn: String?

    @Option(name: .long, help: "auto (Evidently's choice) or a method for every feature.")
    var method = "auto"

    @Option(name: .long, parsing: .singleValue, help: "A method for one feature: COLUMN=METHOD (repeatable).")
    var columnMethod: [String] = []

    @Option(name: .long, help: "A threshold for every feature, instead of each method's default.")
    var threshold: Double?

    @Option(name: .long, parsing: .singleValue, help: "A threshold for one feature: COLUMN=VALUE (repeatable).")
    var columnThreshold: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "Compare only this column (repeatable).")
    var column: [String] = []

    @Option(name: .long, help: "The share of drifted features at which the dataset has drifted (default: drift.drift_share, else 0.5).")
    var driftShare: Double?

    @Option(name: .long, help: "Raw numbers kept per column and side for exact methods; beyond, sketches (default: \(DriftOptions.defaultExactValueLimit)).")
    var exactLimit: Int?

    @OptionGroup var configLocation: ConfigLocation

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: Format = .text

    @Option(name: .long, help: "Also write the JSON drift summary to this file.")
    var out: String?

    @Flag(name: .long, help: "Exit 1 when the dataset drifted.")
    var failOnDrift = false

    @Flag(name: .long, help: "No progress lines on stderr while large data files are read.")
    var quiet = false

    func execute() throws -> ExitStatus {
        let summary = try DriftStage.run(try DriftSettings.resolve(try flags(), try configLocation.sources()))
        switch format {
        case .json: print(try JSONOutput.string(summary), terminator: "")
        case .markdown: print(DriftTable.markdown(summary), terminator: "")
        case .text:
            let terminal = Terminal()
            print(DriftTable.text(summary) { line, drifted in drifted ? terminal.style(line, .red) : line }, terminator: "")
        }
        if let out { try AtomicFile.write(try JSONOutput.string(summary), to: out) }
        return summary.datasetDrift && failOnDrift ? .verdictFailed : .success
    }

    func flags() throws -> DriftFlags {
        var flags = DriftFlags()
        flags.reference = reference
        flags.current = current
        flags.schema = schema
        flags.labelColumn = labelColumn
        flags.columns = column
        flags.driftShare = driftShare
        flags.exactLimit = exactLimit
        flags.quiet = quiet
        if method != "auto" { flags.method = try Self.method(method) }
        for pair in columnMethod {
            let (name, value) = try Self.split(pair, flag: "--column-method", expected: "COLUMN=METHOD")
            flags.columnMethods[name] = try Self.method(value)
        }
        flags.threshold = threshold
        for pair in columnThreshold {
            let (name, value) = try Self.split(pair, flag: "--column-threshold", expected: "COLUMN=NUMBER")
            guard let number = Double(value) else { throw Failure.usage("--column-threshold \(pair): \(value) is not a number") }
            flags.columnThresholds[name] = number
        }
        return flags
    }

    static func method(_ name: String) throws -> DriftMethod {
        guard let method = DriftMethod(rawValue: name) else {
            throw Failure.usage("unknown drift method \(name); expected auto or one of \(DriftMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return method
    }

    static func split(_ pair: String, flag: String, expected: String) throws -> (String, String) {
        guard let equals = pair.lastIndex(of: "="), equals != pair.startIndex else {
            throw Failure.usage("\(flag) \(pair): expected \(expected)")
        }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }
}
