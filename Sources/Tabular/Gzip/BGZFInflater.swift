import CISAL
import Foundation

/// Inflates a BGZF file (`bgzip`'s multi-member gzip) on several threads at once: each
/// worker cuts the next block from the file, inflates it on its own, and the reader takes
/// the blocks back in file order.
///
/// Memory is bounded by a ring of `slotCount` slots of one compressed and one inflated block
/// (64 KiB each): a worker waits for the reader to free the slot of the block it would cut
/// next. A corrupt or truncated block becomes an error naming the file and the block's byte
/// offset, thrown when the reader reaches it, after the blocks before it. A gzip member
/// without a BSIZE (a plain gzip file appended to a BGZF one) stops the workers there and
/// sets `handedOff`: the rest is for a `GzipStream` on the same input.
final class BGZFInflater: @unchecked Sendable {
    static let slotCount = 16

    private enum Slot {
        case free
        case claimed
        case ready(length: Int, end: Int)
        case failed(Error)
        case end
        case handOff
    }

    private let input: FileInput
    private let compressed: [UnsafeMutablePointer<UInt8>]
    private let inflated: [UnsafeMutablePointer<UInt8>]
    /// Guarded by `lock`.
    private var slots: [Slot]
    /// The sequence number of the next block to cut; guarded by `lock`.
    private var nextToCut = 0
    /// No more blocks to cut (the end, an error or a hand-off); guarded by `lock`.
    private var inputDone = false
    private var stopping = false
    private var runningWorkers: Int
    /// Compressed bytes of the blocks the reader has taken; guarded by `lock`.
    private var takenOffset = 0
    private let lock = NSCondition()
    /// Held by the worker cutting a block, so blocks are cut from the file in order.
    private let cutting = NSLock()

    /// The reader's side: the sequence number of the block it takes next, and its progress.
    private var nextToTake = 0
    private var takenLength = 0
    private var current: (slot: Int, length: Int)?
    /// Set when the reader reached a member that is not BGZF; the input is positioned on it.
    private(set) var handedOff = false

    /// Starts `workers` threads inflating the BGZF blocks of `input`.
    init(input: FileInput, workers: Int) {
        self.input = input
        compressed = (0..<Self.slotCount).map { _ in .allocate(capacity: BGZFBlock.capacity) }
        inflated = (0..<Self.slotCount).map { _ in .allocate(capacity: BGZFBlock.capacity) }
        slots = Array(repeating: .free, count: Self.slotCount)
        runningWorkers = workers
        for index in 0..<workers {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "sluice-bgzf-\(index)"
            thread.start()
        }
    }

    /// Inflating threads for this machine: one per core, at least two and at most four.
    static var defaultWorkers: Int { min(4, max(2, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Stops the workers and waits for them to let go of the input and the slots.
    func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        while runningWorkers > 0 { lock.wait() }
        lock.unlock()
        for buffer in compressed + inflated { buffer.deallocate() }
    }

    private func work() {
        let state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
        defer {
            state.deallocate()
            lock.lock()
            runningWorkers -= 1
            lock.broadcast()
            lock.unlock()
        }
        while let (slot, start, length) = cutNext() {
            let outcome: Slot
            switch BGZFBlock.inflate(compressed[slot], length: length, into: inflated[slot], state: state) {
            case .success(let inflatedLength): outcome = .ready(length: inflatedLength, end: start + length)
            case .failure(let problem): outcome = .failed(TableReadError.corruptMember(input.path, at: start, problem.why))
            }
            lock.lock()
            slots[slot] = outcome
            lock.broadcast()
            lock.unlock()
        }
    }

    /// Claims the next slot and cuts the next block into it: its slot, offset and length;
    /// nil when there is nothing more to cut (that slot then says why).
    private func cutNext() -> (slot: Int, start: Int, length: Int)? {
        cutting.lock()
        defer { cutting.unlock() }
        lock.lock()
        while !stopping && !inputDone && !isFree(slots[nextToCut % Self.slotCount]) { lock.wait() }
        if stopping || inputDone {
            lock.unlock()
            return nil
        }
        let slot = nextToCut % Self.slotCount
        nextToCut += 1
        slots[slot] = .claimed
        lock.unlock()

        let start = input.consumed
        let outcome: Slot
        do {
            switch try BGZFBlock.cut(from: input, into: compressed[slot]) {
            case .block(let length): return (slot, start, length)
            case .end: outcome = .end
            case .notBGZF: outcome = .handOff
            }
        } catch {
            outcome = .failed(error)
        }
        lock.lock()
        slots[slot] = outcome
        inputDone = true
        lock.broadcast()
        lock.unlock()
        return nil
    }

    /// Copies up to `count` bytes into `buffer`; 0 at the end of the data (or at a hand-off).
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        var copied = 0
        while copied < count {
            if current == nil {
                let slot = nextToTake % Self.slotCount
                lock.lock()
                var state = slots[slot]
                while isPending(state) {
                    lock.wait()
                    state = slots[slot]
                }
                lock.unlock()
                switch state {
                case .ready(let length, _):
                    current = (slot, length)
                    takenLength = 0
                case .failed(let error):
                    if copied == 0 { throw error }
                    return copied
                case .handOff:
                    handedOff = true
                    return copied
                default:
                    return copied
                }
            }
            let (slot, length) = current!
            let take = min(count - copied, length - takenLength)
            (buffer + copied).update(from: inflated[slot] + takenLength, count: take)
            copied += take
            takenLength += take
            if takenLength == length {
                lock.lock()
                if case .ready(_, let end) = slots[slot] { takenOffset = end }
                slots[slot] = .free
                lock.broadcast()
                lock.unlock()
                nextToTake += 1
                current = nil
            }
        }
        return copied
    }

    private func isPending(_ slot: Slot) -> Bool {
        if case .claimed = slot { return true }
        return isFree(slot)
    }

    private func isFree(_ slot: Slot) -> Bool {
        if case .free = slot { return true }
        return false
    }

    /// Compressed bytes of the blocks taken so far, for progress reporting.
    var offset: Int {
        lock.lock()
        defer { lock.unlock() }
        return takenOffset
    }
}
