import CISAL

/// Inflates gzip data of one or more members (as `gzip` writes it, or `cat a.gz b.gz`) with
/// ISA-L, member after member, each member's CRC-32 and length checked.
///
/// Any problem is a `TableReadError` naming the file and the byte offset of the member at
/// fault: corrupt data, a file that ends inside a member, or bytes after the last member
/// that are not gzip.
final class GzipStream {
    private static let inputSize = 1 << 18

    private let input: FileInput
    private let state: UnsafeMutablePointer<inflate_state>
    private let buffer: UnsafeMutablePointer<UInt8>
    private var inputEnded = false
    /// True between members: the end of the file here is a clean end.
    private var betweenMembers = true
    /// Offset in the file where the current member starts.
    private var memberStart = 0

    init(input: FileInput) {
        self.input = input
        state = .allocate(capacity: 1)
        buffer = .allocate(capacity: Self.inputSize)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        memberStart = input.consumed
    }

    deinit {
        state.deallocate()
        buffer.deallocate()
    }

    /// Compressed bytes consumed so far.
    var offset: Int { input.consumed - Int(state.pointee.avail_in) }

    /// Inflates up to `capacity` bytes into `output`; 0 at the end of the data.
    func inflate(into output: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        state.pointee.next_out = output
        state.pointee.avail_out = UInt32(capacity)
        while state.pointee.avail_out > 0 {
            if state.pointee.avail_in == 0 && !inputEnded {
                let n = try input.read(into: buffer, count: Self.inputSize)
                inputEnded = n == 0
                state.pointee.next_in = buffer
                state.pointee.avail_in = UInt32(n)
            }
            if state.pointee.avail_in == 0 && inputEnded {
                if betweenMembers { break }
                throw failure(TableReadError.truncatedMember)
            }
            if betweenMembers && !startsGzip() { throw failure(TableReadError.inflateProblem(ISAL_INVALID_WRAPPER), trailing: memberStart > 0) }
            betweenMembers = false
            let before = (state.pointee.avail_in, state.pointee.avail_out)
            let code = isal_inflate(state)
            if code != ISAL_DECOMP_OK {
                throw failure(TableReadError.inflateProblem(code), trailing: memberStart > 0 && code == ISAL_INVALID_WRAPPER)
            }
            if state.pointee.block_state == ISAL_BLOCK_FINISH {
                startNextMember()
            } else if before == (state.pointee.avail_in, state.pointee.avail_out) {
                // ISA-L took no input and gave no output: stop rather than spin.
                throw failure("the inflater made no progress")
            }
        }
        return capacity - Int(state.pointee.avail_out)
    }

    /// Whether the input in hand starts with gzip's magic bytes (ISA-L would wait for a whole
    /// header before saying that a few stray bytes are not one).
    private func startsGzip() -> Bool {
        let next = state.pointee.next_in!
        let available = Int(state.pointee.avail_in)
        return next[0] == 0x1f && (available < 2 || next[1] == 0x8b)
    }

    /// Resets the inflater after a member's trailer, keeping the input and output in hand.
    private func startNextMember() {
        let (nextIn, availIn) = (state.pointee.next_in, state.pointee.avail_in)
        let (nextOut, availOut) = (state.pointee.next_out, state.pointee.avail_out)
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        (state.pointee.next_in, state.pointee.avail_in) = (nextIn, availIn)
        (state.pointee.next_out, state.pointee.avail_out) = (nextOut, availOut)
        memberStart = offset
        betweenMembers = true
    }

    private func failure(_ why: String, trailing: Bool = false) -> TableReadError {
        trailing ? .trailingData(input.path, at: memberStart) : .corruptMember(input.path, at: memberStart, why)
    }
}
