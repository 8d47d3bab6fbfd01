import Foundation
import Tabular
import TestSupport
import XCTest

/// gzip input as the tools write it: `bgzip`'s BGZF blocks (inflated on several threads),
/// members joined with `cat` (streamed), and what happens when either is damaged.
final class GzipInputTests: XCTestCase {
    private let plain = Fixtures.path("gzip/rows.csv")
    private let bgzf = Fixtures.path("gzip/rows.bgzf.csv.gz")
    private let members = Fixtures.path("gzip/rows.members.csv.gz")
    /// Where the fixtures' members start (make.sh's output, found by their BSIZE and header).
    private let secondBlock = 15_223
    private let secondMember = 14_110

    private func readAll(_ path: String) throws -> (rows: [[String]], lines: [Int]) {
        let reader = try TableReader(TableSource(path: path))
        var rows: [[String]] = [], lines: [Int] = []
        while try reader.next() {
            rows.append(reader.strings())
            lines.append(reader.line)
        }
        return (rows, lines)
    }

    /// Writes `bytes` with `change` applied to a file in `dir` and returns its path.
    private func damaged(_ source: String, in dir: TemporaryDirectory, _ change: (inout Data) -> Void) throws -> String {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        change(&bytes)
        let path = dir.file("damaged.csv.gz")
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Garbles 400 bytes of deflate data from `offset` on.
    private func scramble(_ bytes: inout Data, from offset: Int) {
        for index in offset..<offset + 400 { bytes[index] ^= 0x5a }
    }

    private func assertReadError(_ path: String, mentions parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try readAll(path), file: file, line: line) { error in
            guard let readError = error as? TableReadError, case .unreadable = readError.kind else {
                return XCTFail("expected an unreadable-file error, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(readError.exitStatus, .runtime, file: file, line: line)
            for part in [path] + parts {
                XCTAssertTrue(readError.description.contains(part), "\(readError.description) lacks \(part)", file: file, line: line)
            }
        }
    }

    func testBGZFAndConcatenatedMembersReadLikeThePlainFile() throws {
        let expected = try readAll(plain)
        XCTAssertEqual(expected.rows.count, 5_000)
        for path in [bgzf, members] {
            let actual = try readAll(path)
            XCTAssertTrue(actual.rows == expected.rows, path)
            XCTAssertEqual(actual.lines, expected.lines, path)
        }
    }

    func testAPlainGzipMemberAfterBGZFBlocksIsStreamedOn() throws {
        let dir = try TemporaryDirectory()
        let joined = try damaged(bgzf, in: dir) { $0 += try! Data(contentsOf: URL(fileURLWithPath: self.members)) }
        let once = try readAll(plain).rows
        let header = ["id", "region", "score", "ok"]
        XCTAssertTrue(try readAll(joined).rows == once + [header] + once)
    }

    func testManyBGZFBlocksWrittenByBgzipReadInOrder() throws {
        // About 150 blocks: the workers go round the ring of slots many times.
        let dir = try TemporaryDirectory()
        var text = "id,value,note\n"
        for index in 0..<400_000 { text += "\(index),\(index &* 7919 % 100_003).25,n\(index % 31)\n" }
        let path = try dir.write("big.csv", text)
        let compressed = try runProcess("bgzip", ["-k", "-@", "2", path])
        XCTAssertEqual(compressed.status, 0, compressed.stderr)
        let expected = try readAll(path)
        XCTAssertEqual(expected.rows.count, 400_000)
        let actual = try readAll(path + ".gz")
        XCTAssertTrue(actual.rows == expected.rows && actual.lines == expected.lines)
    }

    func testDamagedFilesNameTheFileAndTheMemberAtFault() throws {
        let dir = try TemporaryDirectory()
        let cases: [(source: String, change: (inout Data) -> Void, mentions: [String])] = [
            (bgzf, { self.scramble(&$0, from: self.secondBlock + 2_000) }, ["corrupt gzip member at byte \(secondBlock)"]),
            (bgzf, { $0[self.secondBlock - 8] ^= 0x01 }, ["corrupt gzip member at byte 0", "CRC-32"]),
            (bgzf, { $0 = $0.prefix(self.secondBlock + 100) }, ["corrupt gzip member at byte \(secondBlock)", "ends inside it"]),
            (members, { self.scramble(&$0, from: self.secondMember + 3_000) }, ["corrupt gzip member at byte \(secondMember)"]),
            (members, { $0 = $0.prefix(self.secondMember + 5) }, ["corrupt gzip member at byte \(secondMember)", "ends inside it"]),
        ]
        for (source, change, mentions) in cases {
            assertReadError(try damaged(source, in: dir, change), mentions: mentions)
        }
    }

    func testBytesAfterTheLastMemberThatAreNotGzipAreAnError() throws {
        let dir = try TemporaryDirectory()
        for source in [members, bgzf] {
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: source)[.size] as? Int)
            let path = try damaged(source, in: dir) { $0 += Data("not gzip\n".utf8) }
            assertReadError(path, mentions: ["after the last gzip member, from byte \(size)"])
        }
    }
}
