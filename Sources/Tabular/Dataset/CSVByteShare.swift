import Foundation

/// The bytes of one delimited-text file that a share reads (`--shard i/N` on one plain,
/// uncompressed CSV): the data after the header is cut into N spans of about equal size,
/// and each cut is moved to a record start with `RecordBoundary`.
///
/// Cut `k` lies at `k/N` of the data; its boundary `B(k)` is the first record start every
/// reading of the bytes after the cut agrees on (at most `RecordBoundary.defaultWindow`
/// past it), made non-decreasing by taking the largest boundary of the cuts before it, so
/// the N ranges tile the data exactly. Share `k` reads `B(k)..<B(k+1)`. When the readings
/// do not agree within the window (no quote ahead of the cut), the boundary is where a
/// record starts if the cut was outside quotes; the share that ends there confirms it,
/// since its own records, read from a true record start, must end exactly at its range's
/// end (else `TableReadError.Kind.shareEndsInQuotedField`). So when every share succeeds,
/// each one read exactly the records a single pass reads between its boundaries.
public struct CSVByteShare: Equatable, Sendable {
    /// Which share this is.
    public let share: TableShare
    /// The bytes of the file read: from a record start to a record start (or the end).
    public let range: Range<Int>
    /// Whether `range` ends where the file does.
    public let endsAtFileEnd: Bool
    /// Bytes read to find the boundaries (the cuts' scans).
    public let scannedBytes: Int

    /// Plans `share` of the file at `path`, whose records start at byte `dataStart` (after
    /// the header). Throws `TableReadError` when a boundary cannot be found.
    static func plan(_ share: TableShare, path: String, dataStart: Int, delimiter: UInt8, quote: UInt8) throws -> CSVByteShare {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw TableReadError(path: path, kind: .unreadable("cannot open it to find its shares' boundaries"))
        }
        defer { try? file.close() }
        let size = Int(try file.seekToEnd())
        let window = RecordBoundary.defaultWindow
        let span = max(size - dataStart, 0)
        func cut(_ k: Int) -> Int { dataStart + Int(Int64(span) * Int64(k) / Int64(share.count)) }
        var scanned = 0
        var found: [Int: Int] = [:]
        func boundary(_ j: Int) throws -> Int {
            if j == 0 || cut(j) <= dataStart { return dataStart }
            if j == share.count { return size }
            if let known = found[j] { return known }
            let (offset, bytes) = try Self.recordStart(after: cut(j), in: file, size: size, delimiter: delimiter, quote: quote, path: path)
            scanned += bytes
            found[j] = offset
            return offset
        }
        // B(k): the largest boundary of cuts 0...k; a cut more than a window before cut k
        // cannot move past it, so only the nearby ones are scanned.
        func monotone(_ k: Int) throws -> Int {
            var result = try boundary(k)
            var j = k - 1
            while j > 0 && cut(j) + window > cut(k) {
                result = max(result, try boundary(j))
                j -= 1
            }
            return result
        }
        let start = try monotone(share.index), end = try monotone(share.index + 1)
        return CSVByteShare(share: share, range: start..<max(start, end), endsAtFileEnd: end >= size, scannedBytes: scanned)
    }

    /// The first record start at or after `cut`, and how many bytes finding it read.
    private static func recordStart(after cut: Int, in file: FileHandle, size: Int, delimiter: UInt8, quote: UInt8, path: String) throws -> (Int, Int) {
        let (finding, read) = try RecordBoundary.scan(file, from: cut, size: size, delimiter: delimiter, quote: quote, window: RecordBoundary.defaultWindow)
        switch finding {
        case .agreed(let offset), .outsideQuotes(let offset):
            return (cut + offset, read)
        case .notFound:
            throw TableReadError(path: path, kind: .unreadable("no record of this CSV starts within \(RecordBoundary.defaultWindow >> 20) MiB after byte \(cut), where a share would begin: the text there is not CSV under any reading of its quotes; validate the file without --shard to find the error"))
        }
    }
}
