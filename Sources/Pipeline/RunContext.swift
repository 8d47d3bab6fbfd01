import CIEnvironment
import Core
import Foundation
import Git
import ReportModel

/// Facts about the run gathered before any stage: the CI system, the pipeline mode, the
/// commit and branch, and the paths the change touches.
public struct RunContext {
    /// The CI's facts with flag overrides applied.
    public var facts: CIFacts
    /// The pipeline kind: the `--mode` flag, else the CI's pipeline source.
    public var mode: PipelineMode
    /// Why this mode was chosen, for the log and the report.
    public var modeReason: String
    /// Paths changed against the merge base with the target branch; nil when unknown.
    public var changedPaths: [String]?
    /// Why changed paths are unknown, when they are.
    public var changedPathsNote: String?

    /// Gathers the context. Git problems never fail the run: without history, changed-path
    /// triggers simply cannot fire, and the report says so.
    public static func gather(facts: CIFacts, modeFlag: PipelineMode?, repositoryPath: String) -> RunContext {
        let (mode, reason) = resolveMode(flag: modeFlag, facts: facts)
        var context = RunContext(facts: facts, mode: mode, modeReason: reason, changedPaths: nil, changedPathsNote: nil)
        do {
            let repository = try Repository(discoveringFrom: repositoryPath)
            let head = try repository.head(fallbackBranch: facts.branch)
            if context.facts.commit == nil { context.facts.commit = head.commit }
            if context.facts.branch == nil { context.facts.branch = head.branch }
            if let base = facts.diffBaseCommit, repository.exists(base) {
                // GitLab computed the merge base itself; it also works in a shallow clone.
                context.changedPaths = try repository.changedPaths(from: base, to: head.commit)
                context.changedPathsNote = "against GitLab's merge request diff base \(base.prefix(12))"
            } else if let target = facts.targetBranch, target != context.facts.branch || mode == .mr {
                let base = try repository.mergeBase(of: head.commit, withBranch: target)
                context.changedPaths = try repository.changedPaths(from: base.commit, to: head.commit)
                context.changedPathsNote = "against the merge base \(base.commit.prefix(12)) with \(base.targetReference)"
            } else {
                context.changedPathsNote = "no target branch to compare with"
            }
        } catch {
            context.changedPathsNote = "\(error)"
        }
        return context
    }

    /// `--mode` wins; otherwise the CI's pipeline source decides, and a local run is `push`.
    static func resolveMode(flag: PipelineMode?, facts: CIFacts) -> (PipelineMode, String) {
        if let flag { return (flag, "--mode \(flag.rawValue)") }
        switch facts.pipelineKind {
        case .mergeRequest: return (.mr, "\(facts.system.rawValue) merge request pipeline")
        case .schedule: return (.nightly, "\(facts.system.rawValue) scheduled pipeline")
        case .push, .other:
            return (.push, facts.system == .local ? "local run (no CI detected)" : "\(facts.system.rawValue) branch pipeline")
        }
    }

    /// The lineage section of the run report, its data hashes (`dataHashes`) still to come.
    public func lineage(parameters: [String: String]) -> Lineage {
        let mergeRequest = facts.changeNumber.map { MergeRequestRef(number: $0, url: facts.changeURL, title: facts.changeTitle) }
        return Lineage(ciSystem: facts.system.rawValue, commit: facts.commit, branch: facts.branch, targetBranch: facts.targetBranch, mergeRequest: mergeRequest, pipelineURL: facts.pipelineURL, jobName: facts.jobName, dataHashes: [:], parameters: parameters)
    }

    /// The SHA-256 of each of `files` that exists, by path, for the lineage.
    public static func dataHashes(_ files: [String]) throws -> [String: String] {
        var hashes: [String: String] = [:]
        for file in files where FileManager.default.fileExists(atPath: file) {
            hashes[file] = try FileDigest.sha256(path: file)
        }
        return hashes
    }
}
