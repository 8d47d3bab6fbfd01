import Core
import Foundation
import ReportModel
import Tabular
import TestSupport
@testable import Validation
import XCTest

/// Plain records that pass every check are checked column by column
/// (`Pass.skipPassingRecords`), in one pass or in a parallel pass's chunks; the others
/// record by record. The summary must be the one a
/// record-by-record pass gives, error for error (kinds, order, rows, lines, messages, missing
/// counts), on data with every kind of cell the steps pass or leave to `checkCell`.
final class ColumnWiseValidationTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
    }

    private let schemaText = #"""
    {"fields": [
      {"name": "id", "type": "integer", "constraints": {"required": true, "minimum": 0}},
      {"name": "day", "type": "date"},
      {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
      {"name": "note", "type": "string"},
      {"name": "flag", "type": "boolean"},
      {"name": "count", "type": "integer"},
      {"name": "amount", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
      {"name": "rate", "type": "number"},
      {"name": "code", "type": "string"}
    ]}
    """#

    /// Mostly valid rows, seeded, broken by: type and constraint errors in every column,
    /// NaN and long numbers, missing cells, blank rows, short and long rows,
    /// empty lines, quoted fields, CRLF and lone CR, valid and invalid non-ASCII bytes.
    private func data(rows: Int, seed: UInt64) -> Data {
        var generator = SeededGenerator(seed: seed)
        var bytes = Array("id,day,kind,note,flag,count,amount,rate,code,spare\n".utf8)
        func pick(_ valid: String, _ broken: [String]) -> String {
            Int.random(in: 0..<40, using: &generator) == 0 ? broken.randomElement(using: &generator)! : valid
        }
        for row in 0..<rows {
            let cells = [
                pick("\(row)", ["-1", "x", "", "NA", "1.5", "99999999999999999999"]),
                pick("2024-0\(1 + row % 9)-1\(row % 10)", ["2024-13-01", "x", "", "2024-02-30"]),
                pick(row % 3 == 0 ? "a" : "b", ["c", "", "A", "NA"]),
                pick("n\(row % 7)", ["", "\"quoted, \"\"x\"\"\"", "\"two\nlines\"", "é", "NA"]),
                pick(row % 2 == 0 ? "true" : "false", ["yes", "", "1", "TRUE"]),
                pick("\(row % 1000 - 500)", ["1e3", "", "+7", " 8", "0x1"]),
                pick("\(row % 100).\(row % 97)", ["100.5", "-0.1", "nan", "NaN", "", "1e2", "12345678.123456789", "abc"]),
                pick("\(row % 13)\(row % 10 == 0 ? "" : ".25")", ["inf", "-inf", "1,5", "", ".5", "5."]),
                pick("abc", ["ABC", "", "ab1"]),
                "s",
            ]
            var line = Array(cells.joined(separator: ",").utf8)
            switch Int.random(in: 0..<60, using: &generator) {
            case 0: line = Array(",,,,,,,,,".utf8)
            case 1: line = Array("\(row),2024-01-01".utf8)
            case 2: line += Array(",extra".utf8)
            case 3: line = []
            case 4: line += [0xFF, 0xFE]
            case 5: line += Array("ü".utf8)
            default: break
            }
            let end = ["\n", "\n", "\n", "\n", "\r\n", "\r"][Int.random(in: 0..<(seed % 2 == 0 ? 4 : 6), using: &generator)]
            bytes += line + Array(end.utf8)
        }
        return Data(bytes)
    }

    /// Makes the pass check every record whole: an observer that sees each record.
    private final class EveryRecord: RecordObserver {
        func begin(_ reader: TableReader) throws {}
        func observe(_ reader: TableReader) {}
        func finish() throws {}
    }

    private func validate(_ path: String, maxErrors: Int, observers: [RecordObserver], threads: Int = 1, chunkBytes: Int = 1 << 20) throws -> ValidationSummary {
        let schema = try TableSchema.load(path: try dir.write("s.json", schemaText))
        let options = ValidationOptions(maxErrors: maxErrors, threads: threads, chunkBytes: chunkBytes)
        return try Validator(schema: schema, options: options).validate(TableSource(path: path), observers: observers)
    }

    func testColumnWiseGivesTheRecordByRecordSummary() throws {
        for seed in [31, 32] as [UInt64] {
            let path = dir.file("d\(seed).csv")
            try data(rows: 20_000, seed: seed).write(to: URL(fileURLWithPath: path))
            for maxErrors in [0, 7, 100_000] {
                let rowByRow = try validate(path, maxErrors: maxErrors, observers: [EveryRecord()])
                // A lone CR before an empty line makes one CRLF of them.
                XCTAssertGreaterThan(rowByRow.rowCount, 19_900)
                for kind in ["type-error", "constraint-error", "blank-row", "missing-cell", "extra-cell", "encoding-error"] {
                    XCTAssertNotNil(rowByRow.errorsByType[kind], "seed \(seed): the data should produce \(kind)")
                }
                XCTAssertEqual(try validate(path, maxErrors: maxErrors, observers: []), rowByRow, "seed \(seed), --max-errors \(maxErrors)")
                let progress = ReadProgress("validate", path: path, reporter: ProgressReporter(mode: .quiet))
                XCTAssertEqual(try validate(path, maxErrors: maxErrors, observers: [progress]), rowByRow, "seed \(seed), with progress")
                // Chunks on several threads, each checked column by column up to its end.
                for (threads, chunkBytes) in [(2, 997), (3, 20_000), (2, 300_000)] {
                    XCTAssertEqual(try validate(path, maxErrors: maxErrors, observers: [], threads: threads, chunkBytes: chunkBytes), rowByRow,
                                   "seed \(seed), --max-errors \(maxErrors), \(threads) threads, \(chunkBytes)-byte chunks")
                }
            }
            // Most records are taken column by column, between those checked whole.
            let reader = try TableReader(TableSource(path: path))
            var pass = Pass(schema: try TableSchema.load(path: try dir.write("s.json", schemaText)), limit: 0)
            pass.prepare(for: reader)
            var skipped = 0
            repeat { skipped += pass.skipPassingRecords(reader) } while try reader.next()
            XCTAssertGreaterThan(skipped, 2_000, "seed \(seed)")
        }
    }

    /// The column-wise check takes most valid records and stops at the first record a step
    /// does not pass, which `checkRecord` then checks whole; every record is counted once.
    func testValidRecordsAreSkippedAndTheFirstInvalidOneIsLeft() throws {
        let path = dir.file("v.csv")
        var text = "id,day,kind,note,flag,count,amount,rate,code,spare\n"
        for row in 0..<1000 { text += "\(row),2024-01-02,a,n,true,\(row),\(row % 100).5,1.25,abc,s\n" }
        text += "1000,2024-01-02,a,n,true,1,101,1.25,abc,s\n"
        for row in 1001..<1100 { text += "\(row),2024-01-02,b,n,false,3,4,5,x,s\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let schema = try TableSchema.load(path: try dir.write("s.json", schemaText))
        let reader = try TableReader(TableSource(path: path))
        var pass = Pass(schema: schema, limit: 10)
        pass.prepare(for: reader)
        XCTAssertTrue(pass.checksColumns)
        let headerErrors = pass.log.count
        var skipped = 0
        var checkedWhole: [Int] = []
        while true {
            skipped += pass.skipPassingRecords(reader)
            guard try reader.next() else { break }
            checkedWhole.append(reader.recordNumber)
            pass.checkRecord(reader)
        }
        XCTAssertEqual(reader.recordNumber, 1100)
        XCTAssertEqual(skipped + checkedWhole.count, 1100)
        // The first records (the index pauses after the header's first attempt), the one
        // out of bounds, the last ones in the buffer's last partial block.
        XCTAssertTrue(checkedWhole.contains(1001), "\(checkedWhole)")
        XCTAssertLessThan(checkedWhole.count, 40, "\(checkedWhole)")
        XCTAssertEqual(pass.log.count - headerErrors, 1)
        XCTAssertEqual(pass.log.details.last?.row, 1002)
    }
}
