import Core
import Evaluation
import Foundation
import OCI
import Packaging
import ReportModel
import Tabular

/// The flags of `sluice smoke`, or what `sluice run` passes in their place (the image it
/// packaged, the predictions its evaluation wrote).
public struct SmokeFlags {
    /// The image: an OCI layout `DIR[:TAG]` (default: `package.layout`, else `.sluice/image`
    /// when it exists, else the latest run's image; tag `latest`).
    public var image: String?
    /// The rows to send (default: `evaluate.holdout`, else the rows `data.split` held out).
    public var data: String?
    /// The predictions the image must repeat for those rows (default: `.sluice/work/predictions/candidate.csv`).
    public var predictions: String?
    /// How many of the first rows to send.
    public var rows: Int?
    public var mode: SmokeMode?
    /// Where the bundle, runc's state and the container log go.
    public var workDirectory: String?

    public init() {}
}

/// The resolved settings of the smoke stage.
public struct SmokeSettings {
    public var mode: SmokeMode
    public var layout: String
    public var tag: String
    public var data: String
    public var predictions: String
    public var rows: Int
    public var workDirectory: String
    /// The OCI runtime found on `PATH`, or why there is none.
    public var runtime: Result<ContainerRuntime, ContainerRuntime.Unavailable>
    /// The image's bottom layer unpacked ahead (`sluice run` unpacks the runtime layer beside
    /// training), used when the image starts with that very layer; nil for `sluice smoke`.
    public var bottomLayer: UnpackedLayer?

    /// Flags, then `package.smoke`, `package.layout` and `evaluate.holdout`, then defaults.
    public static func resolve(_ flags: SmokeFlags, _ sources: SettingsSources) throws -> SmokeSettings {
        let package = try sources.section(PackageSpec.self, "package")
        let evaluate = try sources.section(EvaluateSection.self, "evaluate")
        let rows = flags.rows ?? 10
        guard rows > 0 else { throw Failure.usage("--rows must be positive (got \(rows))") }
        let (layout, tag) = try image(flags.image.map(sources.flagPath) ?? package?.layout.map(sources.configPath) ?? defaultImage(sources))
        // With data.split and no holdout file, the rows the evaluation held out (written there).
        let split = sources.workPath("split/holdout.csv")
        guard let data = sources.path(flag: flags.data, file: evaluate?.holdout) ?? (FileManager.default.fileExists(atPath: split) ? split : nil) else {
            throw Failure.usage("no rows to send: pass --data FILE or set evaluate.holdout (or data.split, after an evaluation) in sluice.yml")
        }
        let predictions = flags.predictions.map(sources.flagPath) ?? (sources.predictionsDirectory as NSString).appendingPathComponent("candidate.csv")
        let work = flags.workDirectory ?? (sources.sluiceDirectory as NSString).appendingPathComponent("work/smoke")
        return SmokeSettings(mode: flags.mode ?? package?.smoke ?? .auto, layout: layout, tag: tag, data: data, predictions: predictions, rows: rows,
                             workDirectory: work, runtime: ContainerRuntime.locate(stateRoot: (work as NSString).appendingPathComponent("runc"), environment: sources.environment))
    }

    /// What `sluice package` writes by default, else what `sluice run` packaged last.
    private static func defaultImage(_ sources: SettingsSources) -> String {
        let packaged = (sources.sluiceDirectory as NSString).appendingPathComponent("image")
        return FileManager.default.fileExists(atPath: packaged) ? packaged : sources.latestRunImage ?? packaged
    }

    /// `DIR` or `DIR:TAG` (a colon followed by no slash is a tag).
    private static func image(_ text: String) throws -> (String, String) {
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("/") {
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        return (text, "latest")
    }
}

/// Starts a packaged image with a real OCI runtime, checks that it answers the first rows as
/// the evaluation did, stops it. A failed check is a `failed` summary (a "no"); no runtime is
/// a `skipped` one, unless the mode is `required`, which makes it a breakage.
public enum SmokeStage: StageUseCase {
    public static let stage = Stage.smoke

    public static func run(_ settings: SmokeSettings) throws -> SmokeSummary {
        guard settings.mode != .off else { return SmokeSummary(outcome: .skipped, detail: "package.smoke is off") }
        let runtime: ContainerRuntime
        switch settings.runtime {
        case .failure(let unavailable):
            guard settings.mode != .required else {
                throw Failure.runtime("package.smoke is required, but no OCI runtime can start the image here: \(unavailable.reason)")
            }
            return SmokeSummary(outcome: .skipped, detail: "no OCI runtime (\(unavailable.reason)); package.smoke: required makes that an error")
        case .success(let found):
            runtime = found
        }
        let probe = try self.probe(settings)
        do {
            return try SmokeTest(workDirectory: settings.workDirectory).run(layout: settings.layout, tag: settings.tag, runtime: runtime, probe: probe,
                                                                            bottom: settings.bottomLayer)
        } catch let refusal as SmokeTest.Refusal {
            return refusal.summary
        }
    }

    /// The first rows and the predictions for them: a binary classifier's `score`, else
    /// `prediction` (a multiclass model's class, a regression's value).
    private static func probe(_ settings: SmokeSettings) throws -> SmokeTest.Probe {
        let rows = try TableReader.firstRows(settings.data, count: settings.rows)
        let table = try TableReader.firstRows(settings.predictions, count: rows.count)
        let column = table.first?["score"] != nil ? "score" : "prediction"
        let expected = try table.enumerated().map { index, row -> String in
            guard let value = row[column] else {
                throw Failure.usage("\(settings.predictions) row \(index + 1) has no \(column)")
            }
            return value
        }
        guard !rows.isEmpty, expected.count == rows.count else {
            throw Failure.usage("\(settings.predictions) has \(expected.count) predictions for the first \(rows.count) rows of \(settings.data)")
        }
        return SmokeTest.Probe(rows: rows, output: column, expected: expected, expectedFile: settings.predictions)
    }

    /// The one-line account of a summary, for the stage line and the command.
    public static func line(_ summary: SmokeSummary) -> String {
        guard summary.outcome == .passed else { return summary.detail }
        let latency = String(format: "%.1f ms", (summary.latencySeconds ?? 0) * 1000)
        return "\(summary.runtime ?? "runc"): ready in \(String(format: "%.2f", summary.startupSeconds ?? 0)) s; \(summary.rows ?? 0) rows in \(latency), equal to the evaluation's predictions"
    }
}
