import Core
import Foundation
import XCTest

/// runc, umoci and Debian's static busybox, which ci/packages/serve.txt installs. Outside CI a
/// test without them (or not running as root, as runc needs) is skipped; under CI=true it
/// fails, so a broken setup never passes silently.
public enum ContainerTools {
    public static func require(file: StaticString = #filePath, line: UInt = #line) throws {
        let missing = ["/usr/sbin/runc", "/usr/bin/umoci", "/bin/busybox"].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        let problem = !missing.isEmpty ? "missing \(missing.joined(separator: ", ")) (ci/setup installs ci/packages/serve.txt)"
            : geteuid() != 0 ? "runc needs root" : nil
        guard let problem else { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail(problem, file: file, line: line)
            throw XCTSkip("failed above")
        }
        throw XCTSkip(problem)
    }

    /// An OCI layout at `layout` (tag `latest`) holding Debian's static busybox as /bin/busybox
    /// with /bin/sh linked to it, made by umoci (not by Sluice). Returns the layout's path.
    @discardableResult
    public static func makeBusyboxLayout(at layout: String, scratch: String) throws -> String {
        let root = (scratch as NSString).appendingPathComponent("busybox-root")
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: root + "/bin/busybox")
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        try? FileManager.default.removeItem(atPath: root + "/bin/sh")
        try FileManager.default.createSymbolicLink(atPath: root + "/bin/sh", withDestinationPath: "busybox")
        for arguments in [["init", "--layout", layout], ["new", "--image", "\(layout):latest"],
                          ["insert", "--image", "\(layout):latest", root + "/bin", "/bin"]] {
            let result = try runProcess("umoci", arguments)
            XCTAssertEqual(result.status, 0, "umoci \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return layout
    }

    /// Polls `url` with curl until it answers 200 or `timeout` passes.
    public static func waitUntilAnswering(_ url: String, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let result = try? runProcess("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", url]), result.stdout == "200" { return true }
            usleep(100_000)
        }
        return false
    }
}
