import CIEnvironment
import Foundation
import XCTest

final class CIEnvironmentTests: XCTestCase {
    func testNoCIVariablesIsALocalRun() {
        XCTAssertEqual(CIEnvironment.detect(["HOME": "/root"]), CIFacts(system: .local))
    }

    func testGitLabMergeRequestPipeline() {
        let facts = CIEnvironment.detect([
            "GITLAB_CI": "true", "CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_PROJECT_ID": "42",
            "CI_PROJECT_PATH": "ml/churn", "CI_PROJECT_URL": "https://gitlab.example.com/ml/churn",
            "CI_MERGE_REQUEST_IID": "17", "CI_MERGE_REQUEST_TITLE": "Tune | *lr*",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "tune-lr", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
            "CI_COMMIT_SHA": "abc123", "CI_PIPELINE_SOURCE": "merge_request_event",
            "CI_PIPELINE_URL": "https://gitlab.example.com/ml/churn/-/pipelines/9", "CI_JOB_NAME": "train: [gbm]",
            "CI_JOB_URL": "https://gitlab.example.com/ml/churn/-/jobs/77", "CI_MERGE_REQUEST_ID": "123456",
            "CI_MERGE_REQUEST_DIFF_BASE_SHA": "base999",
        ])
        XCTAssertEqual(facts, CIFacts(
            system: .gitlab, forge: .gitlab, apiURL: "https://gitlab.example.com/api/v4", project: "42",
            changeNumber: 17, changeURL: "https://gitlab.example.com/ml/churn/-/merge_requests/17", changeTitle: "Tune | *lr*",
            branch: "tune-lr", targetBranch: "main", commit: "abc123", diffBaseCommit: "base999",
            pipelineURL: "https://gitlab.example.com/ml/churn/-/pipelines/9",
            artifactsURL: "https://gitlab.example.com/ml/churn/-/jobs/77/artifacts/browse", jobName: "train: [gbm]", jobURL: "https://gitlab.example.com/ml/churn/-/jobs/77",
            pipelineKind: .mergeRequest))
    }

    func testGitLabScheduleAndBranchPipelineWithAnOpenMergeRequest() {
        let schedule = CIEnvironment.detect(["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main", "CI_MERGE_REQUEST_IID": ""])
        XCTAssertEqual(schedule.pipelineKind, .schedule)
        XCTAssertNil(schedule.changeNumber)
        XCTAssertEqual(schedule.branch, "main")

        let push = CIEnvironment.detect(["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "feat",
                                         "CI_PROJECT_PATH": "ml/churn", "CI_PROJECT_URL": "https://g/ml/churn",
                                         "CI_OPEN_MERGE_REQUESTS": "other/fork!3,ml/churn!8"])
        XCTAssertEqual(push.pipelineKind, .push)
        XCTAssertEqual(push.changeNumber, 8)
        XCTAssertEqual(push.changeURL, "https://g/ml/churn/-/merge_requests/8")
    }

    func testGitLabMergeRequestFromAForkAddressesTheTargetProject() {
        let fork = CIEnvironment.detect([
            "GITLAB_CI": "true", "CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_PROJECT_ID": "99", "CI_PROJECT_PATH": "alice/churn",
            "CI_PROJECT_URL": "https://gitlab.example.com/alice/churn", "CI_MERGE_REQUEST_IID": "17", "CI_PIPELINE_SOURCE": "merge_request_event",
            "CI_MERGE_REQUEST_PROJECT_ID": "42", "CI_MERGE_REQUEST_PROJECT_PATH": "ml/churn",
            "CI_MERGE_REQUEST_PROJECT_URL": "https://gitlab.example.com/ml/churn", "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "99",
        ])
        XCTAssertEqual(fork.project, "42", "the merge request's IID belongs to the target project")
        XCTAssertEqual(fork.pipelineProject, "99")
        XCTAssertEqual(fork.statusProject, "99", "the commit and its pipeline are in the fork")
        XCTAssertEqual(fork.changeURL, "https://gitlab.example.com/ml/churn/-/merge_requests/17")
        XCTAssertEqual(fork.overriding(CIOverrides(project: "ml/other")).statusProject, "ml/other", "a project given by flag is used for both")

        // The pipeline run in the parent project for the fork's merge request: one project.
        let parent = CIEnvironment.detect(["GITLAB_CI": "true", "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "17", "CI_MERGE_REQUEST_PROJECT_ID": "42"])
        XCTAssertEqual(parent.project, "42")
        XCTAssertNil(parent.pipelineProject)
    }

    func testGitHubPullRequestFromAForkAddressesTheBaseRepository() throws {
        let event = #"{"pull_request": {"number": 8, "head": {"sha": "forkhead", "repo": {"full_name": "alice/r"}}, "base": {"repo": {"full_name": "o/r"}}}}"#
        for name in ["pull_request", "pull_request_target"] {
            let facts = CIEnvironment.detect(["GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": "/e",
                                              "GITHUB_SHA": "basesha"], readFile: { _ in Data(event.utf8) })
            XCTAssertEqual(facts.project, "o/r", name)
            XCTAssertEqual(facts.statusProject, "o/r", name)
            XCTAssertEqual(facts.commit, "forkhead", name)
            XCTAssertEqual(facts.changeNumber, 8, name)
        }
    }

    func testGitHubPullRequestReadsTheEventFileAndUsesTheHeadCommit() throws {
        let event = #"{"pull_request": {"number": 31, "title": "Add <feature>", "html_url": "https://github.com/o/r/pull/31", "head": {"sha": "headsha"}}}"#
        let facts = CIEnvironment.detect([
            "GITHUB_ACTIONS": "true", "GITHUB_API_URL": "https://api.github.com", "GITHUB_REPOSITORY": "o/r",
            "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "555", "GITHUB_JOB": "evaluate",
            "GITHUB_SHA": "mergesha", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "/event.json",
            "GITHUB_HEAD_REF": "feature/a", "GITHUB_BASE_REF": "main", "GITHUB_REF_NAME": "31/merge",
        ], readFile: { $0 == "/event.json" ? Data(event.utf8) : nil })
        XCTAssertEqual(facts, CIFacts(
            system: .github, forge: .github, apiURL: "https://api.github.com", project: "o/r", changeNumber: 31,
            changeURL: "https://github.com/o/r/pull/31", changeTitle: "Add <feature>", branch: "feature/a", targetBranch: "main",
            commit: "headsha", pipelineURL: "https://github.com/o/r/actions/runs/555",
            artifactsURL: "https://github.com/o/r/actions/runs/555#artifacts", jobName: "evaluate", jobURL: "https://github.com/o/r/actions/runs/555", pipelineKind: .mergeRequest))
    }

    func testGitHubPushAndScheduleHaveNoPullRequest() {
        let push = CIEnvironment.detect(["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_REF_NAME": "main", "GITHUB_SHA": "s", "GITHUB_EVENT_PATH": "/e"],
                                        readFile: { _ in Data(#"{"ref": "refs/heads/main"}"#.utf8) })
        XCTAssertEqual(push.pipelineKind, .push)
        XCTAssertNil(push.changeNumber)
        XCTAssertEqual(push.branch, "main")
        XCTAssertEqual(push.commit, "s")
        XCTAssertEqual(CIEnvironment.detect(["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "schedule"]).pipelineKind, .schedule)
    }

    func testJenkinsMultibranchWithGitHubAndSelfHostedGitLab() {
        let github = CIEnvironment.detect([
            "JENKINS_URL": "https://ci/", "BUILD_URL": "https://ci/job/churn/PR-5/3/", "JOB_NAME": "churn/PR-5",
            "CHANGE_ID": "5", "CHANGE_URL": "https://github.com/o/r/pull/5", "CHANGE_TARGET": "main",
            "CHANGE_BRANCH": "feat", "CHANGE_TITLE": "t", "GIT_COMMIT": "c0ffee", "BRANCH_NAME": "PR-5",
        ])
        XCTAssertEqual(github, CIFacts(
            system: .jenkins, forge: .github, apiURL: "https://api.github.com", project: "o/r", changeNumber: 5,
            changeURL: "https://github.com/o/r/pull/5", changeTitle: "t", branch: "feat", targetBranch: "main", commit: "c0ffee",
            pipelineURL: "https://ci/job/churn/PR-5/3/", artifactsURL: "https://ci/job/churn/PR-5/3/artifact/",
            jobName: "churn/PR-5", jobURL: "https://ci/job/churn/PR-5/3/", pipelineKind: .mergeRequest))

        let gitlab = CIEnvironment.detect(["JENKINS_URL": "https://ci/", "CHANGE_ID": "12",
                                           "CHANGE_URL": "https://git.corp:8443/ml/team/churn/-/merge_requests/12"])
        XCTAssertEqual(gitlab.forge, .gitlab)
        XCTAssertEqual(gitlab.apiURL, "https://git.corp:8443/api/v4")
        XCTAssertEqual(gitlab.project, "ml/team/churn")

        let enterprise = CIEnvironment.detect(["JENKINS_URL": "https://ci/", "CHANGE_ID": "2", "CHANGE_URL": "https://ghe.corp/o/r/pull/2"])
        XCTAssertEqual(enterprise.apiURL, "https://ghe.corp/api/v3")

        let branch = CIEnvironment.detect(["JENKINS_URL": "https://ci/", "BRANCH_NAME": "main"])
        XCTAssertEqual(branch.pipelineKind, .push)
        XCTAssertNil(branch.forge)
        XCTAssertEqual(branch.branch, "main")
    }

    func testJenkinsGitLabPluginUsesTheProjectScopedIID() {
        let facts = CIEnvironment.detect([
            "JENKINS_HOME": "/var/jenkins", "BUILD_URL": "https://ci/job/x/9/", "JOB_NAME": "x",
            "gitlabMergeRequestIid": "4", "gitlabMergeRequestId": "99812", "gitlabSourceBranch": "feat",
            "gitlabTargetBranch": "main", "gitlabMergeRequestLastCommit": "deadbeef", "gitlabMergeRequestTitle": "T",
            "gitlabTargetRepoHttpUrl": "https://gitlab.corp/ml/churn.git",
        ])
        XCTAssertEqual(facts.forge, .gitlab)
        XCTAssertEqual(facts.changeNumber, 4)
        XCTAssertEqual(facts.apiURL, "https://gitlab.corp/api/v4")
        XCTAssertEqual(facts.project, "ml/churn")
        XCTAssertEqual(facts.changeURL, "https://gitlab.corp/ml/churn/-/merge_requests/4")
        XCTAssertEqual(facts.commit, "deadbeef")
        XCTAssertEqual(facts.targetBranch, "main")

        let ssh = CIEnvironment.detect(["JENKINS_HOME": "/j", "gitlabMergeRequestIid": "4", "gitlabTargetRepoSshUrl": "git@gitlab.corp:ml/churn.git", "gitlabMergeRequestTargetProjectId": "77"])
        XCTAssertEqual(ssh.apiURL, "https://gitlab.corp/api/v4")
        XCTAssertEqual(ssh.project, "77")
    }

    func testOverridesWin() {
        let detected = CIEnvironment.detect(["JENKINS_URL": "https://ci/", "BRANCH_NAME": "main", "GIT_COMMIT": "a"])
        let facts = detected.overriding(CIOverrides(forge: .gitlab, project: "ml/churn", changeNumber: 3, commit: "b"))
        XCTAssertEqual(facts.forge, .gitlab)
        XCTAssertEqual(facts.apiURL, "https://gitlab.com/api/v4")
        XCTAssertEqual(facts.project, "ml/churn")
        XCTAssertEqual(facts.changeNumber, 3)
        XCTAssertEqual(facts.pipelineKind, .mergeRequest)
        XCTAssertEqual(facts.commit, "b")

        let gitlab = CIEnvironment.detect(["GITLAB_CI": "true", "CI_API_V4_URL": "https://self/api/v4"])
        XCTAssertEqual(gitlab.overriding(CIOverrides(forge: .gitlab)).apiURL, "https://self/api/v4")
        XCTAssertEqual(gitlab.overriding(CIOverrides(apiURL: "https://other/api/v4")).apiURL, "https://other/api/v4")
    }

    func testForgeURLRejectsOtherShapes() {
        XCTAssertNil(ForgeURL(changeURL: "https://bitbucket.org/o/r/pull-requests/3"))
        XCTAssertNil(ForgeURL(changeURL: "not a url"))
        XCTAssertNil(ForgeURL(changeURL: "https://gitlab.com/-/merge_requests/3"))
    }

    func testCredentialsInCIURLsAreNeverRecorded() {
        let jenkins = CIEnvironment.detect(["JENKINS_URL": "https://ci", "BUILD_URL": "https://builder:s3cret@ci.example/job/m/7/",
                                            "CHANGE_ID": "4", "CHANGE_URL": "https://bot:t0ken@github.com/org/repo/pull/4"])
        XCTAssertEqual(jenkins.pipelineURL, "https://ci.example/job/m/7/")
        XCTAssertEqual(jenkins.artifactsURL, "https://ci.example/job/m/7/artifact/")
        XCTAssertEqual(jenkins.changeURL, "https://github.com/org/repo/pull/4")
        let gitlab = CIEnvironment.detect(["GITLAB_CI": "true", "CI_PIPELINE_URL": "https://u:p@gitlab.example/p/-/pipelines/1",
                                           "CI_JOB_URL": "https://u:p@gitlab.example/p/-/jobs/3"])
        XCTAssertEqual(gitlab.pipelineURL, "https://gitlab.example/p/-/pipelines/1")
        XCTAssertEqual(gitlab.jobURL, "https://gitlab.example/p/-/jobs/3")
        XCTAssertEqual(gitlab.artifactsURL, "https://gitlab.example/p/-/jobs/3/artifacts/browse")
    }
}
