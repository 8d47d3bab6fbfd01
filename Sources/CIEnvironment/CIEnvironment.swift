import Core
import Foundation

/// Reads `CIFacts` from a CI system's own environment variables.
///
/// Supported: GitLab CI (`GITLAB_CI`, `CI_*`), GitHub Actions (`GITHUB_*` and the event
/// file at `GITHUB_EVENT_PATH`), Jenkins multibranch (`CHANGE_*`, `BUILD_URL`) and Jenkins
/// with the GitLab plugin (`gitlab*` variables). Anything else is a local run.
public enum CIEnvironment {
    /// Detects the CI system and its facts. `readFile` reads the GitHub event file; tests
    /// pass their own.
    public static func detect(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) -> CIFacts {
        let env = Variables(environment)
        var facts = CIFacts(system: .local)
        if env["GITLAB_CI"] == "true" || env["CI_API_V4_URL"] != nil {
            facts = gitlab(env)
        } else if env["GITHUB_ACTIONS"] == "true" {
            facts = github(env, readFile: readFile)
        } else if env["JENKINS_URL"] != nil || env["JENKINS_HOME"] != nil || env["BUILD_URL"] != nil && env["JOB_NAME"] != nil {
            facts = jenkins(env)
        }
        // These URLs end up in run.json, reports and comments: credentials in a CI variable never do.
        facts.pipelineURL = facts.pipelineURL.map(RecordedURL.withoutCredentials)
        facts.artifactsURL = facts.artifactsURL.map(RecordedURL.withoutCredentials)
        facts.changeURL = facts.changeURL.map(RecordedURL.withoutCredentials)
        facts.jobURL = facts.jobURL.map(RecordedURL.withoutCredentials)
        return facts
    }

    // MARK: GitLab CI

    static func gitlab(_ env: Variables) -> CIFacts {
        var facts = CIFacts(system: .gitlab, forge: .gitlab)
        facts.apiURL = env["CI_API_V4_URL"] ?? env["CI_SERVER_URL"].map { "\($0)/api/v4" }
        facts.project = env["CI_PROJECT_ID"] ?? env["CI_PROJECT_PATH"]
        facts.pipelineURL = env["CI_PIPELINE_URL"]
        facts.artifactsURL = env["CI_JOB_URL"].map { "\($0)/artifacts/browse" }
        facts.jobURL = env["CI_JOB_URL"]
        facts.jobName = env["CI_JOB_NAME"]
        facts.commit = env["CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"] ?? env["CI_COMMIT_SHA"]
        switch env["CI_PIPELINE_SOURCE"] {
        case "merge_request_event", "external_pull_request_event": facts.pipelineKind = .mergeRequest
        case "schedule": facts.pipelineKind = .schedule
        case "push": facts.pipelineKind = .push
        default: facts.pipelineKind = .other
        }
        if let iid = env.int("CI_MERGE_REQUEST_IID") {
            // The IID belongs to the merge request's (target) project; a merge request from a
            // fork may run its pipeline in the fork, which is CI_PROJECT_ID then.
            if let target = env["CI_MERGE_REQUEST_PROJECT_ID"] ?? env["CI_MERGE_REQUEST_PROJECT_PATH"], target != facts.project {
                facts.pipelineProject = facts.project
                facts.project = target
            }
            facts.changeNumber = iid
            facts.pipelineKind = .mergeRequest
            facts.changeTitle = env["CI_MERGE_REQUEST_TITLE"]
            facts.branch = env["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"]
            facts.targetBranch = env["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"]
            facts.diffBaseCommit = env["CI_MERGE_REQUEST_DIFF_BASE_SHA"]
            if let projectURL = env["CI_MERGE_REQUEST_PROJECT_URL"] ?? env["CI_PROJECT_URL"] {
                facts.changeURL = "\(projectURL)/-/merge_requests/\(iid)"
            }
        } else {
            facts.branch = env["CI_COMMIT_BRANCH"] ?? env["CI_COMMIT_REF_NAME"]
            // A branch pipeline of a branch with an open merge request ("group/project!12"):
            // this project's own, else one in another project (the branch is a fork's).
            if let open = env["CI_OPEN_MERGE_REQUESTS"], let path = env["CI_PROJECT_PATH"] {
                let entries = open.split(separator: ",").compactMap { entry -> (path: String, number: Int)? in
                    let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: "!")
                    guard parts.count == 2, let number = Int(parts[1]) else { return nil }
                    return (String(parts[0]), number)
                }
                if let chosen = entries.first(where: { $0.path == path }) ?? entries.first {
                    facts.changeNumber = chosen.number
                    let projectURL: String?
                    if chosen.path == path {
                        projectURL = env["CI_PROJECT_URL"]
                    } else {
                        facts.pipelineProject = facts.project
                        facts.project = chosen.path
                        projectURL = env["CI_SERVER_URL"].map { "\($0)/\(chosen.path)" }
                    }
                    facts.changeURL = projectURL.map { "\($0)/-/merge_requests/\(chosen.number)" }
                }
            }
            facts.targetBranch = env["CI_DEFAULT_BRANCH"]
        }
        return facts
    }

    // MARK: GitHub Actions

    static func github(_ env: Variables, readFile: (String) -> Data?) -> CIFacts {
        var facts = CIFacts(system: .github, forge: .github)
        facts.apiURL = env["GITHUB_API_URL"] ?? "https://api.github.com"
        // The base repository, where the pull request lives, also for one from a fork:
        // GITHUB_REPOSITORY is it under both pull_request and pull_request_target.
        facts.project = env["GITHUB_REPOSITORY"]
        let server = env["GITHUB_SERVER_URL"] ?? "https://github.com"
        if let repository = env["GITHUB_REPOSITORY"], let run = env["GITHUB_RUN_ID"] {
            facts.pipelineURL = "\(server)/\(repository)/actions/runs/\(run)"
            facts.artifactsURL = facts.pipelineURL.map { "\($0)#artifacts" }
            facts.jobURL = facts.pipelineURL
        }
        facts.jobName = env["GITHUB_JOB"]
        facts.commit = env["GITHUB_SHA"]
        let event = env["GITHUB_EVENT_PATH"].flatMap(readFile).flatMap(GitHubEvent.init(json:))
        switch env["GITHUB_EVENT_NAME"] {
        case "pull_request", "pull_request_target": facts.pipelineKind = .mergeRequest
        case "schedule": facts.pipelineKind = .schedule
        case "push": facts.pipelineKind = .push
        default: facts.pipelineKind = .other
        }
        if let pull = event?.pullRequest {
            facts.pipelineKind = .mergeRequest
            facts.changeNumber = pull.number
            facts.changeURL = pull.htmlURL
            facts.changeTitle = pull.title
            // GITHUB_SHA is the synthetic merge commit; statuses belong on the PR's head.
            facts.commit = pull.headSHA ?? facts.commit
            facts.project = pull.baseRepository ?? facts.project
        }
        facts.branch = env["GITHUB_HEAD_REF"] ?? env["GITHUB_REF_NAME"]
        facts.targetBranch = env["GITHUB_BASE_REF"]
        return facts
    }

    // MARK: Jenkins

    static func jenkins(_ env: Variables) -> CIFacts {
        var facts = CIFacts(system: .jenkins)
        facts.pipelineURL = env["BUILD_URL"]
        facts.jobURL = env["BUILD_URL"]
        facts.artifactsURL = env["BUILD_URL"].map { "\($0.hasSuffix("/") ? $0 : $0 + "/")artifact/" }
        facts.jobName = env["JOB_NAME"]
        facts.commit = env["GIT_COMMIT"]
        facts.pipelineKind = .push
        if let iid = env.int("gitlabMergeRequestIid") {
            // The GitLab plugin: the IID is per project; gitlabMergeRequestId is global and
            // would address another project's merge request.
            facts.forge = .gitlab
            facts.changeNumber = iid
            facts.pipelineKind = .mergeRequest
            facts.changeTitle = env["gitlabMergeRequestTitle"]
            facts.branch = env["gitlabSourceBranch"]
            facts.targetBranch = env["gitlabTargetBranch"]
            facts.commit = env["gitlabMergeRequestLastCommit"] ?? facts.commit
            let repository = env["gitlabTargetRepoHttpUrl"] ?? env["gitlabTargetRepoSshUrl"]
            if let parsed = repository.flatMap(ForgeURL.gitlabProject(repositoryURL:)) {
                facts.apiURL = parsed.apiURL
                facts.project = parsed.project
                facts.changeURL = "\(parsed.apiURL.dropLast("/api/v4".count))/\(parsed.project)/-/merge_requests/\(iid)"
            }
            if let projectID = env["gitlabMergeRequestTargetProjectId"] { facts.project = projectID }
            return facts
        }
        if let changeID = env["CHANGE_ID"] {
            facts.pipelineKind = .mergeRequest
            facts.changeNumber = Int(changeID)
            facts.changeURL = env["CHANGE_URL"]
            facts.changeTitle = env["CHANGE_TITLE"]
            facts.branch = env["CHANGE_BRANCH"]
            facts.targetBranch = env["CHANGE_TARGET"]
            if let parsed = env["CHANGE_URL"].flatMap(ForgeURL.init(changeURL:)) {
                facts.forge = parsed.forge
                facts.apiURL = parsed.apiURL
                facts.project = parsed.project
            }
        } else {
            facts.branch = env["BRANCH_NAME"] ?? env["GIT_BRANCH"]
        }
        return facts
    }
}

/// Environment variables where an empty value counts as unset, as CI systems often
/// export empty variables.
struct Variables {
    let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    subscript(name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func int(_ name: String) -> Int? { self[name].flatMap { Int($0) } }
}

/// The parts of a GitHub Actions event payload Sluice uses.
struct GitHubEvent {
    struct PullRequest {
        let number: Int
        let title: String?
        let htmlURL: String?
        let headSHA: String?
        /// `base.repo.full_name`: the repository the pull request targets.
        let baseRepository: String?
    }

    let pullRequest: PullRequest?

    init?(json: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else { return nil }
        let pull = object["pull_request"] as? [String: Any]
        if let pull, let number = pull["number"] as? Int {
            let head = pull["head"] as? [String: Any]
            let baseRepository = (pull["base"] as? [String: Any])?["repo"] as? [String: Any]
            pullRequest = PullRequest(number: number, title: pull["title"] as? String, htmlURL: pull["html_url"] as? String, headSHA: head?["sha"] as? String,
                                      baseRepository: baseRepository?["full_name"] as? String)
        } else {
            pullRequest = nil
        }
    }
}
