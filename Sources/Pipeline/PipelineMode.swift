/// The kind of pipeline a run belongs to, which decides what it may do.
public enum PipelineMode: String, Codable, CaseIterable, Sendable {
    /// A merge request pipeline: train when its changes or triggers call for it, report,
    /// never promote.
    case mr
    /// A scheduled (nightly) pipeline on the default branch: retrain when a trigger fires,
    /// promote when gates pass.
    case nightly
    /// A push to a branch.
    case push
}
