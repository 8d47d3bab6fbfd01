import Foundation
import TestSupport
import XCTest

/// Progress of `validate`, `profile` and `drift` on a 10 MB file as a CI log shows it
/// (stderr is not a terminal here): plain lines with bytes, rate and ETA, nothing with
/// `--quiet`, and stdout untouched.
final class ProgressEndToEndTests: XCTestCase {
    func testLargeFilesReportProgressInCILogsAndQuietSilencesIt() throws {
        let directory = try TemporaryDirectory()
        var text = "id,value,group\n"
        text.reserveCapacity(10 << 20)
        var row = 0
        while text.utf8.count < 10 << 20 {
            text += "\(row),\(Double(row % 1000) / 7),g\(row % 13)\n"
            row += 1
        }
        let data = try directory.write("big.csv", text)
        let schema = try directory.write("schema.json", #"{"fields": [{"name": "id", "type": "integer"}, {"name": "value", "type": "number"}, {"name": "group", "type": "string"}]}"#)
        // Lines every 0.05 s instead of 10 s, so a test need not wait; validation still runs
        // on threads, in 1 MiB chunks rather than the suite's 4 KiB (2,560 of them would
        // only slow the debug build down).
        let environment = ["SLUICE_PROGRESS_INTERVAL": "0.05", "SLUICE_CHUNK_BYTES": "1048576"]
        let commands = [
            ["validate", data, "--schema", schema],
            ["profile", data, "--out", directory.file("profile.json")],
            ["drift", "--reference", data, "--current", data],
        ]
        for arguments in commands {
            let result = try SluiceBinary.run(arguments, in: directory.path, environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("\(arguments[0]) ") && $0.contains("big.csv: ") }
            XCTAssertFalse(lines.isEmpty, "\(arguments[0]): \(result.stderr)")
            XCTAssertTrue(lines.contains { $0.contains("MB/s, ETA ") }, "\(arguments[0]): \(lines)")
            XCTAssertTrue(lines.last?.contains(": 100% ") ?? false, "\(arguments[0]) ends with the whole file: \(lines)")
            XCTAssertFalse(result.stderr.contains("\r"), "no carriage returns in a CI log")
            XCTAssertFalse(result.stdout.contains("MB/s"), "progress stays off stdout")

            let quiet = try SluiceBinary.run(arguments + ["--quiet"], in: directory.path, environment: environment)
            XCTAssertEqual(quiet.status, 0, quiet.stderr)
            XCTAssertFalse(quiet.stderr.contains("MB/s"), "\(arguments[0]) --quiet: \(quiet.stderr)")
        }
    }
}
