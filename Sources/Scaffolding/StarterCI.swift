import Core

/// A CI system `sluice init` writes a pipeline file for. Each file only wires Sluice's own
/// CI integration in (the GitLab component, the Jenkins shared-library step) or, for GitHub,
/// which has neither, is the whole workflow; the jobs themselves live in `ci/`.
public enum CISystem: String, CaseIterable, Sendable {
    case gitlab, jenkins, github

    /// The file's path inside the repository.
    public var path: String {
        switch self {
        case .gitlab: return ".gitlab-ci.yml"
        case .jenkins: return "Jenkinsfile"
        case .github: return ".github/workflows/sluice.yml"
        }
    }

    /// What the file sets up, for the command's output.
    var description: String {
        switch self {
        case .gitlab: return "GitLab CI: the sluice-run component's merge request and nightly jobs"
        case .jenkins: return "Jenkins: the sluiceRun step on change requests and nightly"
        case .github: return "GitHub Actions: sluice run on pull requests and nightly"
        }
    }

    /// What the user still has to do in the CI system itself.
    var setup: [String] {
        switch self {
        case .gitlab:
            return ["copy ci/gitlab/templates/sluice-run.yml into the component project .gitlab-ci.yml includes (sluice/components on your GitLab, tagged \(SluiceBuild.version)), or change the include",
                    "set the CI/CD variables SLUICE_IMAGE (an image with the sluice binary) and SLUICE_GITLAB_TOKEN (a project access token, api scope, masked)",
                    "add a pipeline schedule on the default branch (e.g. nightly at 02:00)"]
        case .jenkins:
            return ["configure ci/jenkins/vars as the global pipeline library 'sluice' and put sluice on the agents' PATH (ci/jenkins/README.md)",
                    "create the credentials sluice-gitlab-token (secret text) and model-registry (username and password)"]
        case .github:
            return ["set the repository variable SLUICE_IMAGE (Settings > Secrets and variables > Actions > Variables): an image with the sluice binary and git"]
        }
    }

    /// The file's text; it sits at the repository's root beside `sluice.yml`.
    public var text: String {
        switch self {
        case .gitlab: return Self.gitlabFile
        case .jenkins: return Self.jenkinsFile
        case .github: return Self.githubFile
        }
    }

    /// The include of Sluice's CI/CD component (ci/gitlab/README.md) and the stage its jobs run in.
    static let gitlabFile = """
        # GitLab CI for Sluice (written by `sluice init`; docs/commands/init.md). The jobs come from
        # Sluice's CI/CD component (ci/gitlab/templates/sluice-run.yml): one on merge requests, one on
        # pipeline schedules of the default branch. The project needs the CI/CD variables
        # SLUICE_IMAGE (an image that provides the `sluice` binary) and SLUICE_GITLAB_TOKEN
        # (a project access token with the api scope, masked) and a pipeline schedule.
        stages:
          - test

        include:
          - component: $CI_SERVER_FQDN/sluice/components/sluice-run@\(SluiceBuild.version)
            inputs:
              image: $SLUICE_IMAGE
              config: sluice.yml
              stage: test

        """

    /// A declarative pipeline around the `sluiceRun` shared-library step (ci/jenkins).
    static let jenkinsFile = """
        // Sluice on change requests and nightly on the default branch (`sluice init --ci jenkins`
        // writes this file). Needs the shared library from ci/jenkins (vars/sluiceRun.groovy)
        // configured as 'sluice'.
        @Library('sluice') _

        pipeline {
            agent any
            triggers {
                cron('H 2 * * *')
            }
            options {
                timeout(time: 2, unit: 'HOURS')
                // Promotion moves the champion tag; registries have no compare-and-swap, so runs
                // of this job never overlap (see docs/commands/promote.md).
                disableConcurrentBuilds()
            }
            stages {
                stage('Sluice: merge request') {
                    when { changeRequest() }
                    steps {
                        withCredentials([string(credentialsId: 'sluice-gitlab-token', variable: 'SLUICE_GITLAB_TOKEN')]) {
                            sluiceRun(config: 'sluice.yml', mode: 'mr')
                        }
                    }
                }
                stage('Sluice: nightly') {
                    // One promotion at a time across jobs and branches (Lockable Resources plugin).
                    options { lock(resource: 'sluice-promotion') }
                    when {
                        allOf {
                            // The repository's default branch, whatever its name (multibranch
                            // pipelines mark it primary).
                            expression { env.BRANCH_IS_PRIMARY == 'true' }
                            triggeredBy 'TimerTrigger'
                        }
                    }
                    steps {
                        withCredentials([
                            string(credentialsId: 'sluice-gitlab-token', variable: 'SLUICE_GITLAB_TOKEN'),
                            usernamePassword(credentialsId: 'model-registry', usernameVariable: 'SLUICE_REGISTRY_USER', passwordVariable: 'SLUICE_REGISTRY_PASSWORD')
                        ]) {
                            sluiceRun(config: 'sluice.yml', mode: 'nightly')
                        }
                    }
                }
            }
        }

        """

    /// The whole GitHub Actions workflow: GitHub has no component to include.
    static let githubFile = """
        # Sluice on GitHub Actions (written by `sluice init`; docs/commands/init.md).
        # Pull requests: train when the change or a trigger calls for it, post the report as one
        # sticky comment, never promote. Nightly on the default branch: retrain when a trigger
        # fires, push and promote a candidate that passes its gates.
        # Needs the repository variable SLUICE_IMAGE: an image with the `sluice` binary and git.
        name: sluice

        on:
          pull_request:
          schedule:
            - cron: "0 2 * * *"             # nightly at 02:00 UTC

        permissions:
          contents: read
          pull-requests: write              # the report comment
          statuses: write                   # the commit status (report.status in sluice.yml)
          actions: read                     # the trend: the default branch's last sluice-report artifact

        jobs:
          sluice:
            runs-on: ubuntu-latest
            container:
              image: ${{ vars.SLUICE_IMAGE }}
            steps:
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0            # the merge base with the target branch needs history
              - uses: actions/cache@v4
                with:
                  path: .sluice/cache       # the run cache: an unchanged training step is restored
                  key: sluice-run-cache-${{ github.head_ref || github.ref_name }}-${{ github.sha }}
                  restore-keys: sluice-run-cache-${{ github.head_ref || github.ref_name }}-
              - name: sluice run
                env:
                  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
                  # For package.push, the registry's credentials, e.g. for ghcr.io (and
                  # `packages: write` above):
                  # SLUICE_REGISTRY_USER: ${{ github.actor }}
                  # SLUICE_REGISTRY_PASSWORD: ${{ secrets.GITHUB_TOKEN }}
                run: sluice run --config sluice.yml --mode ${{ github.event_name == 'pull_request' && 'mr' || 'nightly' }}
              - uses: actions/upload-artifact@v4
                if: always()
                with:
                  name: sluice-report
                  path: .sluice/latest/

        """
}
