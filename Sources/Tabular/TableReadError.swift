import Core

/// A problem reading a table that stops the read: the file cannot be opened or decoded,
/// or its structure is broken beyond recovery.
public struct TableReadError: SluiceError, Equatable {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// The file is missing, unreadable or not valid gzip (exit 3).
        case unreadable(String)
        /// The file has no bytes at all, so not even a header.
        case empty
        /// A quoted field is still open at the end of the file.
        case unterminatedQuote(line: Int)
        /// A closing quote is followed by something other than a delimiter or line end.
        case textAfterQuote(line: Int, column: Int)
        /// One record is larger than the reader accepts, usually a stray quote.
        case recordTooLarge(line: Int, limit: Int)
        /// A share of one CSV file (`CSVByteShare`) ends inside a quoted field: the record
        /// starting on `line` of the share (counted from its first byte) runs past byte
        /// `end`, where the next share begins.
        case shareEndsInQuotedField(share: TableShare, line: Int, end: Int)
    }

    /// The file being read.
    public let path: String
    /// What went wrong.
    public let kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .unreadable: return .runtime
        case .shareEndsInQuotedField: return .usage
        default: return .verdictFailed
        }
    }

    /// Whether the error is about the data's content, which validation reports as a
    /// `source-error`; the others (a file that cannot be read, a share that cannot be cut
    /// there) stop it.
    public var isAboutTheData: Bool {
        switch kind {
        case .unreadable, .shareEndsInQuotedField: return false
        default: return true
        }
    }

    public var description: String {
        switch kind {
        case .unreadable(let why):
            return "\(path): cannot read: \(why)"
        case .empty:
            return "\(path): the file is empty; expected a header row"
        case .unterminatedQuote(let line):
            return "\(path):\(line): a quoted field opened on this line is never closed; expected a closing \" before the end of the file"
        case .textAfterQuote(let line, let column):
            return "\(path):\(line): field \(column) has text after its closing quote; expected a delimiter or the end of the line (write \"\" for a literal quote)"
        case .recordTooLarge(let line, let limit):
            return "\(path):\(line): a record is larger than \(limit / (1 << 20)) MiB; is a quote left open?"
        case .shareEndsInQuotedField(let share, let line, let end):
            return "\(path): shard \(share) ends at byte \(end), where shard \(share.index + 2)/\(share.count) begins, but its record on line \(line) of the shard is inside a quoted field there: either a quoted field longer than \(RecordBoundary.defaultWindow >> 20) MiB holds that byte, or a quote is left open in the data. Validate the file without --shard (a single pass names any open quote), or split it into files"
        }
    }
}
