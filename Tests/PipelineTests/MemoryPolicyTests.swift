#if canImport(Glibc)
import CMalloc
import Core
import Glibc
import XCTest

/// `sluice` keeps large blocks in mappings of their own, so freed columns go back to the
/// system rather than staying resident in whichever malloc arena held them.
final class MemoryPolicyTests: XCTestCase {
    func testALargeBlockIsMappedOnItsOwnAfterALargerOneWasFreed() throws {
        XCTAssertTrue(MemoryPolicy.apply(environment: [:]))
        // glibc's default would now raise its threshold to 16 MiB and serve the next
        // block from the heap, where it stays resident after it is freed.
        free(malloc(16 << 20))
        let before = mallinfo2().hblks
        let block = try XCTUnwrap(malloc(MemoryPolicy.ownMappingBytes))
        XCTAssertEqual(mallinfo2().hblks, before + 1, "the block has a mapping of its own")
        free(block)
        XCTAssertEqual(mallinfo2().hblks, before, "freeing it unmaps it")
    }

    func testAThresholdTheUserSetStands() {
        XCTAssertFalse(MemoryPolicy.apply(environment: ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"]))
    }
}
#endif
