import Foundation
import XCTest

/// The registries ci/test starts (see ci/services/registry.sh).
public enum TestRegistry {
    static var environment: [String: String] { TestService.environment }

    public static func address(_ variable: String = "SLUICE_TEST_REGISTRY") throws -> String {
        try TestService.required(variable, what: "the test registries")
    }

    public static var user: String { environment["SLUICE_TEST_REGISTRY_USER"] ?? "" }
    public static var password: String { environment["SLUICE_TEST_REGISTRY_PASSWORD"] ?? "" }

    /// A repository name no other test uses.
    public static func repository(_ prefix: String) -> String {
        "\(prefix)/\(UUID().uuidString.lowercased().prefix(8))"
    }
}

