import Foundation
import Stats
import Tabular
import TestSupport
import XCTest

/// End to end: `sluice validate FILE.parquet --profile` lets the profiler take the
/// validator's batches (`ParquetBatchObserver`) instead of every row. The profile it
/// writes must be byte for byte the one the row-by-row profiler writes (forced here by a
/// record observer), and the validation report the one without `--profile`, on files
/// written by pyarrow, polars and DuckDB, with schemas that find errors and without.
final class ParquetValidateProfileTests: XCTestCase {
    /// Sees every row, so the profiler reads them one by one.
    private final class RowCounter: RecordObserver {
        func begin(_ reader: TableReader) {}
        func observe(_ reader: TableReader) {}
        func finish() {}
    }

    /// A schema of the file's own types; with `strict`, bounds and lengths that most cells break.
    private func schema(for path: String, strict: Bool, in directory: TemporaryDirectory) throws -> String {
        let reader = try TableReader(TableSource(path: path))
        let types = try XCTUnwrap(reader.declaredTypes)
        let fields = zip(reader.header, types).map { name, type -> String in
            var constraints = ""
            if strict, type == .number || type == .integer { constraints = #", "constraints": {"minimum": 1, "maximum": 40}"# }
            if strict, type == .string { constraints = #", "constraints": {"maxLength": 5}"# }
            return #"{"name": "\#(name)", "type": "\#(type.rawValue)"\#(constraints)}"#
        }
        let file = directory.file(strict ? "strict.schema.json" : "schema.json")
        try Data(#"{"fields": [\#(fields.joined(separator: ", "))]}"#.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func testValidateProfileIsTheRowPassProfile() throws {
        let directory = try TemporaryDirectory()
        for fixture in ["many-values", "polars-penguins-groups", "duckdb-diamonds", "types", "taxis-v2-snappy"] {
            let path = Fixtures.path("parquet/\(fixture).parquet")
            for strict in [false, true] {
                let schema = try schema(for: path, strict: strict, in: directory)
                let alongside = directory.file("alongside.json")
                let validate = try SluiceBinary.run(["validate", path, "--schema", schema, "--profile", alongside, "--format", "json"])
                let alone = try SluiceBinary.run(["validate", path, "--schema", schema, "--format", "json"])
                XCTAssertEqual(validate.status, alone.status, "\(fixture), strict \(strict): \(validate.stderr)")
                XCTAssertEqual(validate.stdout, alone.stdout, "\(fixture), strict \(strict)")
                let byRow = try Profiler.pass(TableSource(path: path), options: ProfileOptions(schema: try TableSchema.load(path: schema)), observers: [RowCounter()])
                let rowProfile = directory.file("row.json")
                try byRow.write(to: rowProfile)
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: alongside)), try Data(contentsOf: URL(fileURLWithPath: rowProfile)), "\(fixture), strict \(strict)")
            }
        }
    }
}
