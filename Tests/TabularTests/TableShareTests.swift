import Core
import Foundation
import Tabular
import TestSupport
import XCTest

/// Shares of a table: each of N jobs reads whole files or row groups, about 1/N of the bytes.
final class TableShareTests: XCTestCase {
    func testParsingAndCIVariables() {
        XCTAssertEqual(TableShare(parsing: "2/4"), TableShare(index: 1, count: 4))
        for bad in ["0/4", "5/4", "2", "a/b", "1/0", "-1/2"] { XCTAssertNil(TableShare(parsing: bad), bad) }
        XCTAssertEqual(TableShare.fromEnvironment(["CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "3"]), TableShare(index: 2, count: 3))
        XCTAssertNil(TableShare.fromEnvironment(["CI_NODE_INDEX": "3"]))
        XCTAssertEqual(TableShare(index: 1, count: 4).description, "2/4")
    }

    private struct Pass {
        var numbers: [Int] = []
        var rows: [[String]] = []
        var bytes = 0
        var header: [String] = []
    }

    private func read(_ path: String, _ share: TableShare?) throws -> Pass {
        var source = TableSource(path: path)
        source.share = share
        let reader = try TableReader(source)
        var pass = Pass(header: reader.header)
        while try reader.next() {
            pass.numbers.append(reader.recordNumber)
            pass.rows.append(reader.strings())
        }
        pass.bytes = reader.bytesConsumed
        return pass
    }

    /// The shares together hold every row once, with the numbers of a single pass.
    private func assertSharesCoverTheWhole(_ path: String, count: Int, exactNumbers: Bool, file: StaticString = #filePath, line: UInt = #line) throws -> [Pass] {
        let whole = try read(path, nil)
        let parts = try (0..<count).map { try read(path, TableShare(index: $0, count: count)) }
        XCTAssertEqual(parts.flatMap(\.rows), whole.rows, file: file, line: line)
        if exactNumbers { XCTAssertEqual(parts.flatMap(\.numbers), whole.numbers, file: file, line: line) }
        for part in parts { XCTAssertEqual(part.header, whole.header, file: file, line: line) }
        return parts
    }

    func testParquetRowGroupsAreDividedWithTheirRowNumbers() throws {
        // taxis-zstd.parquet: row groups of 50, 50 and 20 rows.
        let path = Fixtures.path("parquet/taxis-zstd.parquet")
        let halves = try assertSharesCoverTheWhole(path, count: 2, exactNumbers: true)
        XCTAssertEqual(halves.map(\.rows.count), [50, 70])
        XCTAssertEqual(halves[1].numbers.first, 51)
        let whole = try read(path, nil)
        for part in halves { XCTAssertLessThan(part.bytes, whole.bytes * 3 / 4, "a share reads its row groups, not the file") }
        let many = try assertSharesCoverTheWhole(path, count: 5, exactNumbers: true)
        XCTAssertEqual(many.filter { $0.rows.isEmpty }.count, 2, "three row groups for five jobs: two read none")
    }

    func testDatasetFilesAreDivided() throws {
        let dir = try TemporaryDirectory()
        let parquet = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/taxis-snappy.parquet")))
        for day in 1...4 {
            try FileManager.default.createDirectory(atPath: dir.file("taxis/day=\(day)"), withIntermediateDirectories: true)
            try parquet.write(to: URL(fileURLWithPath: dir.file("taxis/day=\(day)/part-0.parquet")))
            try dir.write("csv/day=\(day)/part-0.csv", "id,value\n\(day),\(day * 10)\n\(day),\(day * 20)\n")
        }
        let parquetShares = try assertSharesCoverTheWhole(dir.file("taxis"), count: 2, exactNumbers: true)
        XCTAssertEqual(parquetShares.map(\.rows.count), [240, 240])
        XCTAssertEqual(parquetShares[1].numbers.first, 241, "row counts of earlier files come from their footers")
        XCTAssertEqual(parquetShares[1].rows.first?.last, "3")

        let csvShares = try assertSharesCoverTheWhole(dir.file("csv"), count: 4, exactNumbers: false)
        XCTAssertEqual(csvShares.map(\.rows.count), [2, 2, 2, 2])
        XCTAssertEqual(csvShares[3].numbers, [1, 2], "text files' rows are not counted without reading them: numbers start at the share")
        let sparse = try assertSharesCoverTheWhole(dir.file("csv/day=1"), count: 3, exactNumbers: true)
        XCTAssertEqual(sparse.map(\.rows.count), [0, 2, 0], "one file goes to the share holding its middle byte; the others keep the columns and read no row")
    }

    func testDatasetsParquetAndPlainCSVCanBeSplit() throws {
        XCTAssertTrue(TableShare.canSplit(TableSource(path: "x.parquet")))
        XCTAssertTrue(TableShare.canSplit(TableSource(path: "data/*.csv")))
        let dir = try TemporaryDirectory()
        let plain = try dir.write("x.csv", "a\n1\n")
        XCTAssertTrue(TableShare.canSplit(TableSource(path: plain)))
        let gzip = dir.file("x.csv.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00]).write(to: URL(fileURLWithPath: gzip))
        XCTAssertFalse(TableShare.canSplit(TableSource(path: gzip)), "gzip must be inflated from its start")
        XCTAssertFalse(TableShare.canSplit(TableSource(path: try dir.write("x.jsonl", "{}\n"))))
        XCTAssertFalse(TableShare.canSplit(TableSource(path: "-")))
    }

    func testOneCSVIsDividedIntoByteRangesAtRecordStarts() throws {
        let dir = try TemporaryDirectory()
        let rows = (1...40).map { "\($0),\"note \($0)\nsecond line, \"\"quoted\"\"\",\($0 * 3)" }
        let path = try dir.write("notes.csv", "id,note,value\r\n" + rows.joined(separator: "\r\n") + "\r\n")
        for count in [2, 3, 7, 50] {
            let parts = try assertSharesCoverTheWhole(path, count: count, exactNumbers: false)
            XCTAssertEqual(parts.first?.numbers.first, 1)
            if count <= 40 { XCTAssertTrue(parts.allSatisfy { !$0.rows.isEmpty }, "\(count) shares of 40 records") }
        }
    }
}
