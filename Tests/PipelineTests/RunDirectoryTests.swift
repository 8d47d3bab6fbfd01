import Foundation
import Pipeline
import TestSupport
import XCTest

final class RunDirectoryTests: XCTestCase {
    func testRunIdUsesCIIdsWhenPresent() {
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        XCTAssertEqual(RunDirectory.makeRunId(date: date, environment: ["CI_PIPELINE_ID": "77", "CI_JOB_ID": "901"]), "20261118T110640Z-77-901")
        XCTAssertEqual(RunDirectory.makeRunId(date: date, environment: ["BUILD_NUMBER": "12"]), "20261118T110640Z-12")
        let local = RunDirectory.makeRunId(date: date, environment: [:])
        XCTAssertTrue(local.hasPrefix("20261118T110640Z-"))
        XCTAssertNotEqual(local, RunDirectory.makeRunId(date: date, environment: [:]), "local ids are unique")
    }

    func testPublishLatestReplacesThePreviousRunsFiles() throws {
        let temp = try TemporaryDirectory()
        let root = temp.file(".sluice")
        let first = try RunDirectory(root: root, runId: "one")
        try "first".write(toFile: first.file("report.md"), atomically: true, encoding: .utf8)
        try "junit".write(toFile: first.file("junit.xml"), atomically: true, encoding: .utf8)
        try first.publishLatest(["report.md", "junit.xml", "report.html"])
        XCTAssertEqual(try String(contentsOfFile: first.latest + "/report.md", encoding: .utf8), "first")

        let second = try RunDirectory(root: root, runId: "two")
        try "second".write(toFile: second.file("report.md"), atomically: true, encoding: .utf8)
        try second.publishLatest(["report.md", "junit.xml"])
        XCTAssertEqual(try String(contentsOfFile: second.latest + "/report.md", encoding: .utf8), "second")
        XCTAssertFalse(FileManager.default.fileExists(atPath: second.latest + "/junit.xml"), "files of an older run never linger in latest/")
        XCTAssertEqual(try String(contentsOfFile: second.latest + "/RUN_ID", encoding: .utf8), "two")
    }

    func testRejectsRunIdsThatEscapeTheDirectory() {
        XCTAssertThrowsError(try RunDirectory(root: "/tmp/x", runId: "../etc"))
    }
}
