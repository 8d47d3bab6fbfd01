import Foundation
import TestSupport
import XCTest

/// `--shard i/N` on one plain CSV file, through the built binary: each job reads a byte
/// range cut at record starts, about 1/N of the bytes, even when every cut falls inside a
/// quoted field with an embedded newline.
final class CSVShardEndToEndTests: XCTestCase {
    /// A CSV of `rows` records `id,note,value` whose every cut for N = 2, 3 and 4 (at k/N of
    /// the bytes after the header, as `CSVByteShare` cuts) falls just after a newline inside
    /// the quoted `note`, where a reader that ignored quotes would start a record.
    static func quotedNewlineAtEveryCut(rows: Int) -> [UInt8] {
        let header = Array("id,note,value\n".utf8)
        var lengths = Array(repeating: 40, count: rows)
        for _ in 0..<50 {
            var bytes = header
            var notes: [Range<Int>] = []  // the bytes of each note that may become a newline
            for row in 1...rows {
                bytes += Array("\(row),\"".utf8)
                let start = bytes.count
                // A doubled quote and a comma up front; letters after, with a newline every 9th byte.
                bytes += Array("\"\", ".utf8) + (4..<lengths[row - 1]).map { $0 % 9 == 0 ? UInt8(ascii: "\n") : UInt8(ascii: "a") + UInt8($0 % 26) }
                notes.append(start + 5..<bytes.count - 1)
                bytes += Array("\",\(row % 7 == 0 ? "" : String(row % 100))\n".utf8)
            }
            let span = bytes.count - header.count
            let cuts = [2, 3, 4].flatMap { n in (1..<n).map { k in header.count + Int(Int64(span) * Int64(k) / Int64(n)) } }
            guard let missed = cuts.first(where: { cut in !notes.contains { $0.contains(cut - 1) } }) else {
                for cut in cuts { bytes[cut - 1] = UInt8(ascii: "\n") }
                return bytes
            }
            // The cut falls between a note and the next: stretch that note over it and shorten
            // the next one as much, so nothing after them (the other cuts) moves.
            let row = notes.lastIndex { $0.lowerBound <= missed - 1 }!
            let stretch = missed - notes[row].upperBound + 2
            lengths[row] += stretch
            lengths[row + 1] -= stretch
        }
        fatalError("no layout puts every cut inside a note")
    }

    /// Bytes read, from the job log's `shard i/N of DATA: read B bytes`.
    private func bytesRead(_ stderr: String) -> Int? {
        guard let range = stderr.range(of: #"read (\d+) bytes"#, options: .regularExpression) else { return nil }
        return Int(stderr[range].split(separator: " ")[1])
    }

    private func profile(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func testProfileSharesWithQuotedNewlinesAtEveryCutMergeIntoTheWhole() throws {
        let dir = try TemporaryDirectory()
        let data = dir.file("notes.csv")
        let bytes = Self.quotedNewlineAtEveryCut(rows: 40_000)
        try Data(bytes).write(to: URL(fileURLWithPath: data))
        let whole = try SluiceBinary.run(["profile", data, "--out", dir.file("whole.json")])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let single = try profile(dir.file("whole.json"))
        XCTAssertEqual(single["rowCount"] as? Int, 40_000)
        for n in 2...4 {
            var parts: [String] = []
            for k in 1...n {
                let out = dir.file("part-\(k)-of-\(n).json")
                let run = try SluiceBinary.run(["profile", data, "--shard", "\(k)/\(n)", "--out", out])
                XCTAssertEqual(run.status, 0, run.stderr)
                let read = try XCTUnwrap(bytesRead(run.stderr), run.stderr)
                // Its range, the header's read-ahead (the reader's 1 MiB buffer and zlib's 256 KiB) and the cuts' scans.
                XCTAssertLessThan(read, bytes.count / n + (1 << 20) + (256 << 10) + 2 * (64 << 10) + 8192, "shard \(k)/\(n) reads about 1/\(n) of the bytes")
                XCTAssertGreaterThan(read, bytes.count / n - 8192)
                parts.append(out)
            }
            let merge = try SluiceBinary.run(["profile", "merge"] + parts + ["--out", dir.file("merged-\(n).json")])
            XCTAssertEqual(merge.status, 0, merge.stderr)
            let merged = try profile(dir.file("merged-\(n).json"))
            XCTAssertEqual(merged["rowCount"] as? Int, 40_000, "N=\(n)")
            let columns = try XCTUnwrap(merged["columns"] as? [[String: Any]]), expected = try XCTUnwrap(single["columns"] as? [[String: Any]])
            for (column, reference) in zip(columns, expected) {
                for key in ["name", "count", "missing"] {
                    XCTAssertEqual(column[key] as? NSObject, reference[key] as? NSObject, "N=\(n) \(column["name"] ?? "") \(key)")
                }
                let summary = column["summary"] as? [String: Any], referenceSummary = reference["summary"] as? [String: Any]
                for key in ["minimum", "maximum"] {
                    XCTAssertEqual(summary?[key] as? Double, referenceSummary?[key] as? Double, "N=\(n) \(column["name"] ?? "") \(key)")
                }
                if let mean = summary?["mean"] as? Double, let referenceMean = referenceSummary?["mean"] as? Double {
                    XCTAssertEqual(mean, referenceMean, accuracy: 1e-9 * abs(referenceMean), "N=\(n) mean")
                }
            }
        }
    }

    /// Validates `data` whole and as the parts of N shares merged; returns both JSON reports.
    private func wholeAndMerged(_ data: String, schema: String, shares n: Int, in dir: TemporaryDirectory) throws -> (whole: [String: Any], merged: [String: Any], parts: [[String: Any]]) {
        let whole = try SluiceBinary.run(["validate", data, "--schema", schema, "--format", "json", "--max-errors", "1000000"])
        XCTAssertLessThanOrEqual(whole.status, 1, whole.stderr)
        var parts: [String] = []
        var written: [[String: Any]] = []
        for k in 1...n {
            let part = dir.file("part-\(k)-of-\(n).json")
            let run = try SluiceBinary.run(["validate", data, "--schema", schema, "--shard", "\(k)/\(n)", "--part", part, "--max-errors", "1000000"])
            XCTAssertEqual(run.status, 0, "a part is written; the merge gives the verdict: \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("shard \(k)/\(n) of \(data): read "), run.stderr)
            parts.append(part)
            written.append(try profile(part))
        }
        let merge = try SluiceBinary.run(["validate", "merge"] + parts.reversed() + ["--schema", schema, "--format", "json", "--max-errors", "1000000"])
        XCTAssertEqual(merge.status, whole.status, merge.stderr)
        let parse = { (text: String) throws -> [String: Any] in try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) }
        return (try parse(whole.stdout), try parse(merge.stdout), written)
    }

    /// The details as (row, line, type, field), sorted: a row's errors may come in another
    /// order from the merge (cross-share repeats last), but must be the same errors.
    private func places(_ report: [String: Any]) -> [String] {
        ((report["firstErrors"] as? [[String: Any]]) ?? []).map { issue in
            "\(issue["row"] as? Int ?? 0) \(issue["line"] as? Int ?? 0) \(issue["type"] as? String ?? "") \(issue["field"] as? String ?? "")"
        }.sorted()
    }

    private func assertSame(_ merged: [String: Any], _ whole: [String: Any], _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        for key in ["valid", "rowCount", "errorCount", "errorsByType", "errorsByField", "missingByField", "tableErrorCount"] {
            XCTAssertEqual(merged[key] as? NSObject, whole[key] as? NSObject, "\(label): \(key)", file: file, line: line)
        }
        let mergedPlaces = places(merged), wholePlaces = places(whole)
        XCTAssertEqual(mergedPlaces.count, wholePlaces.count, "\(label): details", file: file, line: line)
        let merged = Set(mergedPlaces), whole = Set(wholePlaces)
        XCTAssertTrue(merged == whole, "\(label): rows and lines as in a single pass; only merged: \(merged.subtracting(whole).sorted().prefix(8)), only whole: \(whole.subtracting(merged).sorted().prefix(8))", file: file, line: line)
    }

    func testValidatePartsWithQuotedNewlinesAtEveryCutMergeIntoTheWhole() throws {
        let dir = try TemporaryDirectory()
        let data = dir.file("notes.csv")
        try Data(Self.quotedNewlineAtEveryCut(rows: 6_000)).write(to: URL(fileURLWithPath: data))
        // value: required (every 7th row is empty) and at most 50; note: unique (most notes repeat,
        // across shares too); the primary key is value, so repeats and all-missing keys abound.
        let schema = try dir.write("schema.json", """
            {"fields": [{"name": "id", "type": "integer", "constraints": {"unique": true}},
                        {"name": "note", "type": "string", "constraints": {"unique": true}},
                        {"name": "value", "type": "integer", "constraints": {"required": true, "maximum": 50}}],
             "primaryKey": ["value"], "sluice": {"rowCount": {"min": 20000}, "maxMissingFraction": {"value": 0.1}}}
            """)
        for n in 2...4 {
            let (whole, merged, parts) = try wholeAndMerged(data, schema: schema, shares: n, in: dir)
            XCTAssertEqual(whole["rowCount"] as? Int, 6_000)
            let types = whole["errorsByType"] as? [String: Int] ?? [:]
            XCTAssertEqual(types["table-dimensions"], 1, "the row count is checked once, on the whole")
            XCTAssertEqual(types["missing-fraction"], 1)
            XCTAssertGreaterThan(types["unique-error"] ?? 0, 5_500)
            assertSame(merged, whole, "N=\(n)")
            let shares = parts.compactMap { $0["share"] as? [String: Any] }
            let ranges = shares.compactMap { $0["byteRange"] as? [Int] }
            XCTAssertEqual(ranges.count, n)
            for (before, after) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(before[1], after[0], "the ranges tile the file") }
            let sizes = ranges.map { $0[1] - $0[0] }
            XCTAssertLessThan(sizes.max()! - sizes.min()!, 200, "N=\(n): about 1/N of the bytes each (cut at record starts): \(sizes)")
        }
    }

    func testHeaderProblemsAndEmptySharesWhenThereAreMoreJobsThanRecords() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("two.csv", "id,label\n1,\"a\nb\"\n1,c\n")
        let schema = try dir.write("schema.json", """
            {"fields": [{"name": "id", "type": "integer", "constraints": {"unique": true}}, {"name": "name", "type": "string"}]}
            """)
        let (whole, merged, parts) = try wholeAndMerged(data, schema: schema, shares: 5, in: dir)
        XCTAssertEqual((whole["errorsByType"] as? [String: Int])?["incorrect-label"], 1)
        XCTAssertEqual((whole["errorsByType"] as? [String: Int])?["unique-error"], 1)
        assertSame(merged, whole, "N=5 over 2 records")
        let rows = parts.map { $0["rowCount"] as? Int ?? -1 }
        XCTAssertEqual(rows.reduce(0, +), 2)
        XCTAssertGreaterThanOrEqual(rows.filter { $0 == 0 }.count, 3, "shares with no record still have the columns: \(rows)")
        let issues = (merged["firstErrors"] as? [[String: Any]]) ?? []
        let repeatIssue = try XCTUnwrap(issues.first { $0["type"] as? String == "unique-error" })
        XCTAssertEqual(repeatIssue["row"] as? Int, 3, "the second record is row 3 (the header is row 1)")
        XCTAssertEqual(repeatIssue["line"] as? Int, 4, "it starts on line 4, after the quoted newline")
    }

    func testMergeRefusesMissingOrRepeatedSharesAndOneCSVNeedsParts() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("d.csv", "a\n1\n2\n3\n")
        let schema = try dir.write("s.json", #"{"fields": [{"name": "a", "type": "integer"}]}"#)
        for k in 1...3 {
            let run = try SluiceBinary.run(["validate", data, "--schema", schema, "--shard", "\(k)/3", "--part", dir.file("p\(k).json")])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        try assertUsageError(["validate", "merge", dir.file("p1.json"), dir.file("p3.json"), "--schema", schema], says: "shares 2 of 3 are missing")
        try assertUsageError(["validate", "merge", dir.file("p1.json"), dir.file("p2.json"), dir.file("p2.json"), dir.file("p3.json"), "--schema", schema], says: "shares 2 are given twice")
        try assertUsageError(["validate", data, "--schema", schema, "--shard", "1/2"], says: "add --part FILE and merge the parts with `sluice validate merge`")
        try assertUsageError(["validate", data, "--schema", schema, "--part", dir.file("p.json")], says: "--part writes one share's part: give --shard i/N too")
    }

    /// `sluice ARGUMENTS` exits 2 and its message says `says`.
    private func assertUsageError(_ arguments: [String], says: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try SluiceBinary.run(arguments)
        XCTAssertEqual(run.status, 2, run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(says), run.stderr, file: file, line: line)
    }

    func testAQuotedFieldLongerThanTheWindowAcrossACutFailsTheShareBeforeIt() throws {
        let dir = try TemporaryDirectory()
        // One note of 3 MB of lines without a quote: from the middle cut, no quote ahead within
        // 1 MiB, so the cut is taken to be outside quotes; share 1 finds it is not.
        let data = try dir.write("long.csv", "id,note\n1,\"" + String(repeating: "abcdefg\n", count: 3 << 17) + "\"\n2,x\n")
        let schema = try dir.write("s.json", #"{"fields": [{"name": "id", "type": "integer"}, {"name": "note", "type": "string"}]}"#)
        let whole = try SluiceBinary.run(["validate", data, "--schema", schema])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        for arguments in [["validate", data, "--schema", schema, "--shard", "1/2", "--part", dir.file("p1.json")], ["profile", data, "--shard", "1/2", "--out", dir.file("p1.profile.json")]] {
            try assertUsageError(arguments, says: "shard 1/2 ends at byte ")
            try assertUsageError(arguments, says: "is inside a quoted field there: either a quoted field longer than 1 MiB holds that byte, or a quote is left open in the data. Validate the file without --shard")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("p1.json")), "no part is written, so no merge can go ahead without it")
    }

    func testAGzipFileIsReadWholeNotInRanges() throws {
        let dir = try TemporaryDirectory()
        let data = dir.file("d.csv.gz")
        let plain = try dir.write("d.csv", "a\n" + (1...500).map(String.init).joined(separator: "\n") + "\n")
        XCTAssertEqual(try runProcess("/bin/sh", ["-c", "gzip -c '\(plain)' > '\(data)'"]).status, 0)
        let schema = try dir.write("s.json", #"{"fields": [{"name": "a", "type": "integer"}]}"#)
        try assertUsageError(["validate", data, "--schema", schema, "--shard", "1/2", "--part", dir.file("p.json")], says: "gzip-compressed, which must be inflated from its start to reach any byte")
        let profile = try SluiceBinary.run(["profile", data, "--shard", "1/2", "--out", dir.file("p.profile.json")])
        XCTAssertEqual(profile.status, 0, profile.stderr)
        XCTAssertEqual(try self.profile(dir.file("p.profile.json"))["rowCount"] as? Int, 250, "every other row, read from the whole file")
    }
}
