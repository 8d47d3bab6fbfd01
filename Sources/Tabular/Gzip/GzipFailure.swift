import CISAL

/// The read errors of gzip input, each naming the file and the byte offset at fault.
extension TableReadError {
    /// The gzip member starting at `offset` cannot be inflated, for the reason `why`.
    static func corruptMember(_ path: String, at offset: Int, _ why: String) -> TableReadError {
        TableReadError(path: path, kind: .unreadable("corrupt gzip member at byte \(offset): \(why)"))
    }

    /// The bytes from `offset` on, after at least one whole member, are not gzip data.
    static func trailingData(_ path: String, at offset: Int) -> TableReadError {
        TableReadError(path: path, kind: .unreadable("the bytes after the last gzip member, from byte \(offset), are not gzip data"))
    }

    /// Why the file ends inside a member.
    static let truncatedMember = "the file ends inside it (a truncated file?)"

    /// ISA-L's inflate error codes in words.
    static func inflateProblem(_ code: Int32) -> String {
        switch code {
        case ISAL_INVALID_BLOCK: return "an invalid deflate block"
        case ISAL_INVALID_SYMBOL: return "an invalid deflate code"
        case ISAL_INVALID_LOOKBACK: return "a back-reference before the start of the data"
        case ISAL_INVALID_WRAPPER: return "not a gzip header"
        case ISAL_UNSUPPORTED_METHOD: return "a compression method other than deflate"
        case ISAL_INCORRECT_CHECKSUM: return "its CRC-32 or length does not match the data"
        case ISAL_OUT_OVERFLOW: return "it inflates to more than a BGZF block may hold (64 KiB)"
        default: return "inflate error \(code)"
        }
    }
}
