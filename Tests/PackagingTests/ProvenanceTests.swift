import Foundation
@testable import Packaging
import XCTest

final class ProvenanceTests: XCTestCase {
    func testCredentialsInTheSourceURLAreNeverAnnotated() {
        for variables in [["GIT_URL": "https://builder:s3cret@git.example/ml/churn.git"],
                          ["CI_PROJECT_URL": "https://gitlab-ci-token:s3cret@git.example/ml/churn.git"]] {
            let provenance = Provenance.fromEnvironment(variables)
            XCTAssertEqual(provenance.source, "https://git.example/ml/churn.git")
            XCTAssertFalse(provenance.annotations(baseName: nil, baseDigest: nil).values.contains { $0.contains("s3cret") })
        }
    }
}
