import Config
import Core
import Evaluation
import Foundation
import Gates
import ReportModel
import Training

/// The flags of `sluice gate` that concern the model tests, or what `sluice run` passes.
public struct TestsFlags {
    /// The model for behavioural checks (default: the `train:` section's model).
    public var model: String?
    /// Rows for invariance, directional and latency checks.
    public var data: String?
    /// Where test command logs go (default: `.sluice`).
    public var logDirectory: String?

    public init() {}
}

/// The resolved settings of the tests stage.
public struct TestsSettings {
    public var tests: TestsSection
    /// The model the behavioural checks run, when there are checks.
    public var predictor: Predictor?
    public var checkData: String?
    public var logDirectory: String
    /// Resolves paths written in `tests:` (against sluice.yml's directory).
    public var resolvePath: (String) -> String

    /// Flags, then `tests.data` (else `evaluate.holdout`) and the `train:` section's model.
    public static func resolve(_ flags: TestsFlags, _ sources: SettingsSources) throws -> TestsSettings {
        let tests = try sources.section(TestsSection.self, "tests") ?? TestsSection()
        var predictor: Predictor?
        if !(tests.checks ?? []).isEmpty {
            predictor = try ModelWiring.predictor(model: flags.model.map(sources.flagPath), sources: sources)
        }
        let data = try sources.section(DataSection.self, "data")
        // Without a holdout file (data.split), the checks use the reference's rows.
        let holdout = try sources.section(EvaluateSection.self, "evaluate")?.holdout ?? (data?.split != nil ? data?.reference : nil)
        return TestsSettings(
            tests: tests, predictor: predictor,
            checkData: sources.path(flag: flags.data, file: tests.data ?? holdout),
            logDirectory: flags.logDirectory.map(sources.flagPath) ?? sources.sluiceDirectory,
            resolvePath: sources.configPath)
    }
}

/// Runs the model test commands (folding in their JUnit files) and the built-in
/// behavioural checks.
public enum TestsStage: StageUseCase {
    public static let stage = Stage.tests

    public static func run(_ settings: TestsSettings) throws -> [TestCaseResult] {
        try ModelTests.run(settings.tests, predictor: settings.predictor, checkData: settings.checkData, resolve: settings.resolvePath, logDirectory: settings.logDirectory)
    }
}

/// What the gates are decided on: the `gates:` section, the evaluation, the test results
/// and the data hygiene findings.
public struct GatesSettings {
    public var gates: [GateSpec]
    public var evaluation: EvaluationSummary?
    public var tests: [TestCaseResult]
    public var hygiene: HygieneSummary?

    /// The `gates:` section, with the evaluation, tests and hygiene findings earlier stages
    /// (or files) gave. A `check:` gate without findings given (`sluice gate` alone) has
    /// the hygiene stage run on `sluice.yml`'s training data and holdout.
    public static func resolve(evaluation: EvaluationSummary?, tests: [TestCaseResult], hygiene: HygieneSummary? = nil, _ sources: SettingsSources) throws -> GatesSettings {
        let gates = try sources.section(GatesSection.self, "gates") ?? []
        var hygiene = hygiene
        if hygiene == nil, gates.contains(where: { $0.check != nil }) {
            hygiene = try HygieneStage.run(try HygieneSettings.resolve(HygieneFlags(), sources))
        }
        return GatesSettings(gates: gates, evaluation: evaluation, tests: tests, hygiene: hygiene)
    }
}

/// Decides the quality gates. The verdict is the `GateReport`'s, for `sluice gate` and
/// `sluice run` alike.
public enum GatesStage: StageUseCase {
    public static let stage = Stage.gates

    public static func run(_ settings: GatesSettings) throws -> GateReport {
        GateReport(gates: try GateEvaluator.apply(settings.gates, evaluation: settings.evaluation, tests: settings.tests, hygiene: settings.hygiene), tests: settings.tests)
    }
}
