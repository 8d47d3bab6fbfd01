import Foundation
import TestSupport
import XCTest
import Yams

/// GitLab links an exposed artifact straight to the file only when `paths` names one file:
/// the merge request job exposes report.html alone; the scheduled job keeps run.json, the
/// trend's source for later merge requests.
final class ReportLinkTemplateTests: XCTestCase {
    func testMergeRequestJobExposesTheReportFileItself() throws {
        let component = try String(contentsOfFile: Fixtures.repo("ci/gitlab/templates/sluice-run.yml"), encoding: .utf8)
            .replacingOccurrences(of: "$[[ inputs.mr_job_name ]]", with: "sluice-merge-request").replacingOccurrences(of: "$[[ inputs.nightly_job_name ]]", with: "sluice-nightly")
        let plain = try String(contentsOfFile: Fixtures.repo("ci/gitlab/sluice-run.gitlab-ci.yml"), encoding: .utf8)
        for jobs in [try XCTUnwrap(Array(try Yams.load_all(yaml: component))[1] as? [String: Any]), try XCTUnwrap(try Yams.load(yaml: plain) as? [String: Any])] {
            let mr = (jobs["sluice-merge-request"] as? [String: Any])?["artifacts"] as? [String: Any]
            XCTAssertEqual(mr?["expose_as"] as? String, "Sluice report")
            XCTAssertEqual(mr?["paths"] as? [String], [".sluice/latest/report.html"], "one file: the link opens it")
            let nightly = (jobs["sluice-nightly"] as? [String: Any])?["artifacts"] as? [String: Any]
            XCTAssertNil(nightly?["expose_as"])
            XCTAssertTrue((nightly?["paths"] as? [String])?.contains(".sluice/latest/") ?? false, "run.json stays for the trend")
            let cache = (jobs[".sluice-run-base"] as? [String: Any])?["cache"] as? [String: Any]
            XCTAssertEqual(cache?["fallback_keys"] as? [String], ["sluice-run-cache-$CI_DEFAULT_BRANCH"], "merge requests see the target branch's history")
        }
    }
}
