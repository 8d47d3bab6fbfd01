import Foundation
import OCI
import TestSupport
import XCTest

/// Collects what flows into a sink.
final class MemorySink: ByteSink {
    var data = Data()
    var finished = false
    func write(_ bytes: UnsafeRawBufferPointer) throws { data.append(contentsOf: bytes) }
    func finish() throws { finished = true }
}

final class TarAndGzipTests: XCTestCase {
    func testTarHeadersAreReproducibleAndReadBack() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("f.txt", "hello tar")
        let longName = "deep/" + String(repeating: "n", count: 150) + "/file.bin"
        let sink = MemorySink()
        let tar = TarWriter(sink: sink, mtime: 1_700_000_000)
        var buffer = [UInt8](repeating: 0, count: 4096)
        try tar.writeHeader(TarEntry(name: "app", kind: .directory, mode: 0o750))
        try tar.writeHeader(TarEntry(name: "app/f.txt", kind: .file(size: 9), mode: 0o640))
        try tar.writeContent(path: file, size: 9, buffer: &buffer)
        try tar.writeHeader(TarEntry(name: longName, kind: .file(size: 3), mode: 0o644))
        try tar.writeContent(Data("abc".utf8))
        try tar.writeHeader(TarEntry(name: "app/link", kind: .symlink(target: "f.txt"), mode: 0o777))
        try tar.finish()
        XCTAssertTrue(sink.finished)
        XCTAssertEqual(sink.data.count % 512, 0)

        // The system tar agrees on names, modes, owners and times.
        let archive = directory.file("a.tar")
        try sink.data.write(to: URL(fileURLWithPath: archive))
        let listing = try runProcess("tar", ["--numeric-owner", "-tvf", archive])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let lines = listing.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("drwxr-x--- 0/0"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("-rw-r----- 0/0"), lines[1])
        XCTAssertTrue(lines[1].contains("2023-11-14"), lines[1])
        XCTAssertTrue(lines[2].hasSuffix(longName), lines[2])
        XCTAssertTrue(lines[3].hasSuffix("app/link -> f.txt"), lines[3])

        var entries: [TarEntry] = []
        var contents: [String: Data] = [:]
        let reader = TarReader(onEntry: { entries.append($0) }, onContent: { contents[entries.last!.name, default: Data()].append(contentsOf: $0) })
        // Feed in odd-sized pieces to exercise block reassembly.
        var offset = 0
        while offset < sink.data.count {
            let end = min(offset + 77, sink.data.count)
            try sink.data[offset..<end].withUnsafeBytes { try reader.write($0) }
            offset = end
        }
        try reader.finish()
        XCTAssertEqual(entries.map(\.name), ["app", "app/f.txt", longName, "app/link"])
        XCTAssertEqual(entries[1].mode, 0o640)
        XCTAssertEqual(contents["app/f.txt"], Data("hello tar".utf8))
        XCTAssertEqual(contents[longName], Data("abc".utf8))
        XCTAssertEqual(entries[3].kind, .symlink(target: "f.txt"))
    }

    func testUnsafeNamesAreNeverWritten() throws {
        let tar = TarWriter(sink: MemorySink(), mtime: 0)
        for name in ["/etc/passwd", "../up", "a/../../b", "", "a//b", "./a"] {
            XCTAssertThrowsError(try tar.writeHeader(TarEntry(name: name, kind: .file(size: 0), mode: 0o644)), name)
        }
        XCTAssertThrowsError(try tar.writeHeader(TarEntry(name: "a", kind: .hardlink(target: "../x"), mode: 0o644)))
    }

    func testGzipHasNoTimeOrNameAndRoundTrips() throws {
        let input = Data((0..<2_000_000).map { UInt8(($0 * 31) % 251) })
        let compressed = MemorySink()
        let gzip = try GzipSink(level: 6, next: compressed)
        try gzip.write(input)
        try gzip.finish()
        let header = [UInt8](compressed.data.prefix(10))
        XCTAssertEqual(header, [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3], "deflate, no name or extra flags, no modification time, Unix")
        XCTAssertLessThan(compressed.data.count, input.count / 10)

        let plain = MemorySink()
        let gunzip = try GunzipSink(next: plain)
        try gunzip.write(compressed.data)
        try gunzip.finish()
        XCTAssertEqual(plain.data, input)

        // The same input always compresses to the same bytes.
        let again = MemorySink()
        let second = try GzipSink(level: 6, next: again)
        try second.write(input)
        try second.finish()
        XCTAssertEqual(again.data, compressed.data)

        // gzip(1) reads it.
        let directory = try TemporaryDirectory()
        let path = directory.file("x.gz")
        try compressed.data.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try runProcess("gzip", ["-t", path]).status, 0)
    }

    func testParallelBlocksGiveTheSameBytesWhateverTheThreadCount() throws {
        // Compressible and incompressible stretches, over many small blocks.
        var input = Data((0..<300_000).map { UInt8(($0 / 7) % 13) })
        var state: UInt32 = 1
        input += Data((0..<300_000).map { _ in state = state &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: state >> 16) })
        var outputs: [Data] = []
        for threads in [1, 4] {
            let compressed = MemorySink()
            let gzip = try GzipSink(level: 1, threads: threads, blockSize: 64 << 10, next: compressed)
            var offset = 0
            while offset < input.count {
                let end = min(offset + 10_007, input.count)
                try gzip.write(input[offset..<end])
                offset = end
            }
            try gzip.finish()
            outputs.append(compressed.data)
        }
        XCTAssertEqual(outputs[0], outputs[1])
        let plain = MemorySink()
        let gunzip = try GunzipSink(next: plain)
        try gunzip.write(outputs[0])
        try gunzip.finish()
        XCTAssertEqual(plain.data, input)
        let directory = try TemporaryDirectory()
        let path = directory.file("blocks.gz")
        try outputs[0].write(to: URL(fileURLWithPath: path))
        try input.write(to: URL(fileURLWithPath: directory.file("plain")))
        XCTAssertEqual(try runProcess("/bin/sh", ["-c", "gzip -dc '\(path)' | cmp - '\(directory.file("plain"))' && echo same"]).stdout, "same\n")
        // Random blocks are stored rather than compressed; patterned ones are compressed.
        XCTAssertLessThan(outputs[0].count, 300_000 + 300_000 / 20)
        XCTAssertGreaterThan(outputs[0].count, 300_000)
        // Level 0 stores: still valid gzip, barely larger than the input.
        let stored = MemorySink()
        let store = try GzipSink(level: 0, next: stored)
        try store.write(input)
        try store.finish()
        XCTAssertLessThan(stored.data.count, input.count + 1000)
        let back = MemorySink()
        let check = try GunzipSink(next: back)
        try check.write(stored.data)
        try check.finish()
        XCTAssertEqual(back.data, input)
    }

    func testTruncatedGzipIsAnError() throws {
        let compressed = MemorySink()
        let gzip = try GzipSink(level: 1, next: compressed)
        try gzip.write(Data(repeating: 7, count: 100_000))
        try gzip.finish()
        let gunzip = try GunzipSink(next: MemorySink())
        try gunzip.write(compressed.data.prefix(compressed.data.count / 2))
        XCTAssertThrowsError(try gunzip.finish())
    }
}
