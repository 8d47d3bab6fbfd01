import Foundation

/// Cuts a plain CSV file into byte ranges that threads can parse at once, with the
/// boundary fix-up that keeps the records exactly those of one sequential read.
///
/// A cut falls anywhere, possibly inside a quoted field that spans lines, so where a chunk's
/// first record starts is only guessed (`guessRecordStart`: just after the first line feed at
/// or after the cut). The guess is then checked: the chunk before, read from its own proven
/// start, ends exactly where its last record ends; when that is not the guess, the chunk is
/// read again from the proven position. The first chunk starts after the header, which a
/// sequential reader found, so every chunk's start is proven in turn.
public struct CSVChunks: Sendable, Equatable {
    /// Where the records after the header start.
    public let dataStart: Int
    /// The file's size in bytes.
    public let fileSize: Int
    /// The nominal cuts: chunk `i` holds the records that start in `cuts[i]..<cuts[i + 1]`.
    public let cuts: [Int]

    /// Cuts `dataStart..<fileSize` into chunks of about `chunkBytes`.
    public init(dataStart: Int, fileSize: Int, chunkBytes: Int) {
        self.dataStart = dataStart
        self.fileSize = fileSize
        let step = max(1, chunkBytes)
        cuts = Array(stride(from: dataStart, to: fileSize, by: step)) + [fileSize]
    }

    /// The number of chunks.
    public var count: Int { cuts.count - 1 }

    /// The first position at or after `cut` that follows a line feed (or `fileSize`): where a
    /// record would start if the cut is not inside a quoted field. The first chunk's start is
    /// `dataStart` itself.
    public func guessRecordStart(path: String, chunk: Int) throws -> Int {
        let cut = cuts[chunk]
        if chunk == 0 { return cut }
        let handle = open(path, O_RDONLY)
        guard handle >= 0 else { throw TableReadError(path: path, kind: .unreadable(String(cString: strerror(errno)))) }
        defer { close(handle) }
        var offset = cut - 1
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while offset < fileSize {
            let n = block.withUnsafeMutableBytes { pread(handle, $0.baseAddress, $0.count, off_t(offset)) }
            guard n > 0 else { break }
            if let index = block[0..<n].firstIndex(of: UInt8(ascii: "\n")) { return offset + index + 1 }
            offset += n
        }
        return fileSize
    }
}
