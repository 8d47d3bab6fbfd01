import CZlib
import Core
import Foundation

/// Reads a file's bytes in chunks, decompressing gzip transparently.
///
/// zlib's `gzread` passes plain files through unchanged, so one code path serves `.csv`
/// and `.csv.gz` alike. `-` reads standard input.
final class ByteSource {
    let path: String
    private let file: gzFile

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
    }

    deinit { gzclose(file) }

    /// Reads up to `count` bytes into `buffer`; returns 0 at the end of the data.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let n = gzread(file, buffer, UInt32(min(count, Int(Int32.max))))
        if n < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            throw TableReadError(path: path, kind: .unreadable(message))
        }
        return Int(n)
    }

    /// Compressed bytes consumed so far, for progress reporting.
    var offset: Int { Int(gzoffset(file)) }
}
