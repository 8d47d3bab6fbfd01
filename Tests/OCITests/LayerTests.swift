import Foundation
import OCI
import TestSupport
import XCTest

final class LayerTests: XCTestCase {
    func makeTree(_ directory: TemporaryDirectory) throws {
        try directory.write("model/weights.bin", String(repeating: "w", count: 10_000))
        try directory.write("model/sub/config.json", "{}")
        XCTAssertEqual(chmod(directory.file("model/sub/config.json"), 0o600), 0)
        XCTAssertEqual(symlink("weights.bin", directory.file("model/current")), 0)
    }

    func testEntriesAreSortedWithExplicitParentsAndInternalLinksKept() throws {
        let directory = try TemporaryDirectory()
        try makeTree(directory)
        let content = try LayerContent([FileMapping(source: "model", target: "/app/model")], relativeTo: directory.path, links: .refuse)
        XCTAssertEqual(content.items.map(\.entry.name), ["app", "app/model", "app/model/current", "app/model/sub", "app/model/sub/config.json", "app/model/weights.bin"])
        XCTAssertEqual(content.items[2].entry.kind, .symlink(target: "weights.bin"))
        XCTAssertEqual(content.items[4].entry.mode, 0o600)
        XCTAssertEqual(content.items[0].entry.mode, 0o755)
    }

    func testEscapingSymlinkIsRefusedOrCopied() throws {
        let directory = try TemporaryDirectory()
        try makeTree(directory)
        try directory.write("secret.txt", "outside")
        XCTAssertEqual(symlink("../secret.txt", directory.file("model/leak")), 0)
        XCTAssertThrowsError(try LayerContent([FileMapping(source: "model", target: "/m")], relativeTo: directory.path, links: .refuse)) { error in
            XCTAssertTrue("\(error)".contains("model/leak is a symbolic link to ../secret.txt"), "\(error)")
        }
        let copied = try LayerContent([FileMapping(source: "model", target: "/m")], relativeTo: directory.path, links: .copy)
        let leak = try XCTUnwrap(copied.items.first { $0.entry.name == "m/leak" })
        XCTAssertEqual(leak.entry.kind, .file(size: 7))
    }

    func testAbsoluteSymlinkAndOutsideHardlinkAreRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("pkg/a.txt", "a")
        XCTAssertEqual(symlink("/etc/passwd", directory.file("pkg/abs")), 0)
        XCTAssertThrowsError(try LayerContent([FileMapping(source: "pkg", target: "/p")], relativeTo: directory.path, links: .refuse))
        unlink(directory.file("pkg/abs"))

        try directory.write("outside.txt", "o")
        XCTAssertEqual(link(directory.file("outside.txt"), directory.file("pkg/hard")), 0)
        XCTAssertThrowsError(try LayerContent([FileMapping(source: "pkg", target: "/p")], relativeTo: directory.path, links: .refuse)) { error in
            XCTAssertTrue("\(error)".contains("hard-linked"), "\(error)")
        }
        // Both names inside: the later one becomes a hard link entry.
        unlink(directory.file("outside.txt"))
        XCTAssertEqual(link(directory.file("pkg/a.txt"), directory.file("pkg/b.txt")), 0)
        unlink(directory.file("pkg/hard"))
        let content = try LayerContent([FileMapping(source: "pkg", target: "/p")], relativeTo: directory.path, links: .refuse)
        XCTAssertEqual(content.items.first { $0.entry.name == "p/b.txt" }?.entry.kind, .hardlink(target: "p/a.txt"))
    }

    func testMappingTargetsWithDotDotAreRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f", "x")
        XCTAssertThrowsError(try LayerContent([FileMapping(source: "f", target: "/app/../../etc/f")], relativeTo: directory.path, links: .refuse))
    }

    func testLayerWriterIsReproducibleAndDigestsMatchTheBytes() throws {
        let directory = try TemporaryDirectory()
        try makeTree(directory)
        let content = try LayerContent([FileMapping(source: "model", target: "/app/model")], relativeTo: directory.path, links: .refuse)
        let first = try ImageLayout(path: directory.file("one"), create: true)
        let second = try ImageLayout(path: directory.file("two"), create: true)
        let a = try LayerWriter.write(content, into: first, mediaType: MediaType.ociLayerGzip, mtime: 0, level: 1)
        let b = try LayerWriter.write(content, into: second, mediaType: MediaType.ociLayerGzip, mtime: 0, level: 1)
        XCTAssertEqual(a, b)
        XCTAssertEqual(try FileDigestCheck.sha256(first.blobPath(a.descriptor.digest)), a.descriptor.digest.hex)
        let unzipped = try runProcess("/bin/sh", ["-c", "gzip -dc '\(first.blobPath(a.descriptor.digest))' | sha256sum"])
        XCTAssertTrue(unzipped.stdout.hasPrefix(a.diffID.hex), unzipped.stdout)
    }

    func testSafeExtractionRefusesEscapes() throws {
        let directory = try TemporaryDirectory()
        func layer(_ build: (TarWriter) throws -> Void) throws -> String {
            let path = directory.file("layer-\(UUID().uuidString).tar")
            let tar = TarWriter(sink: try FileSink(path: path), mtime: 0)
            try build(tar)
            try tar.finish()
            return path
        }
        let escapingLink = try layer { tar in
            try tar.writeHeader(TarEntry(name: "m", kind: .directory, mode: 0o755))
            try tar.writeHeader(TarEntry(name: "m/out", kind: .symlink(target: "../../etc"), mode: 0o777))
        }
        XCTAssertThrowsError(try Extract.layer(escapingLink, into: directory.file("x1"), stripping: "/m"))
        let throughLink = try layer { tar in
            try tar.writeHeader(TarEntry(name: "d", kind: .symlink(target: "."), mode: 0o777))
            try tar.writeHeader(TarEntry(name: "d/f", kind: .file(size: 1), mode: 0o644))
            try tar.writeContent(Data("x".utf8))
        }
        XCTAssertThrowsError(try Extract.layer(throughLink, into: directory.file("x2")))
        let fine = try layer { tar in
            try tar.writeHeader(TarEntry(name: "app", kind: .directory, mode: 0o755))
            try tar.writeHeader(TarEntry(name: "app/model", kind: .directory, mode: 0o755))
            try tar.writeHeader(TarEntry(name: "app/model/w.bin", kind: .file(size: 3), mode: 0o640))
            try tar.writeContent(Data("abc".utf8))
            try tar.writeHeader(TarEntry(name: "app/other", kind: .file(size: 1), mode: 0o644))
            try tar.writeContent(Data("o".utf8))
        }
        XCTAssertEqual(try Extract.layer(fine, into: directory.file("x3"), stripping: "/app/model"), 1)
        XCTAssertEqual(FileManager.default.contents(atPath: directory.file("x3/w.bin")), Data("abc".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("x3/other")))
    }
}

enum FileDigestCheck {
    static func sha256(_ path: String) throws -> String {
        let result = try runProcess("sha256sum", [path])
        return String(result.stdout.prefix(64))
    }
}
