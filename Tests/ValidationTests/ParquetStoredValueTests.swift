import Foundation
import ReportModel
import Tabular
import TestSupport
import Validation
import XCTest

/// Validation of Parquet takes numbers and booleans as the file stores them
/// (`TableReader.storedValue`) instead of parsing their text back. These tests hold that
/// path to the text path: each fixture is copied to CSV as the reader shows it (the text the
/// cell parsers read before), and both are validated against the same schemas, whose types
/// and constraints make every kind of cell error; the summaries must be equal, message for
/// message (rows shifted by the CSV's header row).
final class ParquetStoredValueTests: XCTestCase {
    private let fixtures = [
        "types", "int96", "encodings-v1", "encodings-v2", "penguins-v1", "penguins-v2", "polars-penguins",
        "duckdb-diamonds", "taxis-none", "taxis-zstd", "taxis-v2-snappy",
    ]

    /// The fixture's rows as text in a CSV file, and its header.
    private func textCopy(_ path: String, in directory: TemporaryDirectory) throws -> (csv: String, header: [String], types: [FieldType]) {
        let reader = try TableReader(TableSource(path: path))
        let csv = directory.file((path as NSString).lastPathComponent + ".csv")
        let writer = try CSVWriter(path: csv, header: reader.header)
        while try reader.next() { try writer.write(reader) }
        try writer.close()
        return (csv, reader.header, try XCTUnwrap(reader.declaredTypes))
    }

    /// Schemas over `header`: the file's own types with bounds, and every column as one type.
    private func schemas(_ header: [String], _ types: [FieldType]) throws -> [String: TableSchema] {
        func schema(_ field: (Int, String) -> String) throws -> TableSchema {
            let fields = header.enumerated().map { index, name in
                #"{"name": "\#(name)", \#(field(index, name))}"#
            }
            return try TableSchema(json: Data(#"{"fields": [\#(fields.joined(separator: ", "))]}"#.utf8), source: "test")
        }
        return [
            "declared": try schema { index, _ in
                let type = types[index].rawValue
                let bounds = [.integer, .number].contains(types[index]) ? #", "minimum": 1, "maximum": 40, "unique": true"# : ""
                return #""type": "\#(type)", "constraints": {"required": true\#(bounds)}"#
            },
            "number": try schema { _, _ in #""type": "number", "constraints": {"exclusiveMinimum": 0, "enum": [1, 2, 3, 0.5]}"# },
            "integer": try schema { _, _ in #""type": "integer", "constraints": {"maximum": 3}"# },
            "boolean": try schema { _, _ in #""type": "boolean""# },
            "boolean-words": try schema { _, _ in #""type": "boolean", "trueValues": ["1", "yes"], "falseValues": ["false", "0"]"# },
            "number-comma": try schema { _, _ in #""type": "number", "decimalChar": ",""# },
            "string": try schema { _, _ in #""type": "string", "constraints": {"maxLength": 3}"# },
        ]
    }

    func testStoredValuesValidateExactlyAsTheirText() throws {
        let directory = try TemporaryDirectory()
        for name in fixtures {
            let parquet = Fixtures.path("parquet/\(name).parquet")
            let copy = try textCopy(parquet, in: directory)
            for (kind, schema) in try schemas(copy.header, copy.types) {
                let validator = Validator(schema: schema, options: ValidationOptions(maxErrors: 100_000))
                let typed = try validator.validate(TableSource(path: parquet))
                var text = try validator.validate(TableSource(path: copy.csv))
                text.file = typed.file
                // The CSV's header is row 1; a Parquet row's line is its row (the CSV's
                // lines also count the line breaks inside quoted cells).
                text.firstErrors = text.firstErrors.map { issue in
                    var issue = issue
                    issue.row = issue.row.map { $0 - 1 }
                    issue.line = issue.row
                    return issue
                }
                XCTAssertEqual(typed.errorCount, text.errorCount, "\(name), \(kind)")
                if let (got, want) = zip(typed.firstErrors, text.firstErrors).first(where: { $0 != $1 }) {
                    XCTFail("\(name), \(kind): \(got) != the text's \(want)")
                }
                text.firstErrors = typed.firstErrors
                XCTAssertEqual(typed, text, "\(name), \(kind)")
            }
        }
    }
}
