import Tabular
import TestSupport
import XCTest

/// Parquet's stored numbers and booleans (`TableReader.storedValue`) and what a cell
/// parser makes of them without their text (`CellParser.value(of:)`).
final class StoredValueTests: XCTestCase {
    /// Every stored value of the file beside the text the reader shows for the same cell.
    private func storedCells(_ name: String) throws -> [String: [(StoredValue?, String)]] {
        let reader = try TableReader(TableSource(path: Fixtures.path("parquet/\(name).parquet")))
        var cells: [String: [(StoredValue?, String)]] = [:]
        while try reader.next() {
            for (index, column) in reader.header.enumerated() {
                cells[column, default: []].append((reader.storedValue(index), reader.string(index)))
            }
        }
        return cells
    }

    func testSignedIntegersDoublesAndBooleansAreStored() throws {
        let types = try storedCells("types")
        XCTAssertEqual(types["bool"]?.first?.0, .boolean(true))
        XCTAssertEqual(types["int8"]?.first?.0, .integer(-128))
        XCTAssertEqual(types["int64"]?.first?.0, .integer(Int64.min))
        XCTAssertEqual(types["float64"]?.first?.0, .double(0.1))
        // Text only: unsigned integers (beyond Int64), FLOAT (its text reads back as another
        // Double), dates, decimals and strings.
        for column in ["uint64", "float32", "date", "dec_9_2", "string", "ts_ms"] {
            XCTAssertTrue(types[column]?.allSatisfy { $0.0 == nil } == true, column)
        }
        let encodings = try storedCells("encodings-v2")
        XCTAssertNil(encodings["delta_int32"]?[0].0, "a null cell stores nothing")
        XCTAssertEqual(encodings["delta_int32"]?[1].0, .integer(-293), "DELTA_BINARY_PACKED")
        XCTAssertEqual(encodings["split_double"]?[1].0, .double(-1.0), "BYTE_STREAM_SPLIT")
        XCTAssertEqual(encodings["rle_bool"]?[1].0, .boolean(false), "RLE booleans")
    }

    func testStoredValuesAreWhatTheTextSays() throws {
        var stored = 0
        for name in ["types", "encodings-v1", "encodings-v2", "penguins-v1", "penguins-v2", "polars-penguins", "duckdb-diamonds", "taxis-zstd"] {
            for (column, cells) in try storedCells(name) {
                for (value, text) in cells {
                    switch value {
                    case .integer(let x)?: XCTAssertEqual(String(x), text, "\(name).\(column)")
                    case .double(let x)?: XCTAssertEqual(Double(text).map { $0 == x || ($0.isNaN && x.isNaN) }, true, "\(name).\(column): \(text)")
                    case .boolean(let x)?: XCTAssertEqual(x ? "true" : "false", text, "\(name).\(column)")
                    case nil: continue
                    }
                    stored += 1
                }
            }
        }
        XCTAssertGreaterThan(stored, 1000, "the fixtures' numeric columns are stored")
    }

    func testTextFormatsStoreNothing() throws {
        let reader = try TableReader(TableSource(path: Fixtures.path("parquet/taxis.expected.csv")))
        while try reader.next() {
            for index in 0..<reader.fieldCount { XCTAssertNil(reader.storedValue(index)) }
        }
    }

    private func value(_ stored: StoredValue, as type: FieldType, trueValues: [String] = SchemaField.defaultTrueValues, decimalChar: String = ".") throws -> CellValue? {
        try SchemaField(name: "f", type: type, trueValues: trueValues, decimalChar: decimalChar).parser.value(of: stored)
    }

    func testCellParserTellsAStoredValueOnlyWhenItsTextWouldSayTheSame() throws {
        XCTAssertEqual(try value(.integer(-7), as: .integer), .integer(-7))
        XCTAssertEqual(try value(.integer(-7), as: .number), .number(-7))
        XCTAssertEqual(try value(.double(0.1), as: .number), .number(0.1))
        XCTAssertEqual(try value(.boolean(false), as: .boolean), .boolean(false))
        XCTAssertEqual(try value(.double(2.5), as: .string), .text)
        XCTAssertEqual(try value(.boolean(true), as: .any), .text)
        // The text decides: a double as an integer ("3.0"), words for NaN, integers beyond
        // 2^53, a decimal comma, booleans the field does not spell as "true".
        XCTAssertNil(try value(.double(3.0), as: .integer))
        XCTAssertNil(try value(.double(.nan), as: .number))
        XCTAssertNil(try value(.double(-.infinity), as: .number))
        XCTAssertNil(try value(.integer(1 << 60), as: .number))
        XCTAssertNil(try value(.double(0.5), as: .number, decimalChar: ","))
        XCTAssertNil(try value(.boolean(true), as: .boolean, trueValues: ["1"]))
        XCTAssertNil(try value(.integer(2026), as: .year))
    }
}
