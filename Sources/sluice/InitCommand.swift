import ArgumentParser
import Core
import Foundation
import Scaffolding

/// `sluice init`: a starter sluice.yml, schema.json and CI file for a repository.
struct InitCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter sluice.yml, a schema inferred from the data, and the CI file.",
        discussion: """
        Reads the reference data to infer schema.json (as `sluice schema infer` does), again \
        for the label column, whose values choose the task: two values binary (built-in \
        logistic regression), numbers with many values regression (built-in linear \
        regression), up to 20 values multiclass (built-in multinomial logistic regression), \
        and once more for the leakage check: a feature that gives the label away goes into \
        train.exclude. \
        The sluice.yml refers to the data by its path from DIR, and to current and holdout \
        files beside it; \
        every key is commented. --ci adds .gitlab-ci.yml (the sluice-run component), a \
        Jenkinsfile (the sluiceRun step) or .github/workflows/sluice.yml. No file is replaced \
        unless --force is given: when one exists, nothing is written. See docs/commands/init.md.

        Exit codes: 0 written; 2 bad arguments, a label that is not there or fits no task, \
        files that exist (without --force); 3 the data or a file cannot be read or written.

        Examples:
          sluice init --data data/reference.csv --label churned --ci gitlab
          sluice init --data train.csv --ci github --dir ../my-model
        """
    )

    @Option(name: .long, help: "The CI system to write a pipeline file for: gitlab, jenkins or github.")
    var ci: CISystem?

    @Option(name: .long, help: "The reference data (.csv, .tsv, .jsonl, optionally .gz; or .parquet); required.")
    var data: String?

    @Option(name: .long, help: "The label column (default: a column named label or target).")
    var label: String?

    @Option(name: .long, help: "The repository root to write into.")
    var dir = "."

    @Flag(name: .long, help: "Replace files that exist.")
    var force = false

    func validate() throws {
        guard let data else {
            // Adding a CI system to a repository that has its sluice.yml needs no data.
            if ci != nil, FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("sluice.yml")) { return }
            throw ValidationError("sluice init needs --data FILE: the reference data the schema is inferred from and the task read from its label (e.g. sluice init --data data/reference.csv --label churned)")
        }
        guard FileManager.default.fileExists(atPath: data) else {
            throw ValidationError("--data \(data): no such file")
        }
    }

    func execute() throws -> ExitStatus {
        let request = StarterProject.Request(directory: dir, data: data, label: label, ci: ci)
        let taken = StarterProject.existing(StarterProject.paths(request), in: dir)
        if !force && !taken.isEmpty {
            throw Failure.usage("\(taken.joined(separator: ", ")) already \(taken.count == 1 ? "exists" : "exist") in \(dir); nothing was written (pass --force to replace \(taken.count == 1 ? "it" : "them"))")
        }
        let project = try StarterProject(request)
        try project.write()
        for warning in project.warnings { Diagnostics.line("warning: \(warning)") }
        let shown = project.files.map { dir == "." ? $0.path : (dir as NSString).appendingPathComponent($0.path) }
        let width = shown.map(\.count).max() ?? 0
        for (path, file) in zip(shown, project.files) {
            print("wrote \(path.padding(toLength: width, withPad: " ", startingAt: 0))  \(file.description)")
        }
        print("\nnext:")
        for (number, step) in project.nextSteps.enumerated() { print("  \(number + 1). \(step)") }
        return .success
    }
}

extension CISystem: ExpressibleByArgument {}
