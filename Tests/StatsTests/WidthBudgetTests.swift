import Foundation
import Stats
import TestSupport
import XCTest

/// Wide tables stay within the stated memory budget (docs/performance.md, "Width"): 1 GB for
/// 100,000 columns (10 KB a column), and a clear error (exit 2) beyond the column limit
/// instead of swapping. `bench/width.sh` measures the 100,000 filled columns.
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

    /// The budget scaled down: 10,000 columns with values (half numbers, half labels, 50
    /// rows) under 100 MB, the profile written column by column.
    func testTenThousandFilledColumnsFitOneHundredMegabytes() throws {
        let directory = try TemporaryDirectory()
        let width = 10_000
        var lines = [(0..<width).map { "c\($0)" }.joined(separator: ",")]
        for row in 0..<50 {
            lines.append((0..<width).map { $0 % 2 == 0 ? String((row * 7919 + $0) % 1000) : "l\((row * 31 + $0) % 100)" }.joined(separator: ","))
        }
        let csv = try directory.write("filled.csv", lines.joined(separator: "\n") + "\n")
        let result = try profile(csv)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertLessThan(result.peakMB, 100, "the stated budget, scaled to 10,000 columns")
        let written = try Profile.read(path: directory.file("p.json"))
        XCTAssertEqual(written.columns.count, width)
        XCTAssertEqual(written.column("c9998")?.count, 50)
        XCTAssertEqual(written.column("c9999")?.summary?.kind, .categorical)
    }
}
