import Core
import Foundation
import OCI
import TestSupport
import XCTest

/// Temporaries of a killed run (a full-size blob, an index being written) are removed by
/// the next run; those of a live writer, or changed within the last minute, are kept.
final class StaleTemporariesTests: XCTestCase {
    /// A process ID that exists nowhere: a child that has exited and been reaped.
    func deadPID() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    func age(_ path: String, seconds: Int) {
        var times = [timespec(tv_sec: time(nil) - seconds, tv_nsec: 0), timespec(tv_sec: time(nil) - seconds, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
    }

    func testALaterRunRemovesTheTemporariesOfAKilledOne() throws {
        let directory = try TemporaryDirectory()
        let layout = directory.file("layout")
        _ = try ImageLayout(path: layout, create: true)
        let dead = try deadPID()
        let staleBlob = try directory.write("layout/blobs/.tmp-\(dead)-5E1F", String(repeating: "x", count: 100_000))
        let staleIndex = try directory.write("layout/.index.json.\(dead).tmp", "{")
        let freshBlob = try directory.write("layout/blobs/.tmp-\(dead)-A11F", "being written by a writer in another PID namespace")
        let liveBlob = try directory.write("layout/blobs/.tmp-\(getppid())-B0B0", "a live writer")
        for path in [staleBlob, staleIndex, liveBlob] { age(path, seconds: 120) }

        let reopened = try ImageLayout(path: layout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staleBlob))
        XCTAssertFalse(FileManager.default.fileExists(atPath: staleIndex))
        XCTAssertTrue(FileManager.default.fileExists(atPath: freshBlob))
        XCTAssertTrue(FileManager.default.fileExists(atPath: liveBlob))
        XCTAssertTrue(reopened.temporaryPath().contains("/blobs/.tmp-\(getpid())-"), "a new temporary names its writer")

        let report = try directory.write("runs/.run.json.\(dead).tmp", "{\"half")
        age(report, seconds: 120)
        try AtomicFile.write("{}", to: directory.file("runs/run.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: report))
    }
}
