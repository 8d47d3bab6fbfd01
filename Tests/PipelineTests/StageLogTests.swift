import Core
import Pipeline
import XCTest

final class StageLogTests: XCTestCase {
    private final class Lines {
        var all: [String] = []
    }

    func testGitLabGetsCollapsibleSectionsAroundEachStage() throws {
        let lines = Lines()
        let log = StageLog(terminal: Terminal(environment: ["GITLAB_CI": "true", "NO_COLOR": "1"]), write: { lines.all.append($0) })
        log.run(.train, "Training the candidate") { (.passed, "trained in 1.0s") }
        log.skip(.push, because: "no package.push reference")
        XCTAssertEqual(lines.all.count, 4)
        XCTAssertTrue(lines.all[0].hasPrefix("\u{1B}[0Ksection_start:"), lines.all[0])
        XCTAssertTrue(lines.all[0].contains(":sluice_train[collapsed=false]\r\u{1B}[0K▶ Training the candidate"), lines.all[0])
        XCTAssertTrue(lines.all[1].hasPrefix("✔ train passed in "), lines.all[1])
        XCTAssertTrue(lines.all[2].hasPrefix("\u{1B}[0Ksection_end:") && lines.all[2].contains(":sluice_train\r"), lines.all[2])
        XCTAssertEqual(lines.all[3], "○ push: skipped, no package.push reference")
        XCTAssertEqual(log.records.map(\.name), [.train, .push])
        XCTAssertEqual(log.records.map(\.status), [.passed, .skipped])
    }

    func testPlainLogsHaveNoSectionMarkersAndTheTableEndsTheRun() throws {
        let lines = Lines()
        let log = StageLog(terminal: Terminal(environment: ["NO_COLOR": "1"]), write: { lines.all.append($0) })
        log.run(.validate, "Validating") { (.failed, "6 errors") }
        XCTAssertThrowsError(try log.run(.train, "Training") { throw CommandFailure(summary: "the training command failed", tail: "Traceback") })
        XCTAssertFalse(lines.all.joined().contains("section_start"))
        XCTAssertEqual(log.records.last?.status, .error)
        XCTAssertEqual(log.records.last?.logTail, "Traceback", "a broken stage keeps its log tail for the report")
        let table = log.summaryTable().split(separator: "\n")
        XCTAssertEqual(table.count, 3)
        XCTAssertTrue(table[1].hasPrefix("validate  failed"), String(table[1]))
        XCTAssertTrue(table[2].contains("error") && table[2].contains("the training command failed"), String(table[2]))
    }
}
