#if canImport(Glibc)
import CMalloc
#endif
import Foundation

/// How the `sluice` process asks glibc's allocator to hand back large blocks.
///
/// By default glibc raises its mmap threshold to the size of each large block freed (up to
/// 32 MiB) and its trim threshold to twice that, so after the first million-row column is
/// freed, later columns come from the heap arenas and up to 64 MiB of freed memory per arena
/// stays resident. Which arena a block lands in depends on which thread allocated it, so a
/// stage's peak varied by up to 60 MB from run to run (the million-row loop's evaluate
/// stage: 241-303 MB). A fixed threshold gives a block of 4 MiB or more (a column of half a
/// million numbers) a mapping of its own, returned to the system when freed (unless a free
/// block in its arena can take it), and keeps both thresholds where they are: the peak is
/// the data's, the same run after run, for about 0.5 s more system time over that loop (page
/// faults on fresh pages; docs/performance.md).
public enum MemoryPolicy {
    /// Blocks of this size or more are mapped on their own (unless a free block can take them).
    public static let ownMappingBytes = 4 << 20

    /// Sets the fixed threshold, unless the user set one through `GLIBC_TUNABLES`
    /// (`glibc.malloc.mmap_threshold`), which then stands. True when it set the threshold.
    @discardableResult
    public static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        #if canImport(Glibc)
        if environment["GLIBC_TUNABLES"]?.contains("glibc.malloc.mmap_threshold") == true { return false }
        return mallopt(M_MMAP_THRESHOLD, Int32(ownMappingBytes)) == 1
        #else
        return false
        #endif
    }
}
