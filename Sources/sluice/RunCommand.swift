import ArgumentParser
import Core
import Foundation
import Pipeline

/// `sluice run`: the whole continuous-training loop from one CI step.
struct RunCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the continuous-training loop: validate, drift, triggers, train, test, evaluate, gate, package, promote, report.",
        discussion: """
        Reads every stage's settings from sluice.yml (docs/config.md) and the pipeline kind from \
        the CI (GitLab CI_PIPELINE_SOURCE, Jenkins change requests, GitHub events) unless --mode \
        is given. Merge requests train when their changes or a trigger call for it, report, and \
        never promote; nightly pipelines retrain when a trigger fires and promote a candidate \
        that passes its gates. Outputs go to .sluice/runs/<run-id>/ (run.json, report.md, \
        report.html, junit.xml, metrics.txt, train.log, the image layout), with copies of the \
        report files in .sluice/latest/. Progress goes to stderr; the summary table to stdout. \
        Exit: 0 passed (or no retrain needed); 1 a verdict said no (invalid data, a failed \
        gate); 2 configuration error; 3 a stage broke (crashed training, registry, network).
        """
    )

    @Option(name: .long, help: "The configuration file.")
    var config = "sluice.yml"

    @Option(name: .long, help: "The pipeline kind: mr, nightly or push (default: from the CI; local runs are push).")
    var mode: PipelineMode?

    @Flag(name: .long, help: "Train whatever the triggers say.")
    var force = false

    @Flag(name: .customLong("no-cache"), help: "Train even when the run cache holds the outputs.")
    var noCache = false

    @Flag(name: .customLong("no-post"), help: "Never post the merge request comment.")
    var noPost = false

    @Option(name: .customLong("run-id"), help: "The run's id and directory name (default: time and CI ids).")
    var runId: String?

    @Option(name: .long, help: "The .sluice directory (default: beside the configuration file).")
    var root: String?

    @Option(name: .long, help: "text or json: what is printed on stdout at the end.")
    var format: ResultFormat = .text

    @Flag(name: .long, help: "No stage progress lines or registry progress (a training command's own output still streams, and is in train.log).")
    var quiet = false

    @Flag(name: .long, help: "Trace HTTP requests on stderr (secrets redacted).")
    var verbose = false

    func execute() throws -> ExitStatus {
        var options = RunOptions(configPath: config)
        options.mode = mode
        options.force = force
        options.noCache = noCache
        options.noPost = noPost
        options.runId = runId
        options.root = root
        options.quiet = quiet
        options.verbose = verbose
        let run = try ContinuousTrainingRun(options: options, log: StageLog(quiet: quiet))
        let result = run.execute()
        switch format {
        case .json:
            print(try JSONOutput.string(result.report), terminator: "")
        case .text:
            print(result.summaryTable)
            print("\n\(result.report.outcome.status.rawValue.uppercased()): \(result.report.outcome.summary)")
            print("run directory: \(result.directory)")
        }
        return result.exitStatus
    }
}

extension PipelineMode: ExpressibleByArgument {}

/// `sluice config`: commands about `sluice.yml` itself.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Commands about sluice.yml.",
        subcommands: [ConfigCheckCommand.self]
    )
}

/// `sluice config check`: every key of every section checked, without running anything.
struct ConfigCheckCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check sluice.yml: keys, types and meaning, each problem with file, line and column.",
        discussion: """
        Unknown keys (with suggestions), wrong types, missing keys, numbers out of range, \
        metric names against the task's metrics, column names against the schema (or the \
        reference's header), files that must exist, keys that exclude each other, and the \
        sections a trigger would need. sluice run makes the same check before any work. \
        Exit 0 when the file is valid, 2 otherwise. Runs nothing and writes no file.
        """
    )

    @Argument(help: "The configuration file.")
    var file = "sluice.yml"

    func execute() throws -> ExitStatus {
        try ConfigCheck.check(path: file)
        print("\(file): valid")
        return .success
    }
}
