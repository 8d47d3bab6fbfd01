import Core
import Foundation
import Tabular
import TestSupport
import XCTest

/// Parquet files written by pyarrow 26.0.1, polars 2.1.0 and DuckDB 2.0.1
/// (Tests/Fixtures/parquet/generate.py; versions in VERSIONS.txt), read through
/// `TableReader` and compared cell by cell with what pyarrow reads from the same file
/// (`*.expected.csv`, written by the generator from `pyarrow.parquet.read_table`).
final class ParquetReaderTests: XCTestCase {
    private func rows(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let reader = try TableReader(TableSource(path: path))
        var rows: [[String]] = []
        while try reader.next() { rows.append(reader.strings()) }
        return (reader.header, rows)
    }

    private func assertMatchesPyarrow(_ name: String, expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let actual = try rows(Fixtures.path("parquet/\(name).parquet"))
        let wanted = try rows(Fixtures.path("parquet/\(expected).expected.csv"))
        XCTAssertEqual(actual.header, wanted.header, name, file: file, line: line)
        XCTAssertEqual(actual.rows.count, wanted.rows.count, name, file: file, line: line)
        for (index, (got, want)) in zip(actual.rows, wanted.rows).enumerated() where got != want {
            XCTFail("\(name) row \(index + 1): \(got) != pyarrow's \(want)", file: file, line: line)
            return
        }
    }

    func testEveryCodecAndPageVersionReadsAsPyarrowDoes() throws {
        for codec in ["none", "snappy", "gzip", "zstd", "lz4"] {
            try assertMatchesPyarrow("taxis-\(codec)", expected: "taxis")
        }
        try assertMatchesPyarrow("taxis-v2-snappy", expected: "taxis")
    }

    func testOptionalColumnsInBothPageVersions() throws {
        try assertMatchesPyarrow("penguins-v1", expected: "penguins")
        try assertMatchesPyarrow("penguins-v2", expected: "penguins")
    }

    func testDeltaByteStreamSplitAndRLEEncodings() throws {
        try assertMatchesPyarrow("encodings-v1", expected: "encodings")
        try assertMatchesPyarrow("encodings-v2", expected: "encodings")
    }

    func testLogicalTypesAndLegacyInt96() throws {
        try assertMatchesPyarrow("types", expected: "types")
        try assertMatchesPyarrow("int96", expected: "int96")
    }

    func testPolarsAndDuckDBFiles() throws {
        try assertMatchesPyarrow("polars-penguins", expected: "polars-penguins")
        try assertMatchesPyarrow("polars-penguins-groups", expected: "polars-penguins-groups")
        try assertMatchesPyarrow("duckdb-diamonds", expected: "duckdb-diamonds")
    }

    func testRowNumbersCountFromOneAcrossRowGroups() throws {
        // taxis-*.parquet holds 120 rows in row groups of 50, 50 and 20.
        let reader = try TableReader(TableSource(path: Fixtures.path("parquet/taxis-zstd.parquet")))
        XCTAssertFalse(reader.source.hasHeader, "Parquet has no header row, so its first row is row 1")
        var numbers: [Int] = []
        while try reader.next() { numbers.append(reader.recordNumber) }
        XCTAssertEqual(numbers, Array(1...120))
    }

    func testDeclaredTypesComeFromTheMetadata() throws {
        let reader = try TableReader(TableSource(path: Fixtures.path("parquet/types.parquet")))
        let types = Dictionary(uniqueKeysWithValues: zip(reader.header, reader.declaredTypes ?? []))
        XCTAssertEqual(types["bool"], .boolean)
        XCTAssertEqual(types["uint64"], .integer)
        XCTAssertEqual(types["float16"], .number)
        XCTAssertEqual(types["dec_38_10"], .number)
        XCTAssertEqual(types["date"], .date)
        XCTAssertEqual(types["time_ns"], .time)
        XCTAssertEqual(types["ts_us_utc"], .datetime)
        XCTAssertEqual(types["string"], .string)
        XCTAssertEqual(types["binary"], .string)
        XCTAssertEqual(types["category"], .string)
        XCTAssertNil(try TableReader(TableSource(path: Fixtures.path("parquet/penguins.expected.csv"))).declaredTypes)
    }

    // MARK: - Inputs Sluice refuses

    private func readError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let dir = try TemporaryDirectory()
        let path = dir.file("broken.parquet")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try rows(path)
        } catch let error as TableReadError {
            XCTAssertEqual(error.exitStatus, .runtime, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path + ": cannot read: "), error.description, file: file, line: line)
            return error.description
        }
        XCTFail("expected a TableReadError", file: file, line: line)
        return ""
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("parquet/\(name)"))))
    }

    func testTruncatedFile() throws {
        let bytes = try fixture("taxis-snappy.parquet")
        XCTAssertTrue(try readError(Array(bytes.prefix(bytes.count / 2))).contains("does not end with the magic bytes PAR1 (truncated?)"))
        XCTAssertTrue(try readError(Array(bytes.prefix(7))).contains("shorter than Parquet's 12-byte frame"))
    }

    func testBadMagic() throws {
        var bytes = try fixture("taxis-snappy.parquet")
        bytes[0] = UInt8(ascii: "X")
        XCTAssertTrue(try readError(bytes).contains("does not start with the magic bytes PAR1"))
    }

    func testFooterLengthPastTheFile() throws {
        var bytes = try fixture("taxis-snappy.parquet")
        let n = bytes.count
        bytes.replaceSubrange(n - 8..<n - 4, with: [0xFF, 0xFF, 0xFF, 0x7F])
        XCTAssertTrue(try readError(bytes).contains("the footer length 2147483647 points before the start of the file"))
    }

    func testCorruptPageHeader() throws {
        var bytes = try fixture("taxis-snappy.parquet")
        // The first column chunk's first page header starts right after the magic.
        bytes.replaceSubrange(4..<12, with: repeatElement(0xFF, count: 8))
        let message = try readError(bytes)
        XCTAssertTrue(message.contains("row group 1 of 3, column \"pickup\": a page header at offset 4 does not decode"), message)
    }

    func testCodecSluiceLacks() throws {
        let message = try readError(try fixture("bad/brotli.parquet"))
        XCTAssertTrue(message.contains("column \"pickup\" is compressed with BROTLI, which Sluice does not read; rewrite the file with SNAPPY, ZSTD"), message)
    }

    func testNestedColumnIsNamed() throws {
        let message = try readError(try fixture("bad/nested.parquet"))
        XCTAssertTrue(message.contains("column \"tags\" is nested"), message)
    }

    /// Found by `ci/fuzz run 400 parquet`: a Thrift map in the footer claiming 2^31 entries
    /// of booleans, which took no bytes to skip, kept the reader busy for minutes.
    func testMapClaimingMoreEntriesThanBytesIsRefused() throws {
        let started = Date()
        let message = try readError(try fixture("bad/fuzz-map-entries.parquet"))
        XCTAssertTrue(message.contains("entries is longer than the bytes left"), message)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    /// Every single-byte corruption of a small file either reads or fails with a
    /// `TableReadError`: no crash, no hang, no runaway allocation.
    func testEveryByteCorruptedFailsCleanly() throws {
        let original = try fixture("int96.parquet")
        let dir = try TemporaryDirectory()
        let path = dir.file("mutated.parquet")
        let flips: [UInt8] = [0xFF, 0x80, 0x01, 0x7F]
        for index in original.indices {
            var bytes = original
            bytes[index] ^= flips[index % flips.count]
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try rows(path)
            } catch is TableReadError {
                continue
            }
        }
    }
}
