import Foundation
import ReportModel
import Tabular
import TestSupport
@testable import Validation
import XCTest

/// A Parquet file under a schema with `unique` or a primary key is checked by row groups
/// (on one thread too), each in batches whose `unique` and key checks are probes per
/// distinct value and errors for repeats within the row group (`ParquetBatchProbes`).
/// These tests hold that to the row-by-row pass, which a record observer forces: the
/// summaries must be equal, message for message and row for row, on files written by
/// pyarrow, polars and DuckDB (dictionary and plain pages, nulls, several row groups), with
/// other errors on the same rows, keys whose cells are missing, the detail limit cutting
/// among the repeats, and shares.
final class ParquetBatchProbeTests: XCTestCase {
    private let fixtures = [
        "many-values", "types", "encodings-v1", "encodings-v2", "penguins-v1", "penguins-v2", "polars-penguins",
        "polars-penguins-groups", "duckdb-diamonds", "taxis-none", "taxis-zstd", "taxis-v2-snappy",
    ]

    /// Schemas over `header` with `unique` on every other column, on every column with
    /// bounds that fail on the same rows, on every column where no cell (not even a null
    /// one) is missing, a key of one column, a key of the first and last
    /// (nullable) columns, and a key of every column.
    private func schemas(_ header: [String], _ types: [FieldType]) throws -> [String: TableSchema] {
        func fields(_ constraints: (Int) -> String) -> String { TestSchemas.fields(header, types, constraints: constraints) }
        func key(_ names: [String]) -> String { names.map { "\"\($0)\"" }.joined(separator: ", ") }
        let plain = fields { _ in "" }
        let bounded = fields { index in
            switch types[index] {
            case .integer, .number: return #""unique": true, "minimum": 1, "maximum": 40"#
            case .string: return #""unique": true, "maxLength": 6"#
            default: return #""unique": true, "required": true"#
            }
        }
        return [
            "unique": try TestSchemas.schema(#"{"fields": [\#(fields { $0 % 2 == 0 ? #""unique": true"# : "" })]}"#),
            "unique with bounds": try TestSchemas.schema(#"{"fields": [\#(bounded)]}"#),
            "unique, NA missing": try TestSchemas.schema(#"{"fields": [\#(fields { _ in #""unique": true"# })], "missingValues": ["", "NA"]}"#),
            "unique, nothing missing": try TestSchemas.schema(#"{"fields": [\#(fields { _ in #""unique": true"# })], "missingValues": []}"#),
            "key of one column": try TestSchemas.schema(#"{"fields": [\#(plain)], "primaryKey": [\#(key([header[header.count / 2]]))]}"#),
            "key of the first and last": try TestSchemas.schema(#"{"fields": [\#(plain)], "primaryKey": [\#(key([header[0], header.last!]))]}"#),
            "key of all, unique first": try TestSchemas.schema(#"{"fields": [\#(fields { $0 == 0 ? #""unique": true"# : "" })], "primaryKey": [\#(key(header))]}"#),
        ]
    }

    func testBatchProbesValidateExactlyAsRows() throws {
        for name in fixtures {
            let path = Fixtures.path("parquet/\(name).parquet")
            let reader = try TableReader(TableSource(path: path))
            for (kind, schema) in try schemas(reader.header, try XCTUnwrap(reader.declaredTypes)) {
                for limit in [100_000, 4] {
                    let counter = RowCounter()
                    let rows = try Validator(schema: schema, options: ValidationOptions(maxErrors: limit, threads: 1)).validate(TableSource(path: path), observers: [counter])
                    XCTAssertEqual(counter.rows, rows.rowCount, "\(name), \(kind): the observer saw every row")
                    for threads in [1, 2] {
                        let batches = try Validator(schema: schema, options: ValidationOptions(maxErrors: limit, threads: threads)).validate(TableSource(path: path))
                        if let (got, want) = zip(batches.firstErrors, rows.firstErrors).first(where: { $0 != $1 }) {
                            XCTFail("\(name), \(kind), limit \(limit), \(threads) threads: \(got) != the rows' \(want)")
                        }
                        XCTAssertEqual(batches, rows, "\(name), \(kind), limit \(limit), \(threads) threads")
                    }
                }
            }
        }
    }

    func testSharesFindTheRowPassFirstOccurrences() throws {
        let path = Fixtures.path("parquet/polars-penguins-groups.parquet")
        let schema = try TestSchemas.schema(#"{"fields": [{"name": "species", "constraints": {"unique": true}}, {"name": "island"}, {"name": "bill_length_mm", "type": "number", "constraints": {"unique": true}}], "primaryKey": ["island", "bill_length_mm"]}"#)
        for index in 0..<3 {
            var source = TableSource(path: path)
            source.share = TableShare(index: index, count: 3)
            let options = ValidationOptions(maxErrors: 1000, asPart: true, threads: 1)
            let rows = try Validator(schema: schema, options: options).validate(source, observers: [RowCounter()])
            let batches = try Validator(schema: schema, options: options).validate(source)
            XCTAssertEqual(batches, rows, "share \(index + 1) of 3")
            XCTAssertNotNil(batches.share?.firstOccurrences, "share \(index + 1) of 3")
        }
    }

    /// penguins' species repeat within and across the nine row groups of 40 rows: a probe
    /// for each species' first row of a group, the other rows held as errors at once.
    func testRepeatsWithinARowGroupAreErrorsAndAcrossGroupsProbes() throws {
        let path = Fixtures.path("parquet/polars-penguins-groups.parquet")
        let schema = try TestSchemas.schema(#"{"fields": [{"name": "species", "constraints": {"unique": true}}]}"#)
        let reader = try TableReader(rowGroup: 1, of: try TableReader(TableSource(path: path)))
        var pass = Pass(schema: schema, limit: 1000, deferred: true)
        pass.prepare(for: reader)
        XCTAssertTrue(ParquetBatchValidation.applies(to: pass, reader: reader, observers: []))
        var batches = ParquetBatchValidation(checkCount: pass.checks.count)
        try batches.checkRows(&pass, reader)
        let outcome = pass.chunkOutcome
        // Rows 41-80 (pyarrow 26.0.1 reads them all as Adelie; Parquet rows count from the
        // first data row): one probe, 39 repeats.
        XCTAssertEqual(outcome.probes.count, 1)
        XCTAssertEqual(outcome.probes.first?.row, 41)
        XCTAssertEqual(outcome.errors.count, 39)
        XCTAssertEqual(outcome.errors.first?.issue.message, #""Adelie" repeats a value of an earlier row; field "species" is unique"#)
        XCTAssertEqual(outcome.errors.first?.issue.row, 42)
        let summary = try Validator(schema: schema, options: ValidationOptions(maxErrors: 1000, threads: 1)).validate(TableSource(path: path))
        XCTAssertEqual(summary.errorsByType["unique-error"], 341)
    }
}
