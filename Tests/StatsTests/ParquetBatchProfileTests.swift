import Foundation
@testable import Stats
import Tabular
import TestSupport
import XCTest

/// `sluice profile` reads a Parquet file in batches (`Profiler.observeParquetBatches`):
/// each dictionary entry's reading is worked out once and counted by entry where the order
/// of the cells cannot matter. These tests hold that path to the row-by-row one, which a
/// record observer forces (it must see every row): the written profiles must be equal byte
/// for byte, on files written by pyarrow, polars and DuckDB (dictionary and plain pages,
/// v1 and v2, nulls, several row groups, chunks whose dictionary falls back to plain pages,
/// more distinct numbers and labels than the exact counts hold), with inferred and
/// declared types, missing-value markers that hit dictionary entries, small sketches and
/// retained values.
final class ParquetBatchProfileTests: XCTestCase {
    private let fixtures = [
        "many-values", "types", "int96", "encodings-v1", "encodings-v2", "penguins-v1", "penguins-v2", "polars-penguins",
        "polars-penguins-groups", "duckdb-diamonds", "taxis-none", "taxis-zstd", "taxis-v2-snappy",
    ]

    /// Sees every row, so the profiler reads them one by one.
    private final class RowCounter: RecordObserver {
        var rows = 0
        func begin(_ reader: TableReader) {}
        func observe(_ reader: TableReader) { rows += 1 }
        func finish() {}
    }

    /// Option sets over a file's columns: inferred types; the file's own types declared;
    /// every column a number, every column a string; markers that make the first values
    /// (and empty cells, not by default) missing; small sketches; retained numbers.
    private func optionSets(_ path: String) throws -> [String: ProfileOptions] {
        let reader = try TableReader(TableSource(path: path))
        let types = try XCTUnwrap(reader.declaredTypes)
        var firstValues: [String] = []
        if try reader.next() { firstValues = (0..<reader.fieldCount).map { reader.string($0) }.filter { !$0.isEmpty } }
        func declared(_ type: (Int) -> FieldType, missing: [String] = [""]) throws -> ProfileOptions {
            let fields = try reader.header.indices.map { try SchemaField(name: reader.header[$0], type: type($0)) }
            return ProfileOptions(schema: TableSchema(fields: fields, missingValues: missing))
        }
        var small = ProfileOptions()
        small.sketches = SketchSettings(quantileK: 8, categoryCapacity: 4)
        return [
            "inferred": ProfileOptions(),
            "declared": try declared { types[$0] },
            "number": try declared { _ in .number },
            "string": try declared { _ in .string },
            "first values missing": try declared({ types[$0] }, missing: firstValues),
            "first values missing, inferred": ProfileOptions(missingValues: firstValues),
            "small sketches": small,
            "retained": ProfileOptions(retainedValueLimit: 500),
        ]
    }

    private func written(_ profiler: Profiler, in directory: TemporaryDirectory, _ name: String) throws -> Data {
        let path = directory.file(name)
        try profiler.write(to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testBatchesWriteTheRowPassProfileByteForByte() throws {
        let directory = try TemporaryDirectory()
        for fixture in fixtures {
            let path = Fixtures.path("parquet/\(fixture).parquet")
            for (name, options) in try optionSets(path) {
                let counter = RowCounter()
                let byRow = try Profiler.pass(TableSource(path: path), options: options, observers: [counter])
                let byBatch = try Profiler.pass(TableSource(path: path), options: options)
                XCTAssertEqual(byBatch.rowCount, counter.rows, "\(fixture), \(name)")
                XCTAssertEqual(try written(byBatch, in: directory, "batch.json"), try written(byRow, in: directory, "row.json"), "\(fixture), \(name)")
                for column in byRow.profile().columns {
                    XCTAssertEqual(byBatch.retainedValues(column.name), byRow.retainedValues(column.name), "\(fixture), \(name), \(column.name)")
                }
            }
        }
    }

    /// The many-values fixture overflows the exact counts: the batches must have taken both
    /// ways (by entry, and in row order), and the profile says the counts are approximate.
    func testManyValuesOverflowTheExactCountsWithinTheBatches() throws {
        let path = Fixtures.path("parquet/many-values.parquet")
        let reader = try TableReader(TableSource(path: path))
        let profiler = Profiler()
        try profiler.begin(reader)
        XCTAssertNotNil(profiler.parquetBatchObservers(reader, []), "a Parquet file without observers goes in batches")
        try profiler.observeParquetBatches(reader, progress: [])
        let profile = profiler.profile()
        XCTAssertEqual(profile.rowCount, 3000)
        XCTAssertEqual(profile.column("wide")?.countsAreExact, false)
        XCTAssertEqual(profile.column("label")?.labelCounts.state == .exact, false)
        XCTAssertEqual(profile.column("few")?.countsAreExact, true)
        // generate.py: every 17th `wide` null (177 of 3000), NaN (a pandas missing-value
        // marker) at rows 7 mod 400 (7 not null), ±inf at rows 8 and 9 mod 400 (15 not null).
        XCTAssertEqual(profile.column("wide")?.missing, 184)
        XCTAssertEqual(profile.column("wide")?.invalid, 15)
    }

    /// A partitioned dataset of Parquet files goes in batches across its files, its
    /// partition values (a label, a number, a missing-value marker) added per batch: the
    /// profile is the row path's, for the whole and for shares of its files.
    func testDatasetBatchesWriteTheRowPassProfileByteForByte() throws {
        let directory = try TemporaryDirectory()
        let dataset = directory.file("dataset")
        for (index, (name, n)) in [("taxis-snappy", "1"), ("taxis-zstd", "NA"), ("taxis-v2-snappy", "2.5"), ("many-values", "1")].enumerated() {
            let folder = "\(dataset)/day=2026-11-0\(index + 1)/n=\(n)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Fixtures.path("parquet/\(name).parquet"), toPath: "\(folder)/part.parquet")
        }
        // The files' columns differ (many-values'): only the taxis files make one dataset.
        try FileManager.default.removeItem(atPath: "\(dataset)/day=2026-11-04")
        var small = ProfileOptions()
        small.sketches = SketchSettings(quantileK: 8, categoryCapacity: 2)
        for (name, options) in [("inferred", ProfileOptions()), ("small sketches", small), ("retained", ProfileOptions(retainedValueLimit: 100))] {
            for share in [nil, TableShare(index: 0, count: 2), TableShare(index: 1, count: 2), TableShare(index: 2, count: 3)] {
                var source = TableSource(path: dataset)
                source.share = share
                let byRow = try Profiler.pass(source, options: options, observers: [RowCounter()])
                let byBatch = try Profiler.pass(source, options: options)
                XCTAssertEqual(try written(byBatch, in: directory, "batch.json"), try written(byRow, in: directory, "row.json"), "\(name), \(String(describing: share))")
            }
        }
        let whole = try Profiler.profile(TableSource(path: dataset)).0
        XCTAssertEqual(whole.rowCount, 360)
        XCTAssertEqual(whole.column("day")?.labelCounts.counts, ["2026-11-01": 120, "2026-11-02": 120, "2026-11-03": 120])
        XCTAssertEqual(whole.column("n")?.missing, 120)
        XCTAssertEqual(whole.column("n")?.summary?.mean ?? 0, 1.75, accuracy: 1e-12)
    }

    /// A row shard (`ProfileOptions.shard`) and a record observer keep the row path.
    func testRowShardsAndRecordObserversGoRowByRow() throws {
        let path = Fixtures.path("parquet/taxis-zstd.parquet")
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: path, toPath: directory.file("part.parquet"))
        /// Whether a begun profiler of `path` would take batches.
        func batches(_ path: String, _ options: ProfileOptions = ProfileOptions(), observers: [RecordObserver] = []) throws -> Bool {
            let reader = try TableReader(TableSource(path: path))
            let profiler = Profiler(options: options)
            try profiler.begin(reader)
            return profiler.parquetBatchObservers(reader, observers) != nil
        }
        XCTAssertTrue(try batches(path))
        XCTAssertFalse(try batches(path, ProfileOptions(shard: (0, 2))))
        XCTAssertFalse(try batches(path, observers: [RowCounter()]))
        XCTAssertTrue(try batches(directory.path), "a dataset of Parquet files")
        XCTAssertFalse(try batches(Fixtures.path("parquet/taxis.expected.csv")))
    }
}
