import Core
import Evaluation
import Foundation
import ReportModel
import Tabular
import Training
import Validation

/// What `sluice run` passes to the hygiene stage (the training data it assembled), or what
/// `sluice gate` leaves to `sluice.yml`. Nil means "not given".
public struct HygieneFlags {
    /// The data the candidate is trained on.
    public var data: String?
    /// The labelled holdout.
    public var holdout: String?

    public init() {}
}

/// The resolved settings of the hygiene stage.
public struct HygieneSettings {
    public var training: String
    /// The training data as the user wrote it (or the run's name for it), for reports.
    public var trainingShown: String
    public var holdout: String?
    public var holdoutShown: String?
    public var options: HygieneOptions

    /// Flags, then `train.data` and `evaluate.holdout`; the label as every stage reads it;
    /// numeric for a regression task; the id column (`evaluate.id_column`, `train.id_column`,
    /// the schema's one-column primary key) and `train.exclude` left out; the schema's missing values.
    public static func resolve(_ flags: HygieneFlags, _ sources: SettingsSources) throws -> HygieneSettings {
        let train = try sources.section(TrainSection.self, "train")
        let evaluate = try sources.section(EvaluateSection.self, "evaluate") ?? EvaluateSection()
        guard let training = sources.path(flag: flags.data, file: train?.data) else {
            throw Failure.usage("the data hygiene checks need the training data: set train.data in sluice.yml")
        }
        let schema = try sources.trainingSchema()
        let task = evaluate.task ?? train?.builtin.map(EvaluateSettings.task(of:))
        var options = HygieneOptions(label: try sources.labelColumn(), labelIsNumeric: task == .regression,
                                     missingValues: Set(schema?.missingValues ?? [""]))
        let primaryKey = schema?.primaryKey.count == 1 ? schema?.primaryKey.first : nil
        // Columns the trainer leaves out cannot leak into the model.
        options.exclude = [evaluate.idColumn ?? train?.idColumn ?? primaryKey].compactMap { $0 } + (train?.exclude ?? [])
        let holdout = sources.path(flag: flags.holdout, file: evaluate.holdout)
        return HygieneSettings(training: training, trainingShown: flags.data ?? train?.data ?? training, holdout: holdout,
                               holdoutShown: flags.holdout ?? evaluate.holdout, options: options)
    }
}

/// Looks for features that leak the label into the training data and for holdout rows
/// that are training rows, so that `check: leakage` and `check: holdout_overlap` gates
/// can refuse a candidate whose metrics cannot be trusted.
public enum HygieneStage: StageUseCase {
    public static let stage = Stage.hygiene

    public static func run(_ settings: HygieneSettings) throws -> HygieneSummary {
        var summary = try DataHygiene.check(training: settings.training, holdout: settings.holdout, options: settings.options)
        summary.trainingData = settings.trainingShown
        summary.holdoutData = settings.holdoutShown
        return summary
    }

    /// One line for the stage log: what was found, or that nothing was. A leak that no
    /// `check: leakage` gate judges says how to make it count.
    public static func message(_ summary: HygieneSummary, leakageGated: Bool) -> String {
        var parts: [String] = []
        parts.append(summary.leakage.isEmpty
            ? "no feature leaks '\(summary.label)'"
            : "leaking: " + summary.leakage.map { "\($0.column) (\($0.kind.rawValue))" }.joined(separator: ", ")
                + (leakageGated ? "" : " (not gated: add `- check: leakage` to gates to refuse such a candidate, or list the column in train.exclude)"))
        if let overlap = summary.holdoutOverlap {
            parts.append("\(overlap.overlappingRows) of \(overlap.holdoutRows) holdout rows are training rows")
        }
        return parts.joined(separator: "; ")
    }
}
