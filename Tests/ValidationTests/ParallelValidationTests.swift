import Foundation
import ReportModel
import Tabular
import TestSupport
@testable import Validation
import XCTest

/// `--threads`: a plain CSV file checked in chunks by several threads must give the summary
/// of one sequential pass, error for error, whatever the cuts: cuts inside quoted fields
/// that span lines, between CR and LF, in blank rows, through rows with every kind of error,
/// and through `unique` and primary-key values that repeat across chunks.
final class ParallelValidationTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
    }

    private let schemaText = #"""
    {"fields": [
      {"name": "id", "type": "integer", "constraints": {"required": true, "unique": true, "minimum": 0}},
      {"name": "note", "type": "string"},
      {"name": "amount", "type": "number", "constraints": {"exclusiveMinimum": 0, "maximum": 100}},
      {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
      {"name": "code", "type": "string", "constraints": {"unique": true}}
    ], "primaryKey": ["kind", "code"]}
    """#

    /// Rows of every shape, seeded: quoted notes with newlines, CRLF and doubled quotes,
    /// repeated ids and keys, type and constraint errors, short and long rows, blank rows,
    /// invalid UTF-8.
    private func data(rows: Int, seed: UInt64) -> Data {
        var generator = SeededGenerator(seed: seed)
        var bytes = Array("id,note,amount,kind,code\n".utf8)
        for row in 0..<rows {
            let id = Int.random(in: 0..<10, using: &generator) == 0 ? row / 2 : row
            let note: String
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: note = "\"line one\nline two\""
            case 1: note = "\"say \"\"hi\"\",\r\nthen\n\nmore\""
            case 2: note = "plain"
            case 3: note = ""
            default: note = "\"quoted, with comma\""
            }
            let amount = ["1.5", "0", "100", "100.0000001", "nan", "x", "", "3e1"][Int.random(in: 0..<8, using: &generator)]
            let kind = ["a", "b", "c", ""][Int.random(in: 0..<4, using: &generator)]
            let code = "k\(Int.random(in: 0..<(rows / 2 + 1), using: &generator))"
            var line = Array("\(id),\(note),\(amount),\(kind),\(code)".utf8)
            switch Int.random(in: 0..<25, using: &generator) {
            case 0: line = Array(",,,,".utf8)
            case 1: line = Array("\(id),x".utf8)
            case 2: line += Array(",extra".utf8)
            case 3: line = []
            case 4: line += [0xFF, 0xFE]
            default: break
            }
            bytes += line + Array((Int.random(in: 0..<4, using: &generator) == 0 ? "\r\n" : "\n").utf8)
        }
        return Data(bytes)
    }

    private func validate(_ path: String, threads: Int, chunkBytes: Int = 8 << 20, maxErrors: Int = 1000) throws -> ValidationSummary {
        let schema = try TableSchema.load(path: try dir.write("s.json", schemaText))
        let options = ValidationOptions(maxErrors: maxErrors, threads: threads, chunkBytes: chunkBytes)
        return try Validator(schema: schema, options: options).validate(TableSource(path: path))
    }

    func testChunksGiveTheSequentialSummaryWhateverTheCuts() throws {
        let path = dir.file("d.csv")
        try data(rows: 600, seed: 15).write(to: URL(fileURLWithPath: path))
        let sequential = try validate(path, threads: 1)
        XCTAssertEqual(sequential.rowCount, 600)
        for kind in ["type-error", "constraint-error", "unique-error", "primary-key", "blank-row", "missing-cell", "extra-cell", "encoding-error"] {
            XCTAssertNotNil(sequential.errorsByType[kind], "the data should produce \(kind)")
        }
        for (threads, chunkBytes) in [(2, 1), (3, 7), (2, 16), (5, 61), (3, 250), (2, 4096)] {
            XCTAssertEqual(try validate(path, threads: threads, chunkBytes: chunkBytes), sequential, "\(threads) threads, \(chunkBytes)-byte chunks")
        }
        // Past the detail limit the counts stay complete and the details are the first ones.
        XCTAssertEqual(try validate(path, threads: 2, chunkBytes: 97, maxErrors: 5), try validate(path, threads: 1, maxErrors: 5))
    }

    func testEveryChunkIsReadInParallelWhenItCan() throws {
        let path = dir.file("d.csv")
        try data(rows: 50, seed: 3).write(to: URL(fileURLWithPath: path))
        let reader = try TableReader(TableSource(path: path))
        let chunks = try XCTUnwrap(ParallelValidation.chunks(of: reader, options: ValidationOptions(threads: 2, chunkBytes: 100), observers: []))
        XCTAssertEqual(chunks.dataStart, "id,note,amount,kind,code\n".utf8.count)
        XCTAssertGreaterThan(chunks.count, 10)
        XCTAssertNil(ParallelValidation.chunks(of: reader, options: ValidationOptions(threads: 1, chunkBytes: 100), observers: []))
        XCTAssertNil(ParallelValidation.chunks(of: reader, options: ValidationOptions(threads: 2, chunkBytes: 8 << 20), observers: []), "one chunk")
        let gzip = try dir.write("d.csv.gz", "")
        _ = try runProcess("sh", ["-c", "gzip -c '\(path)' > '\(gzip)'"])
        XCTAssertNil(ParallelValidation.chunks(of: try TableReader(TableSource(path: gzip)), options: ValidationOptions(threads: 2, chunkBytes: 100), observers: []))
    }

    func testABrokenQuoteStopsTheReadWhereOneThreadStops() throws {
        var text = "id,note,amount,kind,code\n"
        for row in 0..<200 { text += "\(row),\"n\nn\",1,a,k\(row)\n" }
        text += "200,\"bad\"x,1,a,k200\n"
        for row in 201..<300 { text += "\(row),n,1,a,k\(row)\n" }
        let path = try dir.write("broken.csv", text)
        let sequential = try validate(path, threads: 1)
        XCTAssertEqual(sequential.errorsByType, ["source-error": 1])
        XCTAssertEqual(sequential.rowCount, 200)
        for chunkBytes in [5, 64, 1000] {
            XCTAssertEqual(try validate(path, threads: 3, chunkBytes: chunkBytes), sequential, "\(chunkBytes)-byte chunks")
        }
        let open = try dir.write("open.csv", "id,note,amount,kind,code\n1,n,1,a,k1\n2,\"never closed\n3,n,1,a,k3\n")
        XCTAssertEqual(try validate(open, threads: 2, chunkBytes: 4), try validate(open, threads: 1))
    }
}
