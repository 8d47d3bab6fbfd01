import Dispatch
import Foundation

/// The chunks that several threads read one plain CSV file's records in (or one byte
/// share's records, `CSVByteShare`), each from a record start that `RecordBoundary` finds
/// after a cut.
///
/// Cut `k` lies `k * chunkBytes` into `range`; chunk `k` is read from `starts[k]` up to the
/// first record that starts at or after `stop(of: k)`, the next chunk's start, so a record
/// that runs past the stop is read whole. A start every reading of the bytes agrees on is a
/// record start; one taken from the readings outside quotes (no quote within the window
/// after the cut) is only likely one. So the reader of the chunks confirms each start: the
/// chunk before it, read from a confirmed start, ends exactly there, or the chunk is read
/// again from where it did end (`Validation.ParallelValidation`). The first chunk starts
/// where the records do, which the reader of the header (or the share's plan) found.
public struct CSVChunks: Sendable {
    /// The file and its dialect; the header the chunks' readers take as given.
    public let source: TableSource
    public let header: [String]
    /// For a byte share: its plan (a record open at its end is an error, not the data's end).
    public let byteShare: CSVByteShare?
    /// The bytes whose records are cut into chunks: after the header, or a share's range.
    public let range: Range<Int>
    /// The nominal cuts, one per chunk, then `range.upperBound`.
    public let cuts: [Int]
    /// Where each chunk's read starts: `range.lowerBound` for the first; for the others the
    /// record start found after the cut, nil when no reading of the bytes fits (the chunk is
    /// then read from where the chunk before it ends).
    public let starts: [Int?]
    /// Bytes read before the records: the header (and for a share, the search for its range).
    public let bytesBefore: Int
    /// Bytes read to find the starts.
    public let scannedBytes: Int

    /// How far past a cut the scan looks before it takes the readings outside quotes. A
    /// wrong start costs one chunk read twice, while a file without quotes is scanned the
    /// whole window at every cut: 64 KiB keeps that under 1% of 8 MiB chunks.
    public static let window = 64 << 10

    /// The number of chunks.
    public var count: Int { starts.count }

    /// Where chunk `chunk`'s records stop: a record that starts here or later is not its.
    public func stop(of chunk: Int) -> Int {
        chunk + 1 < count ? starts[chunk + 1] ?? cuts[chunk + 1] : range.upperBound
    }

    /// Cuts `range` of `source`'s file into chunks of about `chunkBytes` and finds their
    /// starts, scanning after the cuts on `threads` threads at once.
    static func plan(_ source: TableSource, header: [String], byteShare: CSVByteShare?, range: Range<Int>, bytesBefore: Int, fileSize: Int, chunkBytes: Int, threads: Int) throws -> CSVChunks {
        let step = max(1, chunkBytes)
        let cuts = Array(stride(from: range.lowerBound, to: range.upperBound, by: step)) + [range.upperBound]
        let count = cuts.count - 1
        let found = UnsafeMutableBufferPointer<Result<(Int?, Int), Error>?>.allocate(capacity: count)
        found.initialize(repeating: nil)
        defer {
            _ = found.deinitialize()
            found.deallocate()
        }
        found[0] = .success((range.lowerBound, 0))
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count - 1))) { worker in
            guard let file = FileHandle(forReadingAtPath: source.path) else {
                for chunk in stride(from: worker + 1, to: count, by: threads) {
                    found[chunk] = .failure(TableReadError(path: source.path, kind: .unreadable("cannot open it to cut it into chunks")))
                }
                return
            }
            defer { try? file.close() }
            for chunk in stride(from: worker + 1, to: count, by: threads) {
                found[chunk] = Result {
                    let (finding, read) = try RecordBoundary.scan(file, from: cuts[chunk], size: fileSize, delimiter: source.delimiter, quote: source.quote, window: window)
                    switch finding {
                    case .agreed(let offset), .outsideQuotes(let offset): return (min(cuts[chunk] + offset, range.upperBound), read)
                    case .notFound: return (nil, read)
                    }
                }
            }
        }
        var starts: [Int?] = []
        var scanned = 0
        for result in found {
            let (start, read) = try result!.get()
            starts.append(start)
            scanned += read
        }
        return CSVChunks(source: source, header: header, byteShare: byteShare, range: range, cuts: cuts, starts: starts, bytesBefore: bytesBefore, scannedBytes: scanned)
    }
}
