import CIEnvironment

/// The token for a forge, from the environment, or why there is none and what to set up.
enum ForgeCredentials {
    /// The variables searched, in order.
    static func variables(for forge: CIFacts.ForgeKind) -> [String] {
        switch forge {
        case .gitlab: return ["SLUICE_GITLAB_TOKEN", "GITLAB_TOKEN"]
        case .github: return ["SLUICE_GITHUB_TOKEN", "GITHUB_TOKEN"]
        }
    }

    enum Lookup: Equatable {
        case token(String)
        case missing(String)
    }

    static func lookup(_ forge: CIFacts.ForgeKind, environment: [String: String]) -> Lookup {
        for name in variables(for: forge) {
            if let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { return .token(value) }
        }
        switch forge {
        case .gitlab:
            let setup = "create a project access token with the api scope and the Developer role (Settings > Access tokens; Reporter is enough without --status) and store it as a masked CI/CD variable named SLUICE_GITLAB_TOKEN"
            if let job = environment["CI_JOB_TOKEN"], !job.isEmpty {
                return .missing("only CI_JOB_TOKEN is set, and GitLab's job token cannot create or edit merge request notes; \(setup)")
            }
            return .missing("no GitLab token: neither SLUICE_GITLAB_TOKEN nor GITLAB_TOKEN is set; \(setup)")
        case .github:
            return .missing("no GitHub token: GITHUB_TOKEN is not set; in the workflow add `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` to the step and `permissions: pull-requests: write` (and `statuses: write` for --status) to the job")
        }
    }
}
