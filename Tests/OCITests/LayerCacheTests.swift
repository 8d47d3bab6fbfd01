import Foundation
import OCI
import TestSupport
import XCTest

final class LayerCacheTests: XCTestCase {
    /// Writes `directory`'s `bin` tree as a layer through `cache` into the layout `name`.
    private func write(_ directory: TemporaryDirectory, _ cache: LayerCache, into name: String, mtime: Int64 = 1, level: Int32 = 1) throws -> (layer: Layer, outcome: LayerCache.Outcome) {
        let content = try LayerContent([FileMapping(source: "bin", target: "/usr/local/bin")], relativeTo: directory.path, links: .refuse)
        return try cache.write(content, into: try ImageLayout(path: directory.file(name), create: true), mediaType: MediaType.ociLayerGzip, mtime: mtime, level: level)
    }

    private func blob(_ directory: TemporaryDirectory, _ name: String, _ layer: Layer) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory.file("\(name)/blobs/sha256/\(layer.descriptor.digest.hex)")))
    }

    /// The second write of the same files takes the blob from the cache, and it is the very
    /// blob an uncached write gives (same digest, size, diff ID, bytes).
    func testSameFilesAreCompressedOnceAndGiveTheUncachedLayer() throws {
        let directory = try TemporaryDirectory()
        try directory.write("bin/tool", String(repeating: "sluice runtime ", count: 50_000))
        let cache = LayerCache(directory: directory.file("cache/layers"))
        let stored = try write(directory, cache, into: "one", mtime: 1_700_000_000)
        XCTAssertEqual(stored.outcome, .miss(stored: true))
        let reused = try write(directory, cache, into: "two", mtime: 1_700_000_000)
        XCTAssertEqual(reused.outcome, .hit)

        let content = try LayerContent([FileMapping(source: "bin", target: "/usr/local/bin")], relativeTo: directory.path, links: .refuse)
        let uncached = try LayerWriter.write(content, into: try ImageLayout(path: directory.file("plain"), create: true), mediaType: MediaType.ociLayerGzip,
                                             mtime: 1_700_000_000, level: 1)
        XCTAssertEqual(reused.layer, uncached)
        XCTAssertEqual(stored.layer, uncached)
        XCTAssertEqual(try blob(directory, "two", reused.layer), try blob(directory, "plain", uncached))
    }

    /// Another file content, another time or another level is another layer.
    func testChangedFilesTimeOrLevelAreCompressedAgain() throws {
        let directory = try TemporaryDirectory()
        try directory.write("bin/tool", String(repeating: "a", count: 10_000))
        let cache = LayerCache(directory: directory.file("cache"))
        let original = try write(directory, cache, into: "image")
        XCTAssertEqual(try write(directory, cache, into: "image", mtime: 2).outcome, .miss(stored: true))
        XCTAssertEqual(try write(directory, cache, into: "image", level: 6).outcome, .miss(stored: true))
        try directory.write("bin/tool", String(repeating: "b", count: 10_000))
        let changed = try write(directory, cache, into: "image")
        XCTAssertEqual(changed.outcome, .miss(stored: true))
        XCTAssertNotEqual(changed.layer.diffID, original.layer.diffID)
    }

    /// A cached blob that no longer hashes to its digest is not used: the layer is
    /// compressed again, correct, and the damaged blob replaced.
    func testDamagedCachedBlobIsNotUsed() throws {
        let directory = try TemporaryDirectory()
        try directory.write("bin/tool", String(repeating: "sluice ", count: 20_000))
        let cache = LayerCache(directory: directory.file("cache"))
        let stored = try write(directory, cache, into: "one", mtime: 5)
        // Replace the cache's file (not the layout's, which shares its inode) with other
        // bytes of the same size.
        let cached = directory.file("cache/blobs/sha256/\(stored.layer.descriptor.digest.hex)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cached))
        bytes[bytes.count / 2] ^= 0xFF
        unlink(cached)
        try bytes.write(to: URL(fileURLWithPath: cached))

        let again = try write(directory, cache, into: "two", mtime: 5)
        XCTAssertEqual(again.outcome, .miss(stored: true))
        XCTAssertEqual(again.layer, stored.layer)
        XCTAssertEqual(try blob(directory, "two", again.layer), try blob(directory, "one", stored.layer))
        XCTAssertEqual(try write(directory, cache, into: "three", mtime: 5).outcome, .hit)
    }
}
