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
        if case .unreadable = kind { return .runtime }
        return .verdictFailed
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
        }
    }
}
