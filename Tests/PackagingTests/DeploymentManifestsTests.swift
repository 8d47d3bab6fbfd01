import Foundation
import OCI
@testable import Packaging
import TestSupport
import XCTest
import Yams

final class DeploymentManifestsTests: XCTestCase {
    private let digest = "sha256:" + String(repeating: "ab", count: 32)

    private func documents(_ yaml: String) throws -> [[String: Any]] {
        try Yams.load_all(yaml: yaml).compactMap { $0 as? [String: Any] }
    }

    func testKServeAndKubernetesManifestsPinTheDigestAndProbeTheHealthEndpoints() throws {
        let reference = Reference(registry: "registry.example.com", repository: "team/Churn_Model", digest: try Digest(digest))
        let manifests = DeploymentManifests(reference: reference, port: 8080, user: "65532:65532")
        XCTAssertEqual(manifests.name, "churn-model")
        let image = "registry.example.com/team/Churn_Model@\(digest)"

        let kserve = try XCTUnwrap(try documents(manifests.inferenceService).first)
        XCTAssertEqual(kserve["apiVersion"] as? String, "serving.kserve.io/v1beta1")
        XCTAssertEqual(kserve["kind"] as? String, "InferenceService")
        let predictor = ((kserve["spec"] as? [String: Any])?["predictor"] as? [String: Any])
        let container = try XCTUnwrap((predictor?["containers"] as? [[String: Any]])?.first)
        XCTAssertEqual(container["name"] as? String, "kserve-container")
        XCTAssertEqual(container["image"] as? String, image)
        XCTAssertEqual(((container["readinessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String, "/v2/health/ready")
        XCTAssertEqual(((container["livenessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String, "/v2/health/live")
        XCTAssertEqual((container["ports"] as? [[String: Any]])?.first?["containerPort"] as? Int, 8080)

        let kubernetes = try documents(manifests.deployment)
        XCTAssertEqual(kubernetes.map { $0["kind"] as? String }, ["Deployment", "Service"])
        let pod = (((kubernetes[0]["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any]) ?? [:]
        XCTAssertEqual((pod["securityContext"] as? [String: Any])?["runAsNonRoot"] as? Bool, true)
        XCTAssertEqual((pod["containers"] as? [[String: Any]])?.first?["image"] as? String, image)
        let selector = (((kubernetes[0]["spec"] as? [String: Any])?["selector"] as? [String: Any])?["matchLabels"] as? [String: String])
        XCTAssertEqual((kubernetes[1]["spec"] as? [String: Any])?["selector"] as? [String: String], selector)
        XCTAssertEqual(((kubernetes[1]["spec"] as? [String: Any])?["ports"] as? [[String: Any]])?.first?["targetPort"] as? Int, 8080)
    }

    func testARootImageDoesNotAskForNonRoot() throws {
        let manifests = DeploymentManifests(reference: Reference(registry: "r", repository: "m", digest: try Digest(digest)), port: 9000, user: nil)
        XCTAssertFalse(manifests.deployment.contains("runAsNonRoot"))
        var config = ContainerConfig()
        config.exposedPorts = ["53/udp": EmptyObject(), "9000/tcp": EmptyObject(), "9100/tcp": EmptyObject()]
        XCTAssertEqual(DeploymentManifests.port(of: config), 9000)
        XCTAssertNil(DeploymentManifests.port(of: ContainerConfig()))
    }

    func testLoaderListsAreReadIntoNamesAndPathsAndAMissingLibraryIsAnError() throws {
        let listing = """
        \tlinux-vdso.so.1 (0x00007ffd)
        \tlibswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x00007f6b)
        \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f6a)
        \t/lib64/ld-linux-x86-64.so.2 (0x00007f6c)
        """
        let libraries = try SharedLibraries.parseList(listing, interpreter: "/lib64/ld-linux-x86-64.so.2")
        XCTAssertEqual(libraries.map(\.name), ["libswiftCore.so", "libc.so.6"])
        XCTAssertEqual(libraries.map(\.path), ["/opt/swift/usr/lib/swift/linux/libswiftCore.so", "/lib/x86_64-linux-gnu/libc.so.6"])
        XCTAssertThrowsError(try SharedLibraries.parseList("\tlibgone.so.1 => not found\n", interpreter: "/x")) { error in
            XCTAssertTrue("\(error)".contains("libgone.so.1"), "\(error)")
        }
    }

    /// The loader's answer for a real dynamic program agrees with ldd's; a static one has none.
    func testTheClosureOfARealProgramMatchesLdd() throws {
        let closure = try SharedLibraries.closure(of: "/usr/bin/curl")
        XCTAssertEqual(closure.interpreter, "/lib64/ld-linux-x86-64.so.2")
        let ldd = try runProcess("ldd", ["/usr/bin/curl"])
        let names = ldd.stdout.split(separator: "\n").compactMap { line -> String? in
            let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " => ")
            return parts.count == 2 ? parts[0] : nil
        }
        XCTAssertEqual(closure.libraries.map(\.name).sorted(), names.sorted())
        XCTAssertTrue(closure.libraries.contains { $0.name.hasPrefix("libcurl.so") })
        if FileManager.default.fileExists(atPath: "/bin/busybox") {
            XCTAssertNil(try SharedLibraries.interpreter(of: "/bin/busybox"), "Debian's busybox-static has no interpreter")
        }
    }
}
