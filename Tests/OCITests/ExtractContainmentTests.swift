import Core
import Foundation
@testable import OCI
import TestSupport
import XCTest

/// Crafted layers (as an attacker would write them, not as `TarWriter` would) must never
/// change anything outside the extraction directory, and must be refused with exit 3.
final class ExtractContainmentTests: XCTestCase {
    /// One raw tar entry: any name, type flag, mode and link text.
    struct RawEntry {
        var name: String
        var type: Character
        var mode: UInt32 = 0o644
        var link = ""
        var content = Data()

        static func file(_ name: String, _ text: String, mode: UInt32 = 0o644) -> RawEntry {
            RawEntry(name: name, type: "0", mode: mode, content: Data(text.utf8))
        }
        static func directory(_ name: String, mode: UInt32 = 0o755) -> RawEntry { RawEntry(name: name, type: "5", mode: mode) }
        static func symlink(_ name: String, _ target: String) -> RawEntry { RawEntry(name: name, type: "2", mode: 0o777, link: target) }
        static func hardlink(_ name: String, _ target: String) -> RawEntry { RawEntry(name: name, type: "1", link: target) }
    }

    static func tar(_ entries: [RawEntry], at path: String) throws {
        var data = Data()
        for entry in entries {
            data += TarWriter.header(name: entry.name, typeflag: entry.type.asciiValue!, size: Int64(entry.content.count), mode: entry.mode, link: entry.link, mtime: 0)
            data += entry.content + Data(count: (512 - entry.content.count % 512) % 512)
        }
        data += Data(count: 1024)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: data))
    }

    /// Everything under `directory` except `excluded`: type, mode, owner, content or link text.
    static func snapshot(_ directory: String, excluding excluded: String) -> [String: String] {
        var result: [String: String] = [:]
        func visit(_ path: String) {
            guard path != excluded else { return }
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            var facts = "mode=\(String(info.st_mode, radix: 8)) uid=\(info.st_uid) gid=\(info.st_gid)"
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { visit(path + "/" + child) }
            case S_IFLNK:
                facts += " link=\((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")"
            default:
                facts += " content=\(FileManager.default.contents(atPath: path)?.base64EncodedString() ?? "?")"
            }
            result[path] = facts
        }
        visit(directory)
        return result
    }

    /// Each crafted layer, extracted (whole, and under the `m` prefix as `pull-model` does),
    /// leaves every file outside the target as it was and is refused with exit 3.
    func testCraftedLayersChangeNothingOutsideTheTarget() throws {
        let layers: [String: [RawEntry]] = [
            // The issue's layer: a link chain that passes the textual check, then a mode applied through it.
            "mode through a link chain": [.symlink("m/a", "."), .symlink("m/p", "a/a/a/../../victim.txt"), .directory("m/p", mode: 0o4777)],
            "mode through an absolute link": [.symlink("m/abs", "OUTER/victim.txt"), .directory("m/abs", mode: 0o4777)],
            "file through a chained parent link": [.symlink("m/a", "."), .symlink("m/b", "a/../.."), .file("m/b/victim.txt", "owned")],
            "file through a parent link": [.symlink("m/d", "../.."), .file("m/d/victim.txt", "owned")],
            "directory through a link": [.symlink("m/d", "../../outside-dir"), .directory("m/d/new"), .file("m/d/f", "x")],
            "hard link through a link": [.symlink("m/a", "."), .symlink("m/b", "a/../.."), .hardlink("m/h", "m/b/victim.txt"), .file("m/h", "owned")],
            "hard link by dot-dot": [.hardlink("m/h", "m/../../victim.txt"), .file("m/h", "owned")],
            "hard link to an absolute path": [.hardlink("m/h", "OUTER/victim.txt"), .file("m/h", "owned")],
            "absolute name": [.file("OUTER/victim.txt", "owned")],
            "dot-dot name": [.file("m/../../victim.txt", "owned")],
            "link made to escape later": [.symlink("m/p", "a/b/../../../victim.txt"), .symlink("m/a", ".")],
            "device": [RawEntry(name: "m/null", type: "3", mode: 0o666)],
            "block device": [RawEntry(name: "m/disk", type: "4", mode: 0o666)],
            "fifo": [RawEntry(name: "m/pipe", type: "6", mode: 0o666)],
        ]
        for (label, entries) in layers.sorted(by: { $0.key < $1.key }) {
            for prefix in [nil, "/m"] {
                let outer = try TemporaryDirectory()
                try outer.write("victim.txt", "secret")
                XCTAssertEqual(chmod(outer.file("victim.txt"), 0o644), 0)
                try outer.write("outside-dir/keep", "keep")
                // Owned by someone else, so a file replaced or re-owned by the extraction shows
                // in the snapshot's owner (the tests run as root, the extractor's own user).
                for path in ["victim.txt", "outside-dir", "outside-dir/keep"] { XCTAssertEqual(lchown(outer.file(path), 4321, 4321), 0) }
                let target = outer.file("target")
                let blob = outer.file("layer.tar")
                let fixed = entries.map { entry -> RawEntry in
                    var entry = entry
                    entry.name = entry.name.replacingOccurrences(of: "OUTER", with: outer.path)
                    entry.link = entry.link.replacingOccurrences(of: "OUTER", with: outer.path)
                    return entry
                }
                // The layer's top directory first, as real layers have it (skipped under the prefix).
                try Self.tar([.directory("m")] + fixed, at: blob)
                let before = Self.snapshot(outer.path, excluding: target)
                let name = "\(label) (prefix \(prefix ?? "none"))"
                do {
                    try Extract.layer(blob, into: target, stripping: prefix)
                    // Only an absolute name outside the prefix is simply not extracted.
                    if label != "absolute name" || prefix == nil { XCTFail("\(name): extracted without an error") }
                } catch let error as OCIError {
                    XCTAssertEqual(error.exitStatus, .runtime, "\(name): \(error)")
                    XCTAssertTrue(error.description.contains("refus"), "\(name): \(error)")
                }
                XCTAssertEqual(Self.snapshot(outer.path, excluding: target), before, name)
            }
        }
    }

    func testModesKeepOnlyPermissionBits() throws {
        let directory = try TemporaryDirectory()
        try Self.tar([.directory("d", mode: 0o1777), .file("d/tool", "#!/bin/sh\n", mode: 0o6755)], at: directory.file("layer.tar"))
        try Extract.layer(directory.file("layer.tar"), into: directory.file("out"))
        var info = stat()
        XCTAssertEqual(stat(directory.file("out/d/tool"), &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o755)
        XCTAssertEqual(stat(directory.file("out/d"), &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o777)
    }

    func testLinksAndHardLinksInsideStillExtract() throws {
        let directory = try TemporaryDirectory()
        try Self.tar([.directory("m/sub"), .file("m/sub/w.bin", "abc"), .symlink("m/current", "sub/w.bin"), .symlink("m/sub/up", "../current"),
                      .hardlink("m/copy", "m/sub/w.bin")], at: directory.file("layer.tar"))
        XCTAssertEqual(try Extract.layer(directory.file("layer.tar"), into: directory.file("out"), stripping: "/m"), 1)
        XCTAssertEqual(FileManager.default.contents(atPath: directory.file("out/sub/up")), Data("abc".utf8))
        XCTAssertEqual(FileManager.default.contents(atPath: directory.file("out/copy")), Data("abc".utf8))
    }

    /// The content of an entry that is skipped (a global PAX header, a device's payload) streams
    /// past: memory stays flat however large it is declared.
    func testSkippedContentIsNeverBuffered() throws {
        func residentBytes() -> Int {
            let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
            return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
        let size = 256 << 20
        let chunk = Data(repeating: 0x61, count: 1 << 20)
        for type in ["g", "3"] as [Character] {
            let reader = TarReader(onEntry: { _ in }, onContent: { _ in })
            try reader.write(TarWriter.header(name: "skipped", typeflag: type.asciiValue!, size: Int64(size), mode: 0o644, link: "", mtime: 0))
            let before = residentBytes()
            for _ in 0..<(size / chunk.count - 1) { try reader.write(chunk) }
            let growth = residentBytes() - before // measured while the entry is still open
            try reader.write(chunk)
            XCTAssertLessThan(growth, 64 << 20, "type \(type): \(growth >> 20) MiB held for skipped content")
        }
    }

    func testOversizedExtensionHeaderIsRefused() throws {
        let directory = try TemporaryDirectory()
        let record = TarWriter.paxRecord("comment", String(repeating: "a", count: Int(TarReader.extensionHeaderLimit)))
        let longName = Data(repeating: UInt8(ascii: "a"), count: Int(TarReader.extensionHeaderLimit) + 1)
        // A PAX extended header and a GNU long name, each just over the cap.
        for header in [RawEntry(name: "PaxHeaders/f", type: "x", content: Data(record.utf8)), RawEntry(name: "././@LongLink", type: "L", content: longName)] {
            try Self.tar([header, .file("f", "x")], at: directory.file("layer.tar"))
            XCTAssertThrowsError(try Extract.layer(directory.file("layer.tar"), into: directory.file("out")), "type \(header.type)") { error in
                XCTAssertTrue("\(error)".contains("over the limit"), "type \(header.type): \(error)")
            }
        }
    }
}
