import Core
import Stats
import Tabular
import TestSupport
import XCTest

/// A Parquet file profiles exactly as the same table in CSV does (the CSV is what pyarrow
/// 26.0.1 reads from the Parquet file; Tests/Fixtures/parquet/generate.py).
final class ParquetProfileTests: XCTestCase {
    func testParquetAndItsCSVHaveTheSameProfile() throws {
        for (parquet, csv) in [("taxis-zstd", "taxis"), ("penguins-v2", "penguins"), ("duckdb-diamonds", "duckdb-diamonds")] {
            let fromParquet = try Profiler.profile(TableSource(path: Fixtures.path("parquet/\(parquet).parquet"))).0
            let fromCSV = try Profiler.profile(TableSource(path: Fixtures.path("parquet/\(csv).expected.csv"))).0
            XCTAssertEqual(fromParquet.rowCount, fromCSV.rowCount, parquet)
            XCTAssertEqual(fromParquet.columns, fromCSV.columns, parquet)
        }
    }

    func testRowShardsOfAParquetFileMergeIntoTheWhole() throws {
        let path = Fixtures.path("parquet/taxis-snappy.parquet")
        let whole = try Profiler.profile(TableSource(path: path)).0
        let parts = try (0..<3).map { try Profiler.profile(TableSource(path: path), options: ProfileOptions(shard: ($0, 3))).0 }
        let merged = try Profile.merged(parts)
        XCTAssertEqual(merged.rowCount, 120)
        XCTAssertEqual(merged.column("fare")?.summary?.minimum, whole.column("fare")?.summary?.minimum)
        XCTAssertEqual(merged.column("fare")?.summary?.maximum, whole.column("fare")?.summary?.maximum)
        XCTAssertEqual(merged.column("fare")?.missing, whole.column("fare")?.missing)
        XCTAssertEqual(merged.column("fare")?.summary?.mean ?? 0, whole.column("fare")?.summary?.mean ?? 1, accuracy: 1e-12)
    }
}

/// `profile merge` of the shares of a dataset equals the profile of the whole for the exact
/// statistics (counts, missing, minimum, maximum, label counts; mean to rounding).
final class ShareProfileTests: XCTestCase {
    func testMergedSharesEqualTheWhole() throws {
        let dir = try TemporaryDirectory()
        for name in ["taxis-snappy", "taxis-zstd", "taxis-v2-snappy"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/\(name).parquet")))
            try bytes.write(to: URL(fileURLWithPath: dir.file("\(name).parquet")))
        }
        let whole = try Profiler.profile(TableSource(path: dir.path)).0
        for count in [2, 3] {
            let parts = try (0..<count).map { index -> Profile in
                var source = TableSource(path: dir.path)
                source.share = TableShare(index: index, count: count)
                return try Profiler.profile(source).0
            }
            let merged = try Profile.merged(parts)
            XCTAssertEqual(merged.rowCount, whole.rowCount)
            XCTAssertEqual(merged.rowCount, 360)
            for column in whole.columns {
                let part = try XCTUnwrap(merged.column(column.name))
                XCTAssertEqual(part.count, column.count, column.name)
                XCTAssertEqual(part.missing, column.missing, column.name)
                XCTAssertEqual(part.summary?.minimum, column.summary?.minimum, column.name)
                XCTAssertEqual(part.summary?.maximum, column.summary?.maximum, column.name)
                XCTAssertEqual(part.summary?.mean ?? 0, column.summary?.mean ?? 0, accuracy: 1e-9, column.name)
                if column.labelCounts.state == .exact { XCTAssertEqual(part.labelCounts.counts, column.labelCounts.counts, column.name) }
            }
        }
    }
}
