import Foundation
@testable import Stats
import Tabular
import TestSupport
import XCTest

/// The profile of a fixed table stays byte for byte what the profiler wrote before its hot
/// path was rebuilt for speed (Sluice at f9bc1bc, 2026-11-30): the count tables, the
/// compaction sort and the per-column state may change how the work is done, never the
/// numbers. `Tests/Fixtures/profile/pinned.py` wrote the table; `sluice profile
/// pinned.csv.gz --out pinned.profile.json` of that Sluice wrote the profile.
final class ProfilePinTests: XCTestCase {
    func testProfileOfThePinnedTableIsUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("pinned.profile.json")
        try Profiler.pass(TableSource(path: Fixtures.path("profile/pinned.csv.gz"))).write(to: path)
        let expected = try String(contentsOfFile: Fixtures.path("profile/pinned.profile.json"), encoding: .utf8)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(withoutSources(written), withoutSources(expected))
        XCTAssertGreaterThan(expected.count, 100_000, "the pinned profile is the whole document")

        // What the table exercises, so the pin keeps covering every path.
        let profile = try Profile.read(path: path)
        let column = { (name: String) in try XCTUnwrap(profile.column(name)) }
        XCTAssertEqual(try column("amount").numberCounts.state, .abandoned)
        XCTAssertFalse(try column("amount").quantileSketch.isExact)
        XCTAssertEqual(try column("visits").numberCounts.state, .exact)
        XCTAssertEqual(try column("code").numberCounts.state, .abandoned, "past 1024 distinct numbers mid-file")
        XCTAssertEqual(try column("city").labelCounts.state, .approximate)
        XCTAssertGreaterThan(try column("city").labelCounts.errorBound, 0, "the heavy hitters were purged")
        XCTAssertGreaterThan(try column("rate").invalid, 0)
    }

    /// The document without its `sources`, which name the file as it was given.
    private func withoutSources(_ json: String) -> String {
        json.replacingOccurrences(of: #""sources" : \[[^\]]*\]"#, with: "", options: .regularExpression)
    }
}
