import Core
import Foundation
@testable import Stats
import Tabular
import TestSupport
import XCTest

/// Profile format 2: the streamed writer, packed sketch encodings, and version 1 files.
final class ProfileFormatTests: XCTestCase {
    private func profiler(_ text: String) throws -> Profiler {
        let directory = try TemporaryDirectory()
        return try Profiler.pass(TableSource(path: try directory.write("data.csv", text)))
    }

    /// A table with every kind of column: compacted and exact numbers, labels, empty.
    private func mixedRows() -> String {
        var rng = SketchTests.SplitMix(state: 5)
        var rows = ["amount,channel,visits,note,mixed"]
        for index in 0..<3000 {
            let amount = Double.random(in: 0...1000, using: &rng)
            let channel = ["web", "store", "phone, \"quoted\""][index % 3]
            rows.append("\(amount),\"\(channel.replacingOccurrences(of: "\"", with: "\"\""))\",\(index % 7),,\(index % 5 == 0 ? "x" : String(index))")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    func testStreamedFileEqualsTheWholeDocumentAndReadsBack() throws {
        let profiler = try profiler(mixedRows())
        let whole = profiler.profile()
        let directory = try TemporaryDirectory()
        let path = directory.file("p.json")
        try profiler.write(to: path)
        let streamed = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(streamed, try JSONOutput.string(whole), "column by column gives the bytes of encoding the whole profile")
        XCTAssertEqual(try Profile.read(path: path), whole)
        try ProfileWriter.write(Profile(sources: ["empty.csv"], rowCount: 0, columns: [], sketches: SketchSettings()), to: path)
        XCTAssertEqual(try Profile.read(path: path).columns, [])
    }

    func testSketchesArePackedAndRoundTripBitForBit() throws {
        var sketch = KLLSketch(k: 16)
        let special: [Double] = [-0.0, 0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .infinity, 1e-300, 0.1]
        for value in special + (0..<500).map({ Double($0) / 7 }) { sketch.add(value) }
        let json = try JSONOutput.string(sketch)
        XCTAssertTrue(json.contains("\"levels\" : [\n    \""), "levels are base64 strings: \(json.prefix(200))")
        let decoded = try JSONOutput.decoder().decode(KLLSketch.self, from: Data(json.utf8))
        XCTAssertEqual(decoded.levels.map { $0.map(\.bitPattern) }, sketch.levels.map { $0.map(\.bitPattern) })
        XCTAssertEqual(decoded, sketch)

        var few = HyperLogLog(), many = HyperLogLog()
        for index in 0..<40 { few.add(hash: Hashing.hash(Double(index))) }
        for index in 0..<50_000 { many.add(hash: Hashing.hash(Double(index))) }
        let fewJSON = try JSONOutput.string(few)
        XCTAssertTrue(fewJSON.contains("\"sparse\""), fewJSON)
        XCTAssertLessThan(fewJSON.utf8.count, 250, "40 registers in about 160 characters, not 5,500")
        XCTAssertTrue(try JSONOutput.string(many).contains("\"registers\""), "dense when that is shorter")
        for sketch in [few, many, HyperLogLog()] {
            let back = try JSONOutput.decoder().decode(HyperLogLog.self, from: Data(try JSONOutput.string(sketch).utf8))
            XCTAssertEqual(back, sketch)
            XCTAssertEqual(back.estimate, sketch.estimate)
        }
        XCTAssertThrowsError(try JSONOutput.decoder().decode(HyperLogLog.self, from: Data(#"{"precision": 12, "sparse": "AP8B"}"#.utf8)), "register index 65280 is out of range")
    }

    /// A version 1 file, written by Sluice before format 2 (`sluice profile mixed.csv` at
    /// commit 03cbc6d), reads into the same statistics that profiling the data gives now,
    /// merges with a version 2 profile, and is written back as version 2.
    func testVersionOneProfilesStillRead() throws {
        let old = try Profile.read(path: Fixtures.path("profile/mixed.v1.profile.json"))
        XCTAssertEqual(old.version, 2, "held and written in the current shape")
        let now = try Profiler.profile(TableSource(path: Fixtures.path("profile/mixed.csv"))).0
        XCTAssertEqual(old.rowCount, 1500)
        for column in now.columns {
            let before = try XCTUnwrap(old.column(column.name))
            XCTAssertEqual(before.count, column.count, column.name)
            XCTAssertEqual(before.missing, column.missing, column.name)
            XCTAssertEqual(before.numbers, column.numbers, column.name)
            XCTAssertEqual(before.numberCounts, column.numberCounts, column.name)
            XCTAssertEqual(before.labelCounts, column.labelCounts, column.name)
            XCTAssertEqual(before.distinctSketch, column.distinctSketch, "\(column.name): the same registers, built at the end now")
            XCTAssertEqual(before.quantileSketch.count, column.quantileSketch.count, column.name)
            XCTAssertEqual(before.summary?.distinct, column.summary?.distinct, column.name)
        }
        XCTAssertEqual(old.column("amount")?.quantileSketch.isExact, false, "the fixture holds a compacted sketch")
        let merged = try Profile.merged([old, now])
        XCTAssertEqual(merged.column("amount")?.count, 3000)
        let directory = try TemporaryDirectory()
        try ProfileWriter.write(merged, to: directory.file("m.json"))
        let again = try Profile.read(path: directory.file("m.json"))
        XCTAssertEqual(again, merged)
        XCTAssertTrue(try String(contentsOfFile: directory.file("m.json"), encoding: .utf8).contains("\"version\" : 2"))
    }

    /// The distinct-count sketch is built from the exact counts at the end; its registers
    /// equal those of adding every value as it came, before and after the counts overflow.
    func testDeferredDistinctSketchEqualsAddingEveryValue() throws {
        var rows = ["few,many,label,manylabels"]
        var few = HyperLogLog(), many = HyperLogLog(), label = HyperLogLog(), manyLabels = HyperLogLog()
        for index in 0..<5000 {
            let values = [Double(index % 10), Double(index) * 0.5]
            let labels = ["l\(index % 4)", "m\(index % 2000)"]
            rows.append("\(values[0]),\(values[1]),\(labels[0]),\(labels[1])")
            few.add(hash: Hashing.hash(values[0]))
            many.add(hash: Hashing.hash(values[1]))
            label.add(hash: Hashing.hash(labels[0]))
            manyLabels.add(hash: Hashing.hash(labels[1]))
        }
        let profile = try profiler(rows.joined(separator: "\n") + "\n").profile()
        XCTAssertEqual(profile.column("few")?.distinctSketch, few)
        XCTAssertEqual(profile.column("many")?.distinctSketch, many)
        XCTAssertEqual(profile.column("label")?.distinctSketch, label)
        XCTAssertEqual(profile.column("manylabels")?.distinctSketch, manyLabels)
        XCTAssertEqual(profile.column("manylabels")?.labelCounts.state, .approximate, "2000 labels overflow the table of 1024")
        XCTAssertEqual(profile.column("manylabels")?.summary?.distinctExact, false)
    }

    func testLabelCountsStayExactAsTheTableGrows() throws {
        var rows = ["code"]
        for index in 0..<3000 { rows.append("code-\(index % 1000)") }
        rows.append("")
        let column = try XCTUnwrap(try profiler(rows.joined(separator: "\n") + "\n").profile().column("code"))
        XCTAssertEqual(column.labelCounts.state, .exact)
        XCTAssertEqual(column.labelCounts.counts.count, 1000)
        XCTAssertTrue(column.labelCounts.counts.values.allSatisfy { $0 == 3 })
        XCTAssertEqual(column.summary?.distinct, 1000)
    }
}
