import Foundation

/// Inflates a gzip stream (`GzipStream`) on a thread of its own, so decompression overlaps
/// the parsing that reads its output: the reader takes filled blocks from a small ring and
/// hands them back.
///
/// Memory is bounded by the ring (`blockCount` blocks of `blockSize` bytes). An inflate
/// error is kept and thrown to the reader when it has taken the blocks before it.
final class InflateThread: @unchecked Sendable {
    static let blockSize = 1 << 20
    static let blockCount = 4

    private let stream: GzipStream
    private let blocks: [UnsafeMutablePointer<UInt8>]
    /// Filled length of each block; guarded by `lock`.
    private var lengths: [Int]
    private var filled: [Int] = []
    private var free: [Int]
    private var failure: Error?
    private var finished = false
    private var stopping = false
    private let lock = NSCondition()
    private var thread: Thread?

    /// The block the reader is consuming and how far it has got.
    private var current: Int?
    private var currentOffset = 0
    /// Compressed bytes consumed so far, updated by the inflating thread.
    private var compressedOffset = 0

    init(stream: GzipStream) {
        self.stream = stream
        blocks = (0..<Self.blockCount).map { _ in .allocate(capacity: Self.blockSize) }
        lengths = Array(repeating: 0, count: Self.blockCount)
        free = Array(0..<Self.blockCount)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "sluice-inflate"
        self.thread = thread
        thread.start()
    }

    /// Stops the inflating thread and waits for it to let go of the file and the blocks.
    func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        while !finished { lock.wait() }
        lock.unlock()
        for block in blocks { block.deallocate() }
    }

    private func run() {
        while true {
            lock.lock()
            while free.isEmpty && !stopping { lock.wait() }
            if stopping { finished = true; lock.broadcast(); lock.unlock(); return }
            let block = free.removeFirst()
            lock.unlock()

            var n = 0
            var error: Error?
            do { n = try stream.inflate(into: blocks[block], capacity: Self.blockSize) } catch let thrown { error = thrown }
            let offset = stream.offset

            lock.lock()
            compressedOffset = offset
            if n > 0 {
                lengths[block] = n
                filled.append(block)
            } else {
                free.append(block)
            }
            failure = error
            if error != nil || n == 0 {
                // The end (or an error): wait to be stopped, so the reader owns the blocks.
                finished = true
                lock.broadcast()
                lock.unlock()
                return
            }
            lock.broadcast()
            lock.unlock()
        }
    }

    /// Copies up to `count` bytes into `buffer`; 0 at the end of the data.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        var copied = 0
        while copied < count {
            if current == nil {
                lock.lock()
                while filled.isEmpty && !finished { lock.wait() }
                if filled.isEmpty {
                    let failure = self.failure
                    lock.unlock()
                    if let failure, copied == 0 { throw failure }
                    return copied
                }
                current = filled.removeFirst()
                currentOffset = 0
                lock.unlock()
            }
            let block = current!
            let take = min(count - copied, lengths[block] - currentOffset)
            (buffer + copied).update(from: blocks[block] + currentOffset, count: take)
            copied += take
            currentOffset += take
            if currentOffset == lengths[block] {
                lock.lock()
                free.append(block)
                current = nil
                lock.broadcast()
                lock.unlock()
            }
        }
        return copied
    }

    var offset: Int {
        lock.lock()
        defer { lock.unlock() }
        return compressedOffset
    }
}
