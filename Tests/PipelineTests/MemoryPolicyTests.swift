#if canImport(Glibc)
import CMalloc
import Core
import Foundation
import Glibc
import TestSupport
import XCTest

/// `sluice` keeps large blocks in mappings of their own, so freed columns go back to the
/// system rather than staying resident in whichever malloc arena held them.
final class MemoryPolicyTests: XCTestCase {
    /// Set in the test process that checks the allocator on its own.
    private static let alone = "SLUICE_MEMORY_POLICY_ALONE"

    /// The allocator's state is the whole process's, and blocks that earlier tests freed may
    /// be reused for a new one, so this test runs again in a process of its own (this test
    /// binary, given only this test) and checks there.
    func testALargeBlockIsMappedOnItsOwnAfterALargerOneWasFreed() throws {
        if ProcessInfo.processInfo.environment[Self.alone] != nil { return try checkMapping() }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let result = try runProcess(executable, ["PipelineTests.MemoryPolicyTests/testALargeBlockIsMappedOnItsOwnAfterALargerOneWasFreed"],
                                    environment: [Self.alone: "1"])
        // Indented, so that the child's result lines are not counted as this run's (ci/test).
        let output = (result.stdout + result.stderr).split(separator: "\n").map { "  | \($0)" }.joined(separator: "\n")
        XCTAssertEqual(result.status, 0, output)
        XCTAssertTrue(output.contains("Executed 1 test, with 0 failures"), output)
    }

    private func checkMapping() throws {
        XCTAssertTrue(MemoryPolicy.apply(environment: [:]))
        // glibc's default would now raise its threshold to 16 MiB and serve the next block
        // from the heap, where it would stay resident after it is freed.
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
