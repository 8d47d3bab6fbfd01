import Core
import Foundation
@testable import OCI
import TestSupport
import XCTest

/// A bottom layer unpacked ahead (`UnpackedLayer`) and the bundle made on it: the same files
/// as `umoci` unpacks from the image, nothing used that the image does not hold, and the
/// containment of `Extract`.
final class UnpackedLayerTests: XCTestCase {
    typealias RawEntry = ExtractContainmentTests.RawEntry

    private func digest(_ path: String) throws -> Digest {
        try Digest("sha256:" + FileDigest.sha256(path: path))
    }

    /// Crafted layers are refused as `Extract` refuses them, nothing outside changes and the
    /// directory is removed.
    func testCraftedLayersAreRefusedAndLeaveNothing() throws {
        let layers: [String: [RawEntry]] = [
            "dot-dot name": [.file("../victim.txt", "owned")],
            "file through a parent link": [.symlink("d", ".."), .file("d/victim.txt", "owned")],
            "link leading out": [.symlink("etc", "../../")],
            "absolute link": [.symlink("x", "OUTER/victim.txt")],
            "device": [RawEntry(name: "null", type: "3", mode: 0o666)],
        ]
        for (label, entries) in layers.sorted(by: { $0.key < $1.key }) {
            let outer = try TemporaryDirectory()
            try outer.write("victim.txt", "secret")
            let blob = outer.file("layer.tar"), root = outer.file("root")
            try ExtractContainmentTests.tar(entries.map { entry in
                var entry = entry
                entry.link = entry.link.replacingOccurrences(of: "OUTER", with: outer.path)
                return entry
            }, at: blob)
            let before = ExtractContainmentTests.snapshot(outer.path, excluding: root)
            XCTAssertThrowsError(try UnpackedLayer.unpack(blob: blob, digest: try digest(blob), diffID: try digest(blob), into: root), label) { error in
                XCTAssertEqual((error as? OCIError)?.exitStatus, .runtime, "\(label): \(error)")
                XCTAssertTrue("\(error)".contains("refus"), "\(label): \(error)")
            }
            XCTAssertEqual(ExtractContainmentTests.snapshot(outer.path, excluding: root), before, label)
            XCTAssertFalse(FileManager.default.fileExists(atPath: root), "\(label): the half-made directory is removed")
        }
    }

    /// What this unpack would not reproduce (setuid bits, extended attributes, the root
    /// directory's own entry) is refused, not dropped as `Extract` drops it: the bundle then
    /// comes from umoci alone.
    func testSetuidBitsAndExtendedAttributesAreRefusedRatherThanDropped() throws {
        let directory = try TemporaryDirectory()
        let xattr = TarWriter.paxRecord("SCHILY.xattr.user.note", "x")
        for (label, entries) in [("setuid", [RawEntry.file("tool", "#!/bin/sh\n", mode: 0o4755)]),
                                 ("sticky", [RawEntry.directory("tmp", mode: 0o1777)]),
                                 ("xattr", [RawEntry(name: "PaxHeaders/f", type: "x", content: Data(xattr.utf8)), .file("f", "x")]),
                                 ("root entry", [.directory("./"), .file("f", "x")])] {
            let blob = directory.file("\(label).tar")
            try ExtractContainmentTests.tar(entries, at: blob)
            XCTAssertThrowsError(try UnpackedLayer.unpack(blob: blob, digest: try digest(blob), diffID: try digest(blob), into: directory.file(label)), label) { error in
                XCTAssertTrue("\(error)".contains("does not reproduce"), "\(label): \(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file(label)), label)
        }
    }

    /// The blob's digest and the tar's diff ID are checked on the bytes unpacked; owners and
    /// times are the headers'.
    func testDigestsAreCheckedAndOwnersAndTimesApplied() throws {
        let directory = try TemporaryDirectory()
        let blob = directory.file("layer.tar.gz")
        var tar = Data()
        tar += Self.header(TarWriter.header(name: "etc/", typeflag: UInt8(ascii: "5"), size: 0, mode: 0o750, link: "", mtime: 1_600_000_000), uid: 4321, gid: 4322)
        tar += Self.header(TarWriter.header(name: "etc/owned", typeflag: UInt8(ascii: "0"), size: 2, mode: 0o640, link: "", mtime: 1_500_000_000), uid: 4321, gid: 4322)
        tar += Data("hi".utf8) + Data(count: 510) + Data(count: 1024)
        let sink = try FileSink(path: blob)
        let gzip = try GzipSink(level: 1, next: sink)
        try gzip.write(tar)
        try gzip.finish()
        let digest = try digest(blob), diffID = Digest.of(tar)
        let other = Digest.of(Data("other".utf8))
        for (label, blobDigest, tarDigest, expected) in [("blob digest", other, diffID, "hashes to"), ("diff ID", digest, other, "unpacks to diff ID")] {
            XCTAssertThrowsError(try UnpackedLayer.unpack(blob: blob, digest: blobDigest, diffID: tarDigest, into: directory.file("wrong")), label) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(label): \(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("wrong")), label)
        }
        let layer = try UnpackedLayer.unpack(blob: blob, digest: digest, diffID: diffID, into: directory.file("root"))
        XCTAssertEqual(FileManager.default.contents(atPath: layer.root + "/etc/owned"), Data("hi".utf8))
        var info = stat()
        XCTAssertEqual(lstat(layer.root + "/etc/owned", &info), 0)
        XCTAssertEqual([info.st_uid, info.st_gid, info.st_mode & 0o7777], [4321, 4322, 0o640])
        XCTAssertEqual(info.st_mtim.tv_sec, 1_500_000_000)
        XCTAssertEqual(lstat(layer.root + "/etc", &info), 0)
        XCTAssertEqual([info.st_uid, info.st_gid, info.st_mode & 0o7777], [4321, 4322, 0o750])
        XCTAssertEqual(info.st_mtim.tv_sec, 1_600_000_000, "a directory keeps its time after its entries are written")
        layer.discard()
        XCTAssertFalse(FileManager.default.fileExists(atPath: layer.root))
    }

    /// A bundle on the bottom layer unpacked ahead holds exactly what umoci unpacks from the
    /// whole image, file for file with owners, modes, times, links and content, and the same
    /// runtime config, with the layers above (a whiteout among them) applied by umoci.
    func testABundleOnTheLayerUnpackedAheadHoldsWhatUmociUnpacks() throws {
        try ContainerTools.require()
        let directory = try TemporaryDirectory()
        let (whole, onTop, ahead) = try bundles(layeredImage(in: directory), unpackingAhead: 0, in: directory)
        XCTAssertEqual(Self.inode(of: onTop.path + "/rootfs"), ahead.inode, "the bundle's root filesystem is the directory unpacked ahead")
        let expected = Self.tree(whole.path + "/rootfs")
        XCTAssertEqual(Self.tree(onTop.path + "/rootfs"), expected)
        XCTAssertNil(expected["opt/data/gone"], "the upper layer's whiteout applies")
        XCTAssertNotNil(expected["opt/data/dated"])
        XCTAssertEqual(expected["opt/etc/owned"]?.hasPrefix("file 640 4321:4322"), true, expected["opt/etc/owned"] ?? "")
        XCTAssertNotNil(expected["opt/etc/added"])
        XCTAssertEqual(FileManager.default.contents(atPath: onTop.configPath), FileManager.default.contents(atPath: whole.configPath))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: onTop.path).sorted(), ["config.json", "rootfs"])
    }

    /// An image of that one layer: the bundle is the layer unpacked ahead, with umoci's
    /// runtime config, and nothing for umoci to unpack.
    func testAnImageOfTheLayerAloneIsTheLayerUnpackedAhead() throws {
        try ContainerTools.require()
        let directory = try TemporaryDirectory()
        let layout = try ContainerTools.makeBusyboxLayout(at: directory.file("layout"), scratch: directory.path)
        let (whole, alone, ahead) = try bundles(layout, unpackingAhead: 0, in: directory)
        XCTAssertEqual(Self.inode(of: alone.path + "/rootfs"), ahead.inode)
        XCTAssertEqual(Self.tree(alone.path + "/rootfs"), Self.tree(whole.path + "/rootfs"))
        XCTAssertNotNil(Self.tree(alone.path + "/rootfs")["bin/busybox"])
        XCTAssertEqual(FileManager.default.contents(atPath: alone.configPath), FileManager.default.contents(atPath: whole.configPath))
    }

    /// A layer unpacked ahead that is not the image's bottom layer (here its second) is not
    /// used: umoci unpacks the whole image, and the directory is removed.
    func testALayerThatIsNotTheImagesBottomLayerIsNotUsed() throws {
        try ContainerTools.require()
        let directory = try TemporaryDirectory()
        let (whole, refused, ahead) = try bundles(layeredImage(in: directory), unpackingAhead: 1, in: directory)
        let inode = try XCTUnwrap(Self.inode(of: refused.path + "/rootfs"))
        XCTAssertNotEqual(inode, ahead.inode)
        XCTAssertEqual(Self.tree(refused.path + "/rootfs"), Self.tree(whole.path + "/rootfs"))
        XCTAssertNotNil(Self.tree(refused.path + "/rootfs")["opt/bin/busybox"])
    }

    /// Unpacks layer `index` of the image ahead, then two bundles of the image: by umoci
    /// alone, and given that layer (which is gone afterwards either way: not used twice).
    /// Returns them and the inode the layer's directory had.
    private func bundles(_ layout: String, unpackingAhead index: Int, in directory: TemporaryDirectory) throws
        -> (whole: RuntimeBundle, given: RuntimeBundle, ahead: (root: String, inode: ino_t)) {
        let image = try Image.read(from: try ImageLayout(path: layout), tag: "latest")
        let layer = try UnpackedLayer.unpack(blob: image.blobPath(image.manifest.layers[index].digest), digest: image.manifest.layers[index].digest,
                                             diffID: image.config.rootfs.diffIDs[index], into: directory.file("ahead"))
        let inode = try XCTUnwrap(Self.inode(of: layer.root))
        let umoci = try ContainerRuntime.locate(stateRoot: directory.file("state")).get().umoci
        let whole = try RuntimeBundle.unpack(layout: layout, tag: "latest", into: directory.file("whole"), umoci: umoci)
        let given = try RuntimeBundle.unpack(layout: layout, tag: "latest", into: directory.file("given"), umoci: umoci, bottom: layer)
        XCTAssertFalse(FileManager.default.fileExists(atPath: layer.root), "taken over or removed")
        return (whole, given, (layer.root, inode))
    }

    /// The inode of the file or directory at `path` (following a link), nil when there is none.
    private static func inode(of path: String) -> ino_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_ino : nil
    }

    /// Three layers made by umoci: busybox with a file of another owner, a hard link, a
    /// dated file and a private directory, all under /opt (a layer of `/` itself would have
    /// an entry for the root, which is left to umoci); a whiteout; a file added beside an
    /// existing one.
    private func layeredImage(in directory: TemporaryDirectory) throws -> String {
        let layout = directory.file("layout")
        let root = directory.file("opt")
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        try FileManager.default.createSymbolicLink(atPath: root + "/bin/sh", withDestinationPath: "busybox")
        try directory.write("opt/etc/owned", "owned\n")
        XCTAssertEqual(chmod(root + "/etc/owned", 0o640), 0)
        XCTAssertEqual(lchown(root + "/etc/owned", 4321, 4322), 0)
        try directory.write("opt/data/gone", "gone\n")
        try directory.write("opt/data/dated", "dated\n")
        XCTAssertEqual(link(root + "/data/dated", root + "/data/same"), 0)
        var times = [timespec(tv_sec: 1_500_000_000, tv_nsec: 0), timespec(tv_sec: 1_500_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, root + "/data/dated", &times, 0), 0)
        XCTAssertEqual(chmod(root + "/data", 0o750), 0)
        try directory.write("upper/etc/added", "added\n")
        for arguments in [["init", "--layout", layout], ["new", "--image", "\(layout):latest"],
                          ["insert", "--image", "\(layout):latest", root, "/opt"],
                          ["insert", "--image", "\(layout):latest", "--whiteout", "/opt/data/gone"],
                          ["insert", "--image", "\(layout):latest", directory.file("upper/etc"), "/opt/etc"]] {
            let result = try runProcess("umoci", arguments)
            XCTAssertEqual(result.status, 0, "umoci \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return layout
    }

    /// Every entry beneath `root` (itself as ""): type, mode, owner, links, time, content.
    static func tree(_ root: String) -> [String: String] {
        var result: [String: String] = [:]
        func visit(_ relative: String) {
            let path = relative.isEmpty ? root : root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { return }
            let owner = "\(String(info.st_mode & 0o7777, radix: 8)) \(info.st_uid):\(info.st_gid) links \(info.st_nlink) mtime \(info.st_mtim.tv_sec)"
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                result[relative] = "directory \(owner)"
                for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] { visit(relative.isEmpty ? child : relative + "/" + child) }
            case S_IFLNK:
                result[relative] = "link \(owner) -> \((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")"
            case S_IFREG:
                result[relative] = "file \(owner) sha256 \((try? FileDigest.sha256(path: path)) ?? "?")"
            default:
                result[relative] = "other \(String(info.st_mode, radix: 8))"
            }
        }
        visit("")
        return result
    }

    /// A ustar header with its owner changed (and its checksum recomputed).
    static func header(_ header: Data, uid: Int, gid: Int) -> Data {
        var bytes = [UInt8](header)
        for (offset, value) in [(108, uid), (116, gid)] {
            let text = Array(String(format: "%07o", value).utf8) + [0]
            bytes.replaceSubrange(offset..<(offset + 8), with: text)
        }
        bytes.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
        let sum = bytes.reduce(0) { $0 + Int($1) }
        bytes.replaceSubrange(148..<156, with: Array(String(format: "%06o", sum).utf8) + [0, 0x20])
        return Data(bytes)
    }
}
