import Core
import Foundation
@testable import OCI
import TestSupport
import XCTest

/// The runtime bundle and runner against real umoci and runc, on a busybox image.
final class ContainerRuntimeTests: XCTestCase {
    func testAdjustTurnsOffTheTerminalAndTheNetworkNamespaceAndCanDropResources() throws {
        let directory = try TemporaryDirectory()
        try directory.write("config.json", #"{"process":{"terminal":true,"args":["/bin/x"],"user":{"uid":65532,"gid":65532}},"linux":{"namespaces":[{"type":"pid"},{"type":"network"},{"type":"mount"}],"resources":{"devices":[{"allow":false,"access":"rwm"}]},"cgroupsPath":"/x"}}"#)
        let bundle = RuntimeBundle(path: directory.path)
        try bundle.adjust()
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle.configPath))) as! [String: Any]
        XCTAssertEqual((config["process"] as? [String: Any])?["terminal"] as? Bool, false)
        let linux = config["linux"] as! [String: Any]
        XCTAssertEqual((linux["namespaces"] as? [[String: String]])?.map { $0["type"] }, ["pid", "mount"])
        XCTAssertNotNil(linux["resources"])
        XCTAssertEqual(try bundle.process().arguments, ["/bin/x"])
        XCTAssertEqual(try bundle.process().uid, 65532)
        try bundle.dropResourceLimits()
        config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle.configPath))) as! [String: Any]
        XCTAssertNil((config["linux"] as? [String: Any])?["resources"])
        XCTAssertNil((config["linux"] as? [String: Any])?["cgroupsPath"])
    }

    func testLocateSaysWhyNoRuntimeCanBeUsed() {
        let result = ContainerRuntime.locate(stateRoot: "/tmp/x", environment: ["PATH": "/nonexistent"])
        guard case .failure(let unavailable) = result else { return XCTFail("found a runtime on an empty PATH") }
        XCTAssertTrue(unavailable.reason.contains("no runc on PATH"), unavailable.reason)
    }

    /// busybox's httpd in a container on the host's network answers curl on loopback; stop
    /// ends it (SIGKILL after the grace period, since PID 1 ignores SIGTERM) and removes it.
    func testBusyboxServerStartsAnswersOnLoopbackAndIsRemoved() throws {
        let port = try FreePort.pick()
        let (directory, layout, runtime) = try busybox(["--config.entrypoint", "/bin/sh", "--config.cmd", "-c",
                                                        "--config.cmd", "mkdir -p /www && echo hello > /www/index.html && exec /bin/busybox httpd -f -p 127.0.0.1:\(port) -h /www"])
        let bundle = try RuntimeBundle.unpack(layout: layout, tag: "latest", into: directory.file("bundle"), umoci: runtime.umoci)
        let id = "sluice-test-\(UUID().uuidString.prefix(8).lowercased())"
        let container = try runtime.start(bundle, id: id, logPath: directory.file("container.log"))
        XCTAssertTrue(container.isRunning)
        XCTAssertTrue(ContainerTools.waitUntilAnswering("http://127.0.0.1:\(port)/"), container.logTail())
        XCTAssertEqual(try runProcess("curl", ["-s", "http://127.0.0.1:\(port)/"]).stdout, "hello\n")
        XCTAssertFalse(container.stop(grace: 1), "PID 1 without a handler ignores SIGTERM")
        XCTAssertFalse(container.isRunning)
        let list = try runProcess("/usr/sbin/runc", ["--root", directory.file("state"), "list", "-q"])
        XCTAssertFalse(list.stdout.contains(id), list.stdout)
    }

    /// An image whose config names a user its /etc/passwd lacks cannot be configured: the
    /// error says so, and the unpacked root filesystem is not left on disk.
    func testABundleThatCannotBeConfiguredLeavesNothingBehind() throws {
        let (directory, layout, runtime) = try busybox(["--config.user", "nobody-in-this-image"])
        XCTAssertThrowsError(try RuntimeBundle.unpack(layout: layout, tag: "latest", into: directory.file("bundle"), umoci: runtime.umoci)) { error in
            XCTAssertTrue("\(error)".contains("umoci could not configure"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("bundle")), "the half-made bundle is removed")
    }

    func testAnEntrypointThatDoesNotExistFailsToStartWithRuncsReason() throws {
        let (directory, layout, runtime) = try busybox(["--config.entrypoint", "/usr/local/bin/absent"])
        let bundle = try RuntimeBundle.unpack(layout: layout, tag: "latest", into: directory.file("bundle"), umoci: runtime.umoci)
        XCTAssertThrowsError(try runtime.start(bundle, id: "sluice-test-absent-\(UUID().uuidString.prefix(6).lowercased())", logPath: directory.file("log"))) { error in
            XCTAssertTrue("\(error)".contains("absent"), "\(error)")
        }
    }

    /// A busybox image in a fresh directory, its config changed by `umoci config` with
    /// `arguments`, and the runtime (the test is skipped without runc, umoci and root).
    private func busybox(_ arguments: [String]) throws -> (directory: TemporaryDirectory, layout: String, runtime: ContainerRuntime) {
        try ContainerTools.require()
        let directory = try TemporaryDirectory()
        let layout = try ContainerTools.makeBusyboxLayout(at: directory.file("layout"), scratch: directory.path)
        let configured = try runProcess("umoci", ["config", "--image", "\(layout):latest"] + arguments)
        XCTAssertEqual(configured.status, 0, configured.stderr)
        return (directory, layout, try ContainerRuntime.locate(stateRoot: directory.file("state")).get())
    }
}
