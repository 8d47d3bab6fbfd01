import Foundation
import XCTest

/// A variable a test service in ci/services/ exports. Outside CI a test without it is
/// skipped; under CI=true it fails, so a broken setup never passes silently.
public enum TestService {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The value of `variable`; `what` names the service in the message ("the test registries").
    public static func required(_ variable: String, what: String) throws -> String {
        if let value = environment[variable], !value.isEmpty { return value }
        if environment["CI"] == "true" {
            XCTFail("\(variable) is not set: ci/test starts \(what) (source ci/services.sh; start_test_services)")
            throw XCTSkip("failed above")
        }
        throw XCTSkip("\(variable) is not set; run ci/test or source ci/services.sh && start_test_services")
    }
}
