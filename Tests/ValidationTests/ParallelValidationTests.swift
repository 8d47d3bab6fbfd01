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

    private func validate(_ path: String, threads: Int, chunkBytes: Int = 8 << 20, maxErrors: Int = 1000, share: TableShare? = nil) throws -> ValidationSummary {
        let schema = try TableSchema.load(path: try dir.write("s.json", schemaText))
        let options = ValidationOptions(maxErrors: maxErrors, asPart: share != nil, threads: threads, chunkBytes: chunkBytes)
        var source = TableSource(path: path)
        source.share = share
        return try Validator(schema: schema, options: options).validate(source)
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
        // Past the detail limit the counts stay complete and the details are the first ones
        // (a chunk keeps only counts and fingerprints past its own first `limit` errors).
        for maxErrors in [0, 5, 40] {
            XCTAssertEqual(try validate(path, threads: 2, chunkBytes: 97, maxErrors: maxErrors), try validate(path, threads: 1, maxErrors: maxErrors), "--max-errors \(maxErrors)")
        }
    }

    /// Threads within a share (`--shard i/N --part`): each part, first occurrences of
    /// unique and key values included, is the one a single thread writes, and the merged
    /// parts are the single pass over the whole file.
    func testThreadsWithinByteSharesWriteTheOneThreadParts() throws {
        let path = dir.file("d.csv")
        try data(rows: 900, seed: 21).write(to: URL(fileURLWithPath: path))
        let whole = try validate(path, threads: 1, maxErrors: 100_000)
        let schema = try TableSchema.load(path: dir.file("s.json"))
        for n in [2, 3] {
            var parts: [ValidationSummary] = []
            for k in 0..<n {
                let share = TableShare(index: k, count: n)
                let sequential = try validate(path, threads: 1, maxErrors: 100_000, share: share)
                XCTAssertNotNil(sequential.share?.firstOccurrences?["code"])
                for (threads, chunkBytes) in [(2, 1), (3, 53), (2, 700)] {
                    var threaded = try validate(path, threads: threads, chunkBytes: chunkBytes, maxErrors: 100_000, share: share)
                    XCTAssertGreaterThanOrEqual(threaded.share?.bytesRead ?? 0, sequential.share?.bytesRead ?? 0, "the chunks' scans are read too")
                    threaded.share?.bytesRead = sequential.share?.bytesRead ?? 0
                    XCTAssertEqual(threaded, sequential, "share \(share) with \(threads) threads, \(chunkBytes)-byte chunks")
                }
                parts.append(try validate(path, threads: 3, chunkBytes: 29, maxErrors: 100_000, share: share))
            }
            let merged = try ValidationMerge.merge(parts, schema: schema, schemaPath: nil, maxErrors: 100_000)
            XCTAssertEqual(merged.rowCount, whole.rowCount)
            XCTAssertEqual(merged.errorsByType, whole.errorsByType, "N=\(n)")
            XCTAssertEqual(merged.errorsByField, whole.errorsByField, "N=\(n)")
            XCTAssertEqual(Set(merged.firstErrors.map { "\($0.row ?? 0) \($0.line ?? 0) \($0.type) \($0.field ?? "")" }),
                           Set(whole.firstErrors.map { "\($0.row ?? 0) \($0.line ?? 0) \($0.type) \($0.field ?? "")" }), "N=\(n): rows and lines")
        }
    }

    func testEveryChunkIsReadInParallelWhenItCan() throws {
        let path = dir.file("d.csv")
        try data(rows: 50, seed: 3).write(to: URL(fileURLWithPath: path))
        let reader = try TableReader(TableSource(path: path))
        let chunks = try XCTUnwrap(ParallelValidation.chunks(of: reader, options: ValidationOptions(threads: 2, chunkBytes: 100), observers: []))
        XCTAssertEqual(chunks.range.lowerBound, "id,note,amount,kind,code\n".utf8.count)
        XCTAssertGreaterThan(chunks.count, 10)
        // RecordBoundary's starts are where a sequential read starts records, though notes
        // with newlines put a line start inside a record at most cuts.
        var recordStarts: Set<Int> = [chunks.range.lowerBound]
        let sequential = try TableReader(TableSource(path: path))
        while try sequential.next() { recordStarts.insert(try XCTUnwrap(sequential.nextRecordOffset)) }
        XCTAssertEqual(chunks.starts.compactMap { $0 }.filter { !recordStarts.contains($0) }, [])
        XCTAssertGreaterThan(chunks.starts.compactMap { $0 }.count, 10)
        XCTAssertNil(try ParallelValidation.chunks(of: reader, options: ValidationOptions(threads: 1, chunkBytes: 100), observers: []))
        XCTAssertNil(try ParallelValidation.chunks(of: reader, options: ValidationOptions(threads: 2, chunkBytes: 8 << 20), observers: []), "one chunk")
        let gzip = try dir.write("d.csv.gz", "")
        _ = try runProcess("sh", ["-c", "gzip -c '\(path)' > '\(gzip)'"])
        XCTAssertNil(try ParallelValidation.chunks(of: try TableReader(TableSource(path: gzip)), options: ValidationOptions(threads: 2, chunkBytes: 100), observers: []), "gzip")
        let lines = try dir.write("d.jsonl", String(repeating: "{\"id\": 1}\n", count: 200))
        XCTAssertNil(try ParallelValidation.chunks(of: try TableReader(TableSource(path: lines)), options: ValidationOptions(threads: 2, chunkBytes: 100), observers: []), "JSON Lines")
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
