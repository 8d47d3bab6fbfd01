import Config
import Core
import Evaluation
import Foundation
import Gates
import Tabular
import Training

/// What `sluice config check` and `sluice run` (before any work) check in `sluice.yml`
/// beyond keys and types: what the values mean. Metric names against the task's metrics,
/// columns against the schema (or the reference's header), files that must exist, numbers
/// in range, keys that exclude each other, and the sections a trigger would need. Every
/// problem is located (`file:line:column`) and all are reported at once (exit 2).
public enum ConfigCheck {
    /// Decodes `file` as the run's configuration and checks its meaning.
    @discardableResult
    public static func check(_ file: ConfigFile) throws -> RunConfig {
        let config = try file.decode(RunConfig.self)
        var found = Problems(file: file)
        found.checkFiles(config)
        found.checkTraining(config)
        let task = found.checkTask(config)
        found.checkGates(config, task: task)
        found.checkColumns(config)
        if !found.problems.isEmpty { throw ConfigError(found.problems) }
        return config
    }

    /// Loads and checks the file at `path`.
    public static func check(path: String) throws {
        try check(ConfigFile.load(path))
    }
}

/// The problems found so far, each located in the file.
private struct Problems {
    let file: ConfigFile
    var problems: [ConfigError.Problem] = []

    mutating func add(_ path: String, _ message: String) {
        problems.append(file.problem(at: path, message))
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: file.resolve(path))
    }

    /// Inputs that must be there before anything runs. (A champion model may be absent: that
    /// is the first run.)
    mutating func checkFiles(_ config: RunConfig) {
        let required: [(String, String?)] = [
            ("data.reference", config.data.reference), ("data.current", config.data.current), ("data.schema", config.data.schema),
            ("train.data", config.train?.data), ("train.schema", config.train?.schema), ("train.params", config.train?.params),
            ("evaluate.holdout", config.evaluate.holdout), ("evaluate.champion.predictions", config.evaluate.champion?.predictions),
            ("tests.data", config.tests?.data), ("report.template", config.report.template), ("registry.ca_bundle", config.registry.caBundle),
        ]
        for (key, value) in required {
            if let value, !exists(value) { add(key, "no such file: \(value) (paths are relative to \(file.directory))") }
        }
        for (index, input) in (config.train?.inputs ?? []).enumerated() where !exists(input) {
            add("train.inputs[\(index)]", "no such file or directory: \(input)")
        }
    }

    /// `sluice run` trains when a trigger fires (a first run always does: no champion), so
    /// it needs a `train:` section that names one trainer, with sane numbers, and a holdout.
    mutating func checkTraining(_ config: RunConfig) {
        guard let train = config.train else {
            add("train", "no train: section, but a trigger can fire (a first run has no champion): add train: with builtin or command")
            return
        }
        switch (train.builtin, train.command) {
        case (_?, _?): add("train.command", "set either builtin or command, not both")
        case (nil, nil): add("train", "set builtin (\(BuiltinTrainer.allCases.map(\.rawValue).joined(separator: ", "))) or command")
        default: break
        }
        if let l2 = train.l2, l2 < 0 { add("train.l2", "l2 must be 0 or more, got \(l2)") }
        if let iterations = train.maxIterations, !(1...1_000_000).contains(iterations) { add("train.max_iterations", "max_iterations must be between 1 and 1000000, got \(iterations)") }
        if let categories = train.maxCategories, !(1...100_000).contains(categories) { add("train.max_categories", "max_categories must be between 1 and 100000, got \(categories)") }
        if let timeout = train.timeout, timeout.seconds <= 0 { add("train.timeout", "timeout must be more than 0") }
        switch (config.evaluate.holdout, config.data.split) {
        case (nil, nil): add("evaluate.holdout", "evaluate.holdout is not set: candidate and champion are compared on a labelled holdout (a file, or data.split to hold rows of the reference out)")
        case (_?, _?): add("data.split", "data.split and evaluate.holdout exclude each other: the holdout is a file or rows held out of the reference, not both")
        default: break
        }
        if let label = train.label, let column = config.evaluate.labelColumn, label != column {
            add("evaluate.label_column", "the label is '\(label)' in train.label but '\(column)' here; one label column serves training, drift and evaluation")
        }
    }

    /// The task evaluation and the gates are judged by: `evaluate.task`, else the built-in
    /// trainer's.
    mutating func checkTask(_ config: RunConfig) -> EvaluationTask? {
        if let task = config.evaluate.task { return task }
        if let builtin = config.train?.builtin { return EvaluateSettings.task(of: builtin) }
        add("evaluate.task", "set evaluate.task (binary, multiclass or regression): a training command does not say which metrics apply")
        return nil
    }

    /// Each gate names a metric of the task with a condition, or a tests suite; a slice gate
    /// a column that is evaluated per slice.
    mutating func checkGates(_ config: RunConfig, task: EvaluationTask?) {
        let metrics = task.map(MetricCatalog.names(for:)) ?? []
        for (index, gate) in config.gates.enumerated() {
            let place = "gates[\(index)]"
            if let check = gate.check {
                if gate.metric != nil || gate.tests != nil { add("\(place).check", "a check gate takes no metric or tests") }
                switch check {
                case .leakage:
                    if gate.min != nil || gate.max != nil { add("\(place).check", "a leakage check takes no min or max") }
                case .holdoutOverlap:
                    if gate.min != nil { add("\(place).min", "a holdout_overlap check takes max (a fraction of the holdout rows), not min") }
                    if let max = gate.max, !(0...1).contains(max) { add("\(place).max", "max of a holdout_overlap check is a fraction from 0 to 1, got \(max)") }
                }
                continue
            }
            if let suite = gate.tests {
                if gate.metric != nil { add("\(place).metric", "a tests gate takes no metric") }
                if config.tests == nil { add("\(place).tests", "a gate on tests: \(suite), but there is no tests: section") }
                continue
            }
            guard let metric = gate.metric else {
                add(place, "a gate names a metric (with min, max, max_drop, not_significantly_worse or significantly_better), tests: all, or check: leakage or holdout_overlap")
                continue
            }
            if let task, !metrics.contains(metric) {
                let hint = Suggestion.closest(to: metric, among: metrics).map { "did you mean '\($0)'?" } ?? "expected one of: \(metrics.joined(separator: ", "))"
                add("\(place).metric", "'\(metric)' is not a \(task.rawValue) metric; \(hint)")
            }
            let conditions = [gate.min != nil, gate.max != nil, gate.maxDrop != nil, gate.notSignificantlyWorse == true, gate.significantlyBetter == true]
            if !conditions.contains(true) {
                add(place, "the gate on \(metric) has no condition (min, max, max_drop, not_significantly_worse, significantly_better)")
            }
            if let drop = gate.maxDrop, drop < 0 { add("\(place).max_drop", "max_drop must be 0 or more, got \(drop)") }
            if let rows = gate.minRows, rows < 0 { add("\(place).min_rows", "min_rows must be 0 or more, got \(rows)") }
            if let slice = gate.slice {
                if gate.min == nil, gate.max == nil { add("\(place).slice", "a slice gate needs min or max") }
                if !(config.evaluate.sliceBy ?? []).contains(slice) {
                    add("\(place).slice", "'\(slice)' is not in evaluate.slice_by, so no metric is computed per \(slice)")
                }
            }
        }
        if let decay = config.triggers.accuracyDecay, let task, !metrics.contains(decay.metric) {
            let hint = Suggestion.closest(to: decay.metric, among: metrics).map { "did you mean '\($0)'?" } ?? "expected one of: \(metrics.joined(separator: ", "))"
            add("triggers.accuracy_decay.metric", "'\(decay.metric)' is not a \(task.rawValue) metric; \(hint)")
        }
    }

    /// Column names written in the file against the data's columns: the schema's fields,
    /// else the reference's header.
    mutating func checkColumns(_ config: RunConfig) {
        guard let columns = knownColumns(config) else { return }
        func check(_ key: String, _ name: String?) {
            guard let name, !columns.contains(name) else { return }
            let hint = Suggestion.closest(to: name, among: columns).map { "; did you mean '\($0)'?" } ?? ""
            add(key, "no column '\(name)' in the data\(hint)")
        }
        for (index, feature) in config.triggers.drift.features.enumerated() { check("triggers.drift.features[\(index)]", feature) }
        for (index, column) in config.drift.columns.enumerated() { check("drift.columns[\(index)]", column) }
        for (index, column) in config.drift.exclude.enumerated() { check("drift.exclude[\(index)]", column) }
        for name in config.drift.methods.keys.sorted() { check("drift.methods.\(name)", name) }
        for name in config.drift.thresholds.keys.sorted() { check("drift.thresholds.\(name)", name) }
        check("train.label", config.train?.label)
        check("data.split.by", config.data.split?.by)
        check("evaluate.label_column", config.evaluate.labelColumn)
        for (index, column) in (config.evaluate.sliceBy ?? []).enumerated() { check("evaluate.slice_by[\(index)]", column) }
        for (index, column) in (config.train?.features ?? []).enumerated() { check("train.features[\(index)]", column) }
        for (index, column) in (config.train?.exclude ?? []).enumerated() { check("train.exclude[\(index)]", column) }
        for (index, item) in (config.tests?.checks ?? []).enumerated() { check("tests.checks[\(index)].column", item.column) }
    }

    /// The data's columns, when they can be known without reading the data.
    func knownColumns(_ config: RunConfig) -> [String]? {
        if let schema = config.data.schema, let loaded = try? TableSchema.load(path: file.resolve(schema)) {
            return loaded.fields.map(\.name)
        }
        let reference = file.resolve(config.data.reference)
        guard !reference.lowercased().hasSuffix(".json") else { return nil }
        return try? TableReader(TableSource(path: reference)).header
    }
}
