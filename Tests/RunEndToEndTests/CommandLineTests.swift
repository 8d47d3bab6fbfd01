import TestSupport
import XCTest

/// The command line's own conventions: help on stdout with exit 0, usage errors exit 2.
final class CommandLineTests: XCTestCase {
    func testHelpAndVersionExitZeroOnStdout() throws {
        for arguments in [["--help"], ["run", "--help"], ["help", "run"], ["config", "check", "--help"]] {
            let result = try SluiceBinary.run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("USAGE") || result.stdout.contains("OVERVIEW"), "\(arguments): \(result.stdout)")
        }
        let version = try SluiceBinary.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0.1.0")
    }

    func testUnknownFlagsAndValuesAreUsageErrors() throws {
        let flag = try SluiceBinary.run(["run", "--bogus"])
        XCTAssertEqual(flag.status, 2)
        XCTAssertTrue(flag.stderr.contains("Unknown option '--bogus'"), flag.stderr)
        XCTAssertEqual(flag.stdout, "")
        let mode = try SluiceBinary.run(["run", "--mode", "weekly"])
        XCTAssertEqual(mode.status, 2)
        XCTAssertTrue(mode.stderr.contains("weekly"), mode.stderr)
        let missing = try SluiceBinary.run(["run", "--config", "/nonexistent/sluice.yml"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/sluice.yml"), missing.stderr)
    }
}
