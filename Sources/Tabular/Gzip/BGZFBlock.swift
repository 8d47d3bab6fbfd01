import CISAL

/// A BGZF block, as `bgzip` writes them: a whole gzip member whose header carries its own
/// compressed length (the extra subfield `BC`, BSIZE), so blocks can be cut out of a file
/// without inflating and then inflated independently of one another.
enum BGZFBlock {
    /// The most a block may take, compressed or inflated (the BGZF specification's 64 KiB).
    static let capacity = 1 << 16
    /// The fixed part of a gzip header: magic, method, flags, time, extra flags, system, XLEN.
    private static let fixedHeader = 12
    /// A gzip member's trailer: CRC-32 and length.
    private static let trailer = 8

    /// What `cut` found at the input's position.
    enum Cut: Equatable {
        /// A block of `length` bytes, now in the buffer.
        case block(length: Int)
        /// The end of the file, between members.
        case end
        /// A gzip member without a BSIZE (its header is put back): it can only be streamed.
        case notBGZF
    }

    /// Whether `header` (the first bytes of a file) starts a BGZF block.
    static func starts(_ header: UnsafeBufferPointer<UInt8>) -> Bool {
        guard header.count >= fixedHeader, isGzip(header), hasExtraField(header) else { return false }
        let length = Int(header[10]) | Int(header[11]) << 8
        guard header.count >= fixedHeader + length else { return false }
        return blockSize(extra: UnsafeBufferPointer(rebasing: header[fixedHeader..<fixedHeader + length])) != nil
    }

    /// Reads the next block from `input` into `buffer` (of `capacity` bytes).
    static func cut(from input: FileInput, into buffer: UnsafeMutablePointer<UInt8>) throws -> Cut {
        let start = input.consumed
        let got = try input.readFully(into: buffer, count: fixedHeader)
        if got == 0 { return .end }
        let header = UnsafeBufferPointer(start: buffer, count: got)
        if got >= 2 && !isGzip(header) { throw TableReadError.trailingData(input.path, at: start) }
        if got < fixedHeader { throw TableReadError.corruptMember(input.path, at: start, TableReadError.truncatedMember) }
        guard header[2] == 8, hasExtraField(header) else {
            input.unread(header)
            return .notBGZF
        }
        let extraLength = Int(buffer[10]) | Int(buffer[11]) << 8
        let headerLength = fixedHeader + extraLength
        if try input.readFully(into: buffer + fixedHeader, count: extraLength) < extraLength {
            throw TableReadError.corruptMember(input.path, at: start, TableReadError.truncatedMember)
        }
        guard let size = blockSize(extra: UnsafeBufferPointer(start: buffer + fixedHeader, count: extraLength)) else {
            input.unread(UnsafeBufferPointer(start: buffer, count: headerLength))
            return .notBGZF
        }
        guard size >= headerLength + trailer else {
            throw TableReadError.corruptMember(input.path, at: start, "its BSIZE (\(size - 1)) is shorter than its own header")
        }
        if try input.readFully(into: buffer + headerLength, count: size - headerLength) < size - headerLength {
            throw TableReadError.corruptMember(input.path, at: start, TableReadError.truncatedMember)
        }
        return .block(length: size)
    }

    /// Inflates the block of `length` bytes at `block` into `output` (of `capacity` bytes)
    /// with ISA-L's one-shot inflate; returns the inflated length, or why it cannot.
    static func inflate(_ block: UnsafeMutablePointer<UInt8>, length: Int, into output: UnsafeMutablePointer<UInt8>, state: UnsafeMutablePointer<inflate_state>) -> Result<Int, InflateProblem> {
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        state.pointee.next_in = block
        state.pointee.avail_in = UInt32(length)
        state.pointee.next_out = output
        state.pointee.avail_out = UInt32(capacity)
        let code = isal_inflate_stateless(state)
        if code != ISAL_DECOMP_OK { return .failure(InflateProblem(why: TableReadError.inflateProblem(code))) }
        if state.pointee.avail_in != 0 { return .failure(InflateProblem(why: "its BSIZE runs past the end of its deflate data")) }
        return .success(Int(state.pointee.total_out))
    }

    /// Why a block did not inflate.
    struct InflateProblem: Error {
        let why: String
    }

    private static func isGzip(_ header: UnsafeBufferPointer<UInt8>) -> Bool {
        header[0] == 0x1f && header[1] == 0x8b
    }

    private static func hasExtraField(_ header: UnsafeBufferPointer<UInt8>) -> Bool {
        header[3] & 0x04 != 0
    }

    /// The block's whole length (BSIZE + 1) from the `BC` subfield of the extra field.
    private static func blockSize(extra: UnsafeBufferPointer<UInt8>) -> Int? {
        var at = 0
        while at + 4 <= extra.count {
            let length = Int(extra[at + 2]) | Int(extra[at + 3]) << 8
            if extra[at] == UInt8(ascii: "B") && extra[at + 1] == UInt8(ascii: "C") && length == 2 && at + 6 <= extra.count {
                return (Int(extra[at + 4]) | Int(extra[at + 5]) << 8) + 1
            }
            at += 4 + length
        }
        return nil
    }
}
