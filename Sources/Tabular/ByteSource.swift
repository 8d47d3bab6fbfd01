import CZlib
import Core
import Foundation

/// Reads a file's bytes in chunks, decompressing gzip transparently.
///
/// zlib's `gzread` passes plain files through unchanged, so one code path serves `.csv`
/// and `.csv.gz` alike. Compressed input is inflated on a thread of its own
/// (`InflateThread`), so decompression and parsing use two cores. `-` reads standard input.
final class ByteSource {
    let path: String
    private let file: gzFile
    /// Set when the input is gzip: it then owns the reading.
    private var inflater: InflateThread?
    /// For a byte range of a plain file (a CSV share): the bytes left to read, and read.
    private var remaining: Int?
    private var delivered = 0

    /// Reads `range` of the plain (not gzip) file at `path`: its bytes, then the end.
    convenience init(path: String, range: Range<Int>) throws {
        try self.init(path: path)
        guard inflater == nil, Int(gzseek(file, numericCast(range.lowerBound), SEEK_SET)) == range.lowerBound else {
            throw TableReadError(path: path, kind: .unreadable("cannot read bytes \(range.lowerBound)..<\(range.upperBound) of it (a byte range needs a plain, uncompressed file)"))
        }
        remaining = range.count
    }

    init(path: String) throws {
        self.path = path
        if path == "-" {
            guard let handle = gzdopen(dup(STDIN_FILENO), "rb") else {
                throw TableReadError(path: path, kind: .unreadable("cannot read standard input"))
            }
            file = handle
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TableReadError(path: path, kind: .unreadable("no such file"))
            }
            if isDirectory.boolValue {
                throw TableReadError(path: path, kind: .unreadable("is a directory, expected a data file"))
            }
            guard let handle = gzopen(path, "rb") else {
                throw TableReadError(path: path, kind: .unreadable(String(cString: strerror(errno))))
            }
            file = handle
        }
        gzbuffer(file, 1 << 18)
        // gzdirect looks at the first bytes: 0 means gzip, which is worth a thread.
        if gzdirect(file) == 0 { inflater = InflateThread(file: file, path: path) }
    }

    deinit {
        inflater?.stop()
        gzclose(file)
    }

    /// Reads up to `count` bytes into `buffer`; returns 0 at the end of the data.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if let inflater { return try inflater.read(into: buffer, count: count) }
        let wanted = min(count, remaining ?? count, Int(Int32.max))
        if wanted == 0 { return 0 }
        let n = gzread(file, buffer, UInt32(wanted))
        if n <= 0, let message = Self.failure(file) {
            throw TableReadError(path: path, kind: .unreadable(message))
        }
        if let left = remaining { remaining = left - Int(n) }
        delivered += Int(n)
        return Int(n)
    }

    /// Why `gzread` stopped, or nil at a clean end. zlib ends a truncated gzip stream with
    /// no data and Z_BUF_ERROR rather than an error return, so that is checked too.
    static func failure(_ file: gzFile) -> String? {
        var code: Int32 = 0
        let text = gzerror(file, &code).map { String(cString: $0) }
        switch code {
        case Z_OK: return nil
        case Z_BUF_ERROR: return "the gzip data ends early (a truncated file?)"
        default: return text ?? "read error"
        }
    }

    /// Compressed bytes consumed so far, for progress reporting.
    /// For a byte range, the bytes of it read so far.
    var offset: Int { remaining != nil ? delivered : inflater?.offset ?? Int(gzoffset(file)) }
}
