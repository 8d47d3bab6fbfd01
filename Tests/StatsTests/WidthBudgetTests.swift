import Foundation
import TestSupport
import XCTest

/// Wide tables stay within the stated memory budget (docs/performance.md): 1 GB for
/// 100,000 columns, and a clear error (exit 2) beyond the column limit instead of swapping.
final class WidthBudgetTests: XCTestCase {
    /// Runs `sluice profile` under GNU time and returns the exit status, stderr and peak RSS in MB.
    func profile(_ csv: String, _ extra: [String] = []) throws -> (status: Int32, stderr: String, peakMB: Double) {
        let directory = (csv as NSString).deletingLastPathComponent
        let result = try runProcess("/usr/bin/time", ["-f", "peak-rss-kb=%M", SluiceBinary.path, "profile", csv, "--out", directory + "/p.json", "--quiet"] + extra)
        let line = result.stderr.split(separator: "\n").last { $0.hasPrefix("peak-rss-kb=") }
        let kilobytes = try XCTUnwrap(line.flatMap { Double($0.dropFirst("peak-rss-kb=".count)) }, result.stderr)
        return (result.status, result.stderr, kilobytes / 1024)
    }

    func testAMillionEmptyColumnsStopsAtTheLimitWithinBudget() throws {
        let directory = try TemporaryDirectory()
        let header = String(repeating: ",", count: 999_999)
        let csv = try directory.write("wide.csv", header + "\n" + header + "\n")
        let result = try profile(csv)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("the table has 1000000 columns, more than the limit of 100000"), result.stderr)
        XCTAssertLessThan(result.peakMB, 1024)
        let narrower = try profile(csv, ["--max-columns", "10"])
        XCTAssertTrue(narrower.stderr.contains("more than the limit of 10 "), narrower.stderr)
    }

    func testOneHundredThousandColumnsFitOneGigabyte() throws {
        let directory = try TemporaryDirectory()
        let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        let empty = String(repeating: ",", count: 99_999)
        let csv = try directory.write("wide.csv", header + "\n" + empty + "\n" + empty + "\n")
        let result = try profile(csv)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertLessThan(result.peakMB, 1024, "the stated budget")
    }
}
