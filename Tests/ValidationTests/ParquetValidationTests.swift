import Core
import Foundation
import Tabular
import TestSupport
import Validation
import XCTest

/// Validation and schema inference on Parquet files (fixtures written by pyarrow 26.0.1;
/// see Tests/Fixtures/parquet/generate.py).
final class ParquetValidationTests: XCTestCase {
    private let penguins = Fixtures.path("parquet/penguins-v1.parquet")

    /// A schema naming every column of `path` in order, as `any` unless `fields` says otherwise.
    private func schema(for path: String, _ fields: [String: String]) throws -> TableSchema {
        let header = try TableReader(TableSource(path: path)).header
        let json = header.map { fields[$0] ?? #"{"name": "\#($0)", "type": "any"}"# }.joined(separator: ", ")
        return try TableSchema(json: Data(#"{"fields": [\#(json)]}"#.utf8), source: "test")
    }

    func testSchemaInferReadsTypesFromTheMetadata() throws {
        // Values alone would say integer and date; the metadata says string.
        let strings = try SchemaInference.infer(TableSource(path: Fixtures.path("parquet/encodings-v1.parquet")))
        XCTAssertEqual(strings.fields.map(\.type), [.integer, .integer, .string, .string, .number, .number, .boolean])
    }

    func testInferredSchemaValidatesItsOwnParquetData() throws {
        for name in ["penguins-v1", "penguins-v2", "taxis-zstd", "polars-penguins", "duckdb-diamonds"] {
            let source = TableSource(path: Fixtures.path("parquet/\(name).parquet"))
            let schema = try SchemaInference.infer(source, options: InferenceOptions(bounds: true))
            let summary = try Validator(schema: schema).validate(source)
            XCTAssertTrue(summary.valid, "\(name): \(summary.firstErrors.prefix(3))")
        }
    }

    func testSchemaThatDisagreesWithTheFileReportsEachCell() throws {
        // species is a string column; the schema says integer. penguins-v1 has 120 rows.
        let schema = try schema(for: penguins, [
            "species": #"{"name": "species", "type": "integer"}"#,
            "bill_length_mm": #"{"name": "bill_length_mm", "type": "number", "constraints": {"required": true}}"#,
        ])
        let summary = try Validator(schema: schema).validate(TableSource(path: penguins))
        XCTAssertFalse(summary.valid)
        XCTAssertEqual(summary.rowCount, 120)
        XCTAssertEqual(summary.errorsByType["type-error"], 120)
        XCTAssertEqual(summary.errorsByType["constraint-error"], 1, "row 4 is null in pyarrow's reading")
        let first = try XCTUnwrap(summary.firstErrors.first)
        XCTAssertEqual(first.row, 1, "Parquet rows count from 1")
        XCTAssertEqual(first.field, "species")
        XCTAssertEqual(first.value, "Adelie")
        let missing = try XCTUnwrap(summary.firstErrors.first { $0.type == "constraint-error" })
        XCTAssertEqual(missing.row, 4)
    }

    func testRowNumbersRunAcrossRowGroups() throws {
        // taxis-snappy.parquet: 120 rows in row groups of 50, 50, 20. Row 101 opens the third.
        let taxis = Fixtures.path("parquet/taxis-snappy.parquet")
        let schema = try schema(for: taxis, [
            "pickup": #"{"name": "pickup", "type": "datetime"}"#,
            "fare": #"{"name": "fare", "type": "number", "constraints": {"maximum": 0}}"#,
        ])
        let summary = try Validator(schema: schema, options: ValidationOptions(maxErrors: 200)).validate(TableSource(path: taxis))
        XCTAssertEqual(summary.errorsByType["constraint-error"], 120)
        XCTAssertEqual(summary.firstErrors.map(\.row), Array(1...120).map { Optional($0) })
    }

    func testCorruptParquetIsARuntimeError() throws {
        let schema = try TableSchema(json: Data(#"{"fields": [{"name": "pickup", "type": "datetime"}]}"#.utf8), source: "test")
        XCTAssertThrowsError(try Validator(schema: schema).validate(TableSource(path: Fixtures.path("parquet/bad/brotli.parquet")))) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .runtime)
        }
    }
}
