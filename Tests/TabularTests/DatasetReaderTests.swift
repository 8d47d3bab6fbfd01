import Core
import Foundation
import Tabular
import TestSupport
import XCTest

/// Directories and globs of files read as one table, with hive-style partition columns.
final class DatasetReaderTests: XCTestCase {
    private struct Read {
        var header: [String] = []
        var rows: [[String]] = []
        var files: [String] = []
        var lines: [Int] = []
        var numbers: [Int] = []
    }

    private func read(_ path: String) throws -> Read {
        let reader = try TableReader(TableSource(path: path))
        var result = Read(header: reader.header)
        while try reader.next() {
            result.rows.append(reader.strings())
            result.files.append(reader.dataset.map { ($0.currentFile as NSString).lastPathComponent } ?? "")
            result.lines.append(reader.line)
            result.numbers.append(reader.recordNumber)
        }
        return result
    }

    private func partitioned() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("sales/date=2026-11-02/region=us/part-0.csv", "id,amount\n3,30\n")
        try dir.write("sales/date=2026-11-01/region=eu/part-1.csv", "id,amount\n2,20\n")
        try dir.write("sales/date=2026-11-01/region=eu/part-0.csv", "id,amount\n0,0\n1,10\n")
        try dir.write("sales/date=2026-11-01/region=eu/_SUCCESS", "")
        try dir.write("sales/.staging/date=x/region=y/part-9.csv", "id,amount\n9,9\n")
        return dir
    }

    func testDirectoryReadsFilesInSortedOrderWithPartitionColumns() throws {
        let dir = try partitioned()
        let result = try read(dir.file("sales"))
        XCTAssertEqual(result.header, ["id", "amount", "date", "region"])
        XCTAssertEqual(result.rows, [["0", "0", "2026-11-01", "eu"], ["1", "10", "2026-11-01", "eu"], ["2", "20", "2026-11-01", "eu"], ["3", "30", "2026-11-02", "us"]])
        XCTAssertEqual(result.files, ["part-0.csv", "part-0.csv", "part-1.csv", "part-0.csv"])
        XCTAssertEqual(result.lines, [2, 3, 2, 2], "lines are each file's own")
        XCTAssertEqual(result.numbers, [1, 2, 3, 4], "record numbers run on across files")
    }

    func testGlobReadsTheSameDataset() throws {
        let dir = try partitioned()
        let result = try read(dir.file("sales/date=*/region=*/part-*.csv"))
        XCTAssertEqual(result.header, ["id", "amount", "date", "region"])
        XCTAssertEqual(result.rows.map { $0[0] }, ["0", "1", "2", "3"])
        let onlyEU = try read(dir.file("sales/date=2026-11-01/*/*.csv"))
        XCTAssertEqual(onlyEU.header, ["id", "amount", "region"], "segments below the pattern's literal directory are partitions")
        XCTAssertEqual(onlyEU.rows.count, 3)
    }

    func testParquetAndJSONLinesDatasets() throws {
        let dir = try TemporaryDirectory()
        let parquet = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/taxis-snappy.parquet")))
        for day in ["2019-03-01", "2019-03-02"] {
            try FileManager.default.createDirectory(atPath: dir.file("taxis/day=\(day)"), withIntermediateDirectories: true)
            try parquet.write(to: URL(fileURLWithPath: dir.file("taxis/day=\(day)/part-0.parquet")))
        }
        let taxis = try read(dir.file("taxis"))
        XCTAssertEqual(taxis.header.last, "day")
        XCTAssertEqual(taxis.rows.count, 240)
        XCTAssertEqual(taxis.rows[119].last, "2019-03-01")
        XCTAssertEqual(taxis.rows[120].last, "2019-03-02")
        XCTAssertEqual(taxis.numbers.last, 240)

        try dir.write("events/kind=click/a.jsonl", "{\"id\": 1, \"v\": \"x\"}\n{\"id\": 2}\n")
        try dir.write("events/kind=view%2Fpage/b.jsonl", "{\"id\": 3, \"v\": \"y\"}\n")
        try dir.write("events/kind=__HIVE_DEFAULT_PARTITION__/c.jsonl", "{\"id\": 4, \"v\": \"z\"}\n")
        let events = try read(dir.file("events"))
        XCTAssertEqual(events.header, ["id", "v", "kind"])
        XCTAssertEqual(events.rows, [["4", "z", ""], ["1", "x", "click"], ["2", "", "click"], ["3", "y", "view/page"]], "sorted by path bytes: _ before c before v")
    }

    func testRaggedRowsKeepPartitionValuesInTheirColumn() throws {
        let dir = try TemporaryDirectory()
        try dir.write("d/k=v/a.csv", "a,b\n1\n1,2,3\n")
        let result = try read(dir.file("d"))
        XCTAssertEqual(result.rows, [["1", "", "v"], ["1", "2", "v", "3"]])
    }

    func testFilesThatDisagreeAreNamed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("d/a.csv", "id,x\n1,2\n")
        let other = try dir.write("d/b.csv", "id,y\n1,2\n")
        XCTAssertThrowsError(try read(dir.file("d"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(other + ": cannot read: its columns [\"id\", \"y\"] differ from"), message)
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .runtime)
        }
        try dir.write("mixed/a.csv", "id\n1\n")
        try dir.write("mixed/b.jsonl", "{\"id\": 1}\n")
        XCTAssertThrowsError(try read(dir.file("mixed"))) { error in
            XCTAssertTrue("\(error)".contains("a dataset holds files of one format"), "\(error)")
        }
        try dir.write("keys/k=1/a.csv", "id\n1\n")
        try dir.write("keys/j=1/b.csv", "id\n1\n")
        XCTAssertThrowsError(try read(dir.file("keys"))) { error in
            XCTAssertTrue("\(error)".contains("every file needs the same key=value directories"), "\(error)")
        }
        try FileManager.default.createDirectory(atPath: dir.file("empty"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try read(dir.file("empty"))) { error in
            XCTAssertTrue("\(error)".contains("no data files"), "\(error)")
        }
        XCTAssertThrowsError(try read(dir.file("nothing-*.csv"))) { error in
            XCTAssertTrue("\(error)".contains("no data files"), "\(error)")
        }
    }
}
