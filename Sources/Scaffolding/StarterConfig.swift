import Evaluation
import ReportModel

/// The starter `sluice.yml` that `sluice init` writes: every section a new user needs,
/// filled in from the data and its label, each key commented so the user knows what to
/// change. Paths are relative to the file's directory, as `sluice run` reads them.
struct StarterConfig {
    /// Where each run's current batch and holdout come from.
    enum Batches {
        /// One labelled file and nothing beside it: it is also the current batch, and rows
        /// held out of it by hash are the holdout, so the first `sluice run` needs nothing else.
        case oneFile
        /// A newer labelled batch and labelled rows never trained on, in these files.
        case files(current: String, holdout: String)
    }

    /// The reference data (the file given to `sluice init`).
    var reference: String
    var batches: Batches
    var label: String
    var summary: LabelSummary
    /// Features that give the label away on the reference data: left out of the features.
    var leaking: [LeakageFinding] = []

    var text: String {
        var lines = Lines()
        lines.add("# sluice.yml, written by `sluice init`: one file drives every stage of `sluice run`.")
        lines.add("# Every key is documented in docs/config.md; check the file after each edit with")
        lines.add("# `sluice config check`. Relative paths are resolved against this file's directory.")
        lines.section("Data: what each run validates, compares and learns from")
        lines.add("data:")
        lines.add("  schema: schema.json", "inferred from the reference data: review and tighten it")
        lines.add("  reference: \(YAMLScalar.text(reference))", "what the champion was trained on")
        dataBatches(&lines)
        lines.section("Drift: the current batch against the reference")
        lines.add("drift:")
        lines.add("  drift_share: 0.5", "dataset drift when half the features drift")
        lines.section("Triggers: what makes a pipeline retrain")
        lines.add("triggers:")
        lines.add("  drift:")
        lines.add("    enabled: true", "dataset drift; list features: [...] whose drift alone counts")
        lines.add("  accuracy_decay:")
        lines.add("    metric: \(decayMetric)", "the champion on the current batch's fresh labels ...")
        lines.add("    max_drop: 0.05", "... dropped more than this since its own evaluation")
        lines.add("  schedule: on_trigger", "or always: every nightly pipeline retrains")
        lines.add("  changed_paths: [sluice.yml, schema.json]", "merge requests changing these retrain")
        lines.section("Train: the candidate")
        trainSection(&lines)
        lines.section("Evaluate: candidate and champion on rows never trained on")
        lines.add("evaluate:")
        lines.add("  task: \(summary.task.rawValue)", taskReason)
        switch batches {
        case .files(_, let holdout): lines.add("  holdout: \(YAMLScalar.text(holdout))", "labelled rows never trained on")
        case .oneFile: lines.add("  # holdout: \(StarterProject.sibling(of: reference, named: "holdout"))", "a holdout file, once data.split is removed")
        }
        lines.add("  label_column: \(YAMLScalar.text(label))")
        if let positive = summary.positiveLabel {
            lines.add("  positive_label: \(YAMLScalar.text(positive))", "the rarer class; change it if the other one is of interest")
        }
        lines.add("  bootstrap: 1000", "resamples for the interval of each champion delta")
        lines.add("  # champion:")
        lines.add("  #   model: champion/model.json", "the model in production as a file (or champion.image below)")
        lines.section("Gates: a candidate that fails one is not packaged nor promoted (exit 1)")
        lines.add("gates:")
        for gate in gates {
            lines.add("  - metric: \(gate.metric)")
            lines.add("    \(gate.condition)", gate.comment)
        }
        lines.add("  - check: leakage", "no feature may give the label away (its metrics would mean nothing)")
        lines.section("Package: a passing candidate as an OCI image; the model layer is added last")
        lines.add("package:")
        lines.add("  runtime: true", "the sluice binary: the image serves the model (sluice serve, port 8080)")
        lines.add("  layers:", "least changing first")
        lines.add("    - name: code")
        lines.add("      files: [\"schema.json:/app/schema.json\"]")
        lines.add("  # push: registry.example.com/team/model:candidate", "publish it: nightly pipelines push")
        lines.add("# champion:")
        lines.add("#   image: registry.example.com/team/model:champion", "the champion image; promotion moves this tag")
        lines.section("Modes: what merge request, nightly and push pipelines may do")
        lines.add("# Left at the defaults: merge requests train on changes or triggers, post the report and")
        lines.add("# never push; nightly pipelines retrain when a trigger fires, push and promote a passing")
        lines.add("# candidate; pushes train on changes or triggers and push. Override one mode, e.g.:")
        lines.add("# modes:")
        lines.add("#   nightly:")
        lines.add("#     promote: false")
        return lines.text
    }

    /// The current batch, what a retrain learns from, and (for one file) the split that
    /// makes the holdout, with how to move to a newer batch and a holdout file later.
    private func dataBatches(_ lines: inout Lines) {
        switch batches {
        case .files(let current, _): lines.add("  current: \(YAMLScalar.text(current))", "the newest labelled batch: replace it before each run")
        case .oneFile: lines.add("  current: \(YAMLScalar.text(reference))", "the newest labelled batch: the reference until you have one")
        }
        lines.add("  on_invalid: drop", "set rows that break the schema aside in rejected.csv ...")
        lines.add("  max_invalid_fraction: 0.01", "... while they are at most 1% of the rows (else exit 1)")
        switch batches {
        case .files:
            lines.add("  train_on: [reference, current]", "a retrain learns from both (valid rows only)")
            lines.add("  # split: {holdout: 0.2}         # one labelled file only: hold 20% of its rows out (by hash) instead of")
            lines.add("  #                               # an evaluate.holdout file; add by: <id column> to hash the id")
        case .oneFile:
            let sibling = { StarterProject.sibling(of: reference, named: $0) }
            lines.add("  train_on: [reference]", "a retrain learns from the reference (held-out rows excepted)")
            lines.add("  split: {holdout: 0.2}", "20% of the reference's rows (by row hash) are the holdout;")
            lines.add("", "add by: <id column> to hash the id instead")
            lines.add("  # A newer labelled batch: current: \(sibling("current")) and train_on: [reference, current].")
            lines.add("  # A holdout file: remove split and set evaluate.holdout: \(sibling("holdout")).")
        }
    }

    private func trainSection(_ lines: inout Lines) {
        lines.add("train:")
        lines.add("  builtin: \(builtinTrainer)", "or command: [python, train.py] (docs/commands/train.md)")
        lines.add("  data: \(YAMLScalar.text(reference))", "for `sluice train` alone; `sluice run` uses data.train_on")
        lines.add("  schema: schema.json", "tells numbers from categories")
        lines.add("  label: \(YAMLScalar.text(label))")
        if let positive = summary.positiveLabel {
            lines.add("  positive_label: \(YAMLScalar.text(positive))")
        }
        if !leaking.isEmpty {
            lines.add("  exclude: [\(leaking.map { YAMLScalar.text($0.column) }.joined(separator: ", "))]", "give '\(label)' away on the reference data (sluice init's leakage check)")
        }
        lines.add("  l2: 1.0", "the L2 penalty")
        lines.add("  output: .sluice/model", "model.json is written here")
    }

    /// Logistic regression is multinomial on a label with more than two classes.
    private var builtinTrainer: String {
        summary.task == .regression ? "linear-regression" : "logistic-regression"
    }

    private var taskReason: String {
        switch summary.task {
        case .binary: return "'\(label)' has two values: \(summary.classes.joined(separator: ", "))"
        case .multiclass: return "'\(label)' has \(summary.classes.count) values: \(summary.classes.joined(separator: ", "))"
        case .regression: return "'\(label)' is a number with many values"
        }
    }

    /// The metric whose fall on fresh labels says the champion is decaying.
    private var decayMetric: String {
        switch summary.task {
        case .binary: return "roc_auc"
        case .multiclass: return "accuracy"
        case .regression: return "r2"
        }
    }

    /// An absolute floor and a comparison with the champion, per task.
    private var gates: [(metric: String, condition: String, comment: String?)] {
        switch summary.task {
        case .binary:
            return [("roc_auc", "min: 0.70", "an absolute floor: set it to what production needs"),
                    ("roc_auc", "max_drop: 0.01", "at most 0.01 below the champion (no champion yet: not judged)")]
        case .multiclass:
            let chance = 1.0 / Double(summary.classes.count)
            return [("balanced_accuracy", "min: \((chance * 100).rounded(.up) / 100)", "chance is 1/\(summary.classes.count): raise it to what production needs"),
                    ("f1_macro", "max_drop: 0.01", "at most 0.01 below the champion (no champion yet: not judged)")]
        case .regression:
            return [("r2", "min: 0.0", "better than predicting the mean: raise it to what production needs"),
                    ("rmse", "not_significantly_worse: true", "the bootstrap interval against the champion")]
        }
    }
}

/// Lines of a commented YAML file, with end-of-line comments aligned.
private struct Lines {
    private(set) var text = ""
    static let commentColumn = 36

    mutating func add(_ line: String, _ comment: String? = nil) {
        if let comment {
            let padding = max(1, Self.commentColumn - line.count)
            text += line + String(repeating: " ", count: padding) + "# " + comment + "\n"
        } else {
            text += line + "\n"
        }
    }

    /// A blank line and a heading comment before a section.
    mutating func section(_ title: String) {
        let heading = "# --- \(title) "
        text += "\n" + heading + String(repeating: "-", count: max(3, 92 - heading.count)) + "\n"
    }
}
