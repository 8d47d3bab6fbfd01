import Foundation
import ReportModel
import Tabular
import TestSupport
import Validation
import XCTest

/// `validate --threads N` on one Parquet file checks its row groups on N threads
/// (`ParquetParallelValidation`). The summary must be the one of a single thread: the same
/// errors in the same order with the same row numbers, the same counts, including `unique`
/// and primary-key repeats whose first occurrence is in an earlier row group, and with the
/// detail limit cutting the same place. Files: pyarrow's taxis in row groups of 50, 50 and
/// 20 (v1 and v2 pages, two codecs) and polars' penguins in nine groups of 40 (with nulls).
final class ParquetParallelValidationTests: XCTestCase {
    private let fixtures = ["taxis-snappy", "taxis-v2-snappy", "taxis-zstd", "polars-penguins-groups"]

    /// Schemas over `header` with cell errors everywhere, with `unique` and a primary key
    /// over columns that repeat across row groups, and with neither (checked in batches).
    private func schemas(_ header: [String], _ types: [FieldType]) throws -> [String: TableSchema] {
        func fields(_ constraints: (Int) -> String) -> String { TestSchemas.fields(header, types, constraints: constraints) }
        let bounded = fields { [.integer, .number].contains(types[$0]) ? #""required": true, "minimum": 1, "maximum": 40"# : #""required": true"# }
        return [
            "bounds": try TestSchemas.schema(#"{"fields": [\#(bounded)]}"#),
            "unique": try TestSchemas.schema(#"{"fields": [\#(fields { $0 % 2 == 0 ? #""unique": true"# : "" })]}"#),
            "key": try TestSchemas.schema(#"{"fields": [\#(bounded)], "primaryKey": ["\#(header[0])", "\#(header.last!)"]}"#),
            "key of one column": try TestSchemas.schema(#"{"fields": [\#(fields { _ in "" })], "primaryKey": ["\#(header.last!)"]}"#),
        ]
    }

    func testRowGroupsOnThreadsValidateAsOneThread() throws {
        for name in fixtures {
            let path = Fixtures.path("parquet/\(name).parquet")
            let reader = try TableReader(TableSource(path: path))
            XCTAssertGreaterThan(try XCTUnwrap(reader.parquetRowGroups).count, 2, name)
            for (kind, schema) in try schemas(reader.header, try XCTUnwrap(reader.declaredTypes)) {
                for limit in [100_000, 5] {
                    let one = try Validator(schema: schema, options: ValidationOptions(maxErrors: limit, threads: 1)).validate(TableSource(path: path))
                    XCTAssertFalse(one.valid, "\(name), \(kind): the schema finds errors")
                    for threads in [2, 3, 4] {
                        let many = try Validator(schema: schema, options: ValidationOptions(maxErrors: limit, threads: threads)).validate(TableSource(path: path))
                        if let (got, want) = zip(many.firstErrors, one.firstErrors).first(where: { $0 != $1 }) {
                            XCTFail("\(name), \(kind), limit \(limit), \(threads) threads: \(got) != one thread's \(want)")
                        }
                        XCTAssertEqual(many, one, "\(name), \(kind), limit \(limit), \(threads) threads")
                    }
                }
            }
        }
    }

    func testRepeatsAcrossRowGroupsAreFound() throws {
        // penguins' species repeat across all nine row groups of 40 rows: only the first
        // Adelie, Gentoo and Chinstrap rows are not repeats.
        let path = Fixtures.path("parquet/polars-penguins-groups.parquet")
        let schema = try TestSchemas.schema(#"{"fields": [{"name": "species", "constraints": {"unique": true}}]}"#)
        let summary = try Validator(schema: schema, options: ValidationOptions(maxErrors: 1000, threads: 4)).validate(TableSource(path: path))
        XCTAssertEqual(summary.rowCount, 344)
        XCTAssertEqual(summary.errorsByType["unique-error"], 341)
        let repeats = summary.firstErrors.filter { $0.type == "unique-error" }
        XCTAssertEqual(repeats.first?.row, 2)
        XCTAssertEqual(repeats.last?.row, 344)
    }

    func testABrokenRowGroupFailsAsWithOneThread() throws {
        // taxis-none.parquet: row group 2's "fare" data page starts at byte 6746 (pyarrow
        // 26.0.1's metadata); a page header of 0xFF bytes does not decode. Threads read row
        // group 3 too, but the run fails on row group 2 as one thread does.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/taxis-none.parquet")))
        bytes.replaceSubrange(6746..<6754, with: [UInt8](repeating: 0xFF, count: 8))
        let directory = try TemporaryDirectory()
        let path = directory.file("broken.parquet")
        try bytes.write(to: URL(fileURLWithPath: path))
        let schema = try TestSchemas.schema(#"{"fields": [{"name": "pickup"}, {"name": "dropoff"}, {"name": "passengers", "type": "integer", "constraints": {"unique": true}}]}"#)
        func failure(threads: Int) -> String {
            do {
                let summary = try Validator(schema: schema, options: ValidationOptions(threads: threads)).validate(TableSource(path: path))
                return "no failure: \(summary)"
            } catch {
                return "\(error)"
            }
        }
        let one = failure(threads: 1)
        XCTAssertTrue(one.contains("row group 2 of 3, column \"fare\""), one)
        XCTAssertEqual(failure(threads: 3), one)
    }

    func testAShareChecksItsOwnRowGroupsOnThreads() throws {
        let path = Fixtures.path("parquet/polars-penguins-groups.parquet")
        let schema = try TestSchemas.schema(#"{"fields": [{"name": "species"}, {"name": "island"}, {"name": "bill_length_mm", "type": "number", "constraints": {"maximum": 40}}]}"#)
        for index in 0..<2 {
            var source = TableSource(path: path)
            source.share = TableShare(index: index, count: 2)
            let options = { (threads: Int) in ValidationOptions(maxErrors: 1000, asPart: true, threads: threads) }
            let one = try Validator(schema: schema, options: options(1)).validate(source)
            let two = try Validator(schema: schema, options: options(2)).validate(source)
            XCTAssertEqual(two, one, "share \(index + 1) of 2")
            XCTAssertGreaterThan(one.rowCount, 0)
            XCTAssertLessThan(one.rowCount, 344)
        }
    }
}
