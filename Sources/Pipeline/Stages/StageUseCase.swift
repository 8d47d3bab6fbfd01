import ReportModel

/// A stage implemented once: one resolved settings value in, one typed result out.
///
/// The stage's own command and `sluice run` both call `run`; neither re-implements it. The
/// settings value is made by its type's `resolve(_:_:)` from flags (or what `sluice run`
/// computed in their place) and `SettingsSources` (sluice.yml, CI facts, defaults).
public protocol StageUseCase {
    /// Everything the stage needs, resolved.
    associatedtype Settings
    /// What the stage produced.
    associatedtype Output
    /// The stage's name in logs, run.json and the report.
    static var stage: Stage { get }
    /// Does the stage's work. A "no" is part of `Output`; a thrown error is a breakage or a
    /// configuration problem (its `SluiceError` exit status says which).
    static func run(_ settings: Settings) throws -> Output
}
