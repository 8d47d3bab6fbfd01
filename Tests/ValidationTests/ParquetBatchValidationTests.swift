import Foundation
import ReportModel
import Tabular
import TestSupport
@testable import Validation
import XCTest

/// Sees every row, so the validator checks them one by one (the row-by-row pass).
final class RowCounter: RecordObserver {
    var rows = 0
    func begin(_ reader: TableReader) {}
    func observe(_ reader: TableReader) { rows += 1 }
    func finish() {}
}

/// A Parquet file is validated in batches (`ParquetBatchValidation`): each dictionary
/// entry's verdict is worked out once and only the rows with something to report are built.
/// These tests hold that path to the row-by-row one, which a record observer forces (it
/// must see every row): on files written by pyarrow, polars and DuckDB (dictionary and plain
/// pages, v1 and v2, nulls, several row groups), under schemas that make every kind of cell
/// error, missing values from nulls and from markers, and blank rows, the summaries must be
/// equal, message for message.
final class ParquetBatchValidationTests: XCTestCase {
    private let fixtures = [
        "types", "int96", "encodings-v1", "encodings-v2", "penguins-v1", "penguins-v2", "polars-penguins",
        "duckdb-diamonds", "taxis-none", "taxis-zstd", "taxis-v2-snappy",
    ]

    /// `text` as a JSON string.
    private func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    private func schema(_ fields: [String], missingValues: [String] = [""]) throws -> TableSchema {
        let markers = missingValues.map(quoted).joined(separator: ", ")
        return try TableSchema(json: Data(#"{"fields": [\#(fields.joined(separator: ", "))], "missingValues": [\#(markers)]}"#.utf8), source: "test")
    }

    /// Schemas over a file's columns: its own types with bounds (required or not), other
    /// types for every column, missing-value markers that hit dictionary entries, and each
    /// column alone (so its nulls make blank rows).
    private func schemas(_ header: [String], _ types: [FieldType], firstValues: [String]) throws -> [String: TableSchema] {
        func fields(_ field: (Int, String) -> String) -> [String] {
            header.enumerated().map { index, name in #"{"name": "\#(name)", \#(field(index, name))}"# }
        }
        func declared(required: Bool) -> [String] {
            fields { index, _ in
                let bounds = [.integer, .number].contains(types[index]) ? #", "minimum": 1, "maximum": 40"# : ""
                return #""type": "\#(types[index].rawValue)", "constraints": {"required": \#(required)\#(bounds)}"#
            }
        }
        var result = [
            "declared": try schema(declared(required: true)),
            "declared, optional": try schema(declared(required: false)),
            "declared, first values missing": try schema(declared(required: false), missingValues: [""] + firstValues),
            "declared, first values missing, required": try schema(declared(required: true), missingValues: firstValues),
            "number": try schema(fields { _, _ in #""type": "number", "constraints": {"exclusiveMinimum": 0, "enum": [1, 2, 3, 0.5]}"# }),
            "integer": try schema(fields { _, _ in #""type": "integer", "constraints": {"maximum": 3}"# }),
            "boolean": try schema(fields { _, _ in #""type": "boolean""# }),
            "string": try schema(fields { _, _ in #""type": "string", "constraints": {"maxLength": 3}"# }),
            "string enum": try schema(fields { index, _ in #""type": "string", "constraints": {"enum": [\#(quoted(firstValues[index]))]}"# }),
            "any": try schema(fields { _, _ in #""type": "any""# }),
        ]
        for (index, name) in header.enumerated() {
            result["\(name) alone"] = try schema([#"{"name": "\#(name)", "type": "\#(types[index].rawValue)"}"#])
        }
        return result
    }

    func testBatchesValidateExactlyAsRows() throws {
        for name in fixtures {
            let parquet = Fixtures.path("parquet/\(name).parquet")
            let reader = try TableReader(TableSource(path: parquet))
            XCTAssertTrue(try reader.next())
            let firstValues = reader.strings()
            for (kind, schema) in try schemas(reader.header, try XCTUnwrap(reader.declaredTypes), firstValues: firstValues) {
                for limit in [100_000, 3] {
                    let validator = Validator(schema: schema, options: ValidationOptions(maxErrors: limit, threads: 1))
                    let batches = try validator.validate(TableSource(path: parquet))
                    let counter = RowCounter()
                    let rows = try validator.validate(TableSource(path: parquet), observers: [counter])
                    XCTAssertEqual(counter.rows, rows.rowCount, "\(name), \(kind): the observer saw every row")
                    XCTAssertEqual(batches.errorCount, rows.errorCount, "\(name), \(kind), limit \(limit)")
                    if let (got, want) = zip(batches.firstErrors, rows.firstErrors).first(where: { $0 != $1 }) {
                        XCTFail("\(name), \(kind), limit \(limit): \(got) != the rows' \(want)")
                    }
                    XCTAssertEqual(batches, rows, "\(name), \(kind), limit \(limit)")
                }
            }
        }
    }

    func testBatchesApplyToOneParquetFileWithoutRowWideChecks() throws {
        let penguins = TableSource(path: Fixtures.path("parquet/penguins-v1.parquet"))
        let reader = try TableReader(penguins)
        func applies(_ fields: String, observers: [RecordObserver] = []) throws -> Bool {
            var pass = Pass(schema: try TableSchema(json: Data(fields.utf8), source: "test"), limit: 10)
            pass.prepare(for: reader)
            return ParquetBatchValidation.applies(to: pass, reader: reader, observers: observers)
        }
        XCTAssertTrue(try applies(#"{"fields": [{"name": "species", "constraints": {"required": true}}]}"#))
        XCTAssertFalse(try applies(#"{"fields": [{"name": "species", "constraints": {"unique": true}}]}"#), "unique needs every row")
        XCTAssertFalse(try applies(#"{"fields": [{"name": "species"}], "primaryKey": ["species"]}"#), "a key needs every row")
        XCTAssertFalse(try applies(#"{"fields": [{"name": "species"}]}"#, observers: [RowCounter()]), "the observer needs every row")
        let csv = try TableReader(TableSource(path: Fixtures.path("parquet/penguins.expected.csv")))
        var pass = Pass(schema: try TableSchema(json: Data(#"{"fields": [{"name": "species"}]}"#.utf8), source: "test"), limit: 10)
        pass.prepare(for: csv)
        XCTAssertFalse(ParquetBatchValidation.applies(to: pass, reader: csv, observers: []), "CSV has no pages")
    }
}
