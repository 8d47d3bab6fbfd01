import Foundation
import XCTest

/// The registries ci/test starts (see ci/services/registry.sh). Outside CI a test without them is
/// skipped; under CI=true it fails, so a broken setup never passes silently.
public enum TestRegistry {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    public static func address(_ variable: String = "SLUICE_TEST_REGISTRY") throws -> String {
        if let address = environment[variable], !address.isEmpty { return address }
        if environment["CI"] == "true" {
            XCTFail("\(variable) is not set: ci/test starts the test registries (source ci/services.sh; start_test_services)")
            throw XCTSkip("failed above")
        }
        throw XCTSkip("\(variable) is not set; run ci/test or source ci/services.sh && start_test_services")
    }

    public static var user: String { environment["SLUICE_TEST_REGISTRY_USER"] ?? "" }
    public static var password: String { environment["SLUICE_TEST_REGISTRY_PASSWORD"] ?? "" }

    /// A repository name no other test uses.
    public static func repository(_ prefix: String) -> String {
        "\(prefix)/\(UUID().uuidString.lowercased().prefix(8))"
    }
}

