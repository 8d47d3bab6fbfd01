/// Plain facts about the CI run Sluice is in, read from the CI system's own variables.
///
/// Every field is optional: a local run has none of them, and a branch pipeline has no
/// change number. Callers apply their flags with `overriding(_:)`.
public struct CIFacts: Codable, Equatable, Sendable {
    /// The CI system that runs the job.
    public enum System: String, Codable, Sendable { case gitlab, github, jenkins, local }
    /// The code host whose API takes comments and commit statuses.
    public enum ForgeKind: String, Codable, Sendable, CaseIterable { case gitlab, github }
    /// Why the pipeline runs.
    public enum PipelineKind: String, Codable, Sendable {
        case mergeRequest = "merge_request", schedule, push, other
    }

    public var system: System
    public var forge: ForgeKind?
    /// The forge's REST API root, e.g. `https://gitlab.example.com/api/v4` or `https://api.github.com`.
    public var apiURL: String?
    /// The project the merge or pull request lives in (its target), where the comment goes:
    /// GitLab's numeric id or `group/project` path; GitHub's `owner/repo`.
    public var project: String?
    /// The project the pipeline runs in, when it is not `project`: a GitLab merge request
    /// from a fork whose pipeline runs in the fork. Its commit, and so its status, is there.
    public var pipelineProject: String?
    /// The merge request IID (GitLab) or pull request number (GitHub), project-scoped.
    public var changeNumber: Int?
    public var changeURL: String?
    public var changeTitle: String?
    /// The branch being built (a merge request's source branch).
    public var branch: String?
    /// The branch a merge request targets.
    public var targetBranch: String?
    /// The commit a status belongs on: the head of the change, not a CI merge commit.
    public var commit: String?
    /// The merge base the CI computed for the merge request, when it says (GitLab's
    /// `CI_MERGE_REQUEST_DIFF_BASE_SHA`); saves a deep clone for changed-path triggers.
    public var diffBaseCommit: String?
    public var pipelineURL: String?
    /// Where this job's artifacts can be browsed, for "see the job artifacts" links.
    public var artifactsURL: String?
    public var jobName: String?
    /// This job's own page: GitLab's `CI_JOB_URL`, Jenkins' `BUILD_URL`, the GitHub run.
    public var jobURL: String?
    public var pipelineKind: PipelineKind

    /// Where commit statuses go: the pipeline's project (a fork's), else `project`.
    public var statusProject: String? { pipelineProject ?? project }

    public init(system: System = .local, forge: ForgeKind? = nil, apiURL: String? = nil, project: String? = nil, pipelineProject: String? = nil, changeNumber: Int? = nil, changeURL: String? = nil, changeTitle: String? = nil, branch: String? = nil, targetBranch: String? = nil, commit: String? = nil, diffBaseCommit: String? = nil, pipelineURL: String? = nil, artifactsURL: String? = nil, jobName: String? = nil, jobURL: String? = nil, pipelineKind: PipelineKind = .other) {
        self.system = system
        self.forge = forge
        self.apiURL = apiURL
        self.project = project
        self.pipelineProject = pipelineProject
        self.changeNumber = changeNumber
        self.changeURL = changeURL
        self.changeTitle = changeTitle
        self.branch = branch
        self.targetBranch = targetBranch
        self.commit = commit
        self.diffBaseCommit = diffBaseCommit
        self.pipelineURL = pipelineURL
        self.artifactsURL = artifactsURL
        self.jobName = jobName
        self.jobURL = jobURL
        self.pipelineKind = pipelineKind
    }

    /// These facts with every non-nil field of `overrides` put in place (flags win).
    public func overriding(_ overrides: CIOverrides) -> CIFacts {
        var facts = self
        if let forge = overrides.forge { facts.forge = forge }
        if let apiURL = overrides.apiURL { facts.apiURL = apiURL }
        if let project = overrides.project {
            // A project named by flag is the one to post to, comment and status alike.
            facts.project = project
            facts.pipelineProject = nil
        }
        if let number = overrides.changeNumber {
            facts.changeNumber = number
            facts.pipelineKind = .mergeRequest
        }
        if let commit = overrides.commit { facts.commit = commit }
        if let branch = overrides.branch { facts.branch = branch }
        if let target = overrides.targetBranch { facts.targetBranch = target }
        // Another forge named without an API root means that forge's public instance.
        if let forge = overrides.forge, overrides.apiURL == nil, forge != self.forge {
            facts.apiURL = ForgeURL.publicAPI(forge)
        }
        return facts
    }
}

/// Values given by flags or configuration that take precedence over detected facts.
public struct CIOverrides: Equatable, Sendable {
    public var forge: CIFacts.ForgeKind?
    public var apiURL: String?
    public var project: String?
    public var changeNumber: Int?
    public var commit: String?
    public var branch: String?
    public var targetBranch: String?

    public init(forge: CIFacts.ForgeKind? = nil, apiURL: String? = nil, project: String? = nil, changeNumber: Int? = nil, commit: String? = nil, branch: String? = nil, targetBranch: String? = nil) {
        self.forge = forge
        self.apiURL = apiURL
        self.project = project
        self.changeNumber = changeNumber
        self.commit = commit
        self.branch = branch
        self.targetBranch = targetBranch
    }
}
