import Core
import Foundation

/// Reads a file's bytes in chunks, decompressing gzip transparently.
///
/// The first bytes decide: a plain file is read as it is; gzip is inflated with ISA-L on a
/// thread of its own (`InflateThread` over `GzipStream`), so decompression and parsing use
/// two cores; BGZF (`bgzip`'s independent 64 KiB members) is inflated on several threads at
/// once (`BGZFInflater`). `-` reads standard input.
final class ByteSource {
    let path: String
    private let input: FileInput
    private var decoding: Decoding
    /// For a byte range of a plain file (a CSV share): the bytes of it left to read.
    private var remaining: Int?
    /// Where the range starts, so `offset` counts only the range's bytes.
    private var rangeStart = 0

    private enum Decoding {
        case plain
        case stream(InflateThread)
        case blocks(BGZFInflater)
    }

    init(path: String) throws {
        self.path = path
        input = try FileInput(path: path)
        decoding = try Self.decoding(of: input)
    }

    /// Reads `range` of the plain (not gzip) file at `path`: its bytes, then the end.
    convenience init(path: String, range: Range<Int>) throws {
        try self.init(path: path)
        guard case .plain = decoding else {
            throw TableReadError(path: path, kind: .unreadable("cannot read bytes \(range.lowerBound)..<\(range.upperBound) of it: a byte range needs a plain, uncompressed file"))
        }
        try input.seek(to: range.lowerBound)
        rangeStart = range.lowerBound
        remaining = range.count
    }

    /// Looks at the first bytes (then puts them back): gzip, BGZF or plain.
    private static func decoding(of input: FileInput) throws -> Decoding {
        // Enough for a BGZF header (bgzip writes 18 bytes).
        var header = [UInt8](repeating: 0, count: 32)
        let got = try header.withUnsafeMutableBufferPointer { try input.readFully(into: $0.baseAddress!, count: $0.count) }
        return header.withUnsafeBufferPointer { whole in
            let first = UnsafeBufferPointer(rebasing: whole[..<got])
            input.unread(first)
            guard got >= 2 && first[0] == 0x1f && first[1] == 0x8b else { return .plain }
            return BGZFBlock.starts(first)
                ? .blocks(BGZFInflater(input: input, workers: BGZFInflater.defaultWorkers))
                : .stream(InflateThread(stream: GzipStream(input: input)))
        }
    }

    deinit { stopThreads() }

    private func stopThreads() {
        switch decoding {
        case .plain: break
        case .stream(let thread): thread.stop()
        case .blocks(let inflater): inflater.stop()
        }
    }

    /// Reads up to `count` bytes into `buffer`; returns 0 at the end of the data.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        switch decoding {
        case .plain:
            guard let left = remaining else { return try input.read(into: buffer, count: count) }
            let n = left == 0 ? 0 : try input.read(into: buffer, count: min(count, left))
            remaining = left - n
            return n
        case .stream(let thread):
            return try thread.read(into: buffer, count: count)
        case .blocks(let inflater):
            let n = try inflater.read(into: buffer, count: count)
            if n == 0 && inflater.handedOff {
                // A plain gzip member after BGZF ones: stream the rest.
                inflater.stop()
                decoding = .stream(InflateThread(stream: GzipStream(input: input)))
                return try read(into: buffer, count: count)
            }
            return n
        }
    }

    /// For a plain file: where in the file the next byte read comes from (a chunk reader's
    /// position, `TableReader.nextRecordOffset`); nil for gzip.
    var filePosition: Int? {
        if case .plain = decoding { return input.consumed }
        return nil
    }

    /// Compressed bytes consumed so far, for progress reporting (of a byte range, its bytes read).
    var offset: Int {
        switch decoding {
        case .plain: return input.consumed - rangeStart
        case .stream(let thread): return thread.offset
        case .blocks(let inflater): return inflater.offset
        }
    }
}
