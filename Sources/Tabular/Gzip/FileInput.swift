import Foundation

/// A file (or standard input) read front to back, counting the bytes taken, with room to put
/// back bytes that were only looked at (the gzip and BGZF headers `ByteSource` sniffs).
///
/// Not thread-safe: one thread reads it at a time (the inflaters hand it over under a lock).
final class FileInput {
    let path: String
    private let descriptor: Int32
    /// Bytes put back, read again before the descriptor.
    private var putBack: [UInt8] = []
    /// Bytes handed out so far: the offset in the file of the next byte read.
    private(set) var consumed = 0

    /// Opens `path`; `-` is standard input.
    init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = dup(STDIN_FILENO)
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TableReadError(path: path, kind: .unreadable("no such file"))
            }
            if isDirectory.boolValue {
                throw TableReadError(path: path, kind: .unreadable("is a directory, expected a data file"))
            }
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            throw TableReadError(path: path, kind: .unreadable(String(cString: strerror(errno))))
        }
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if !putBack.isEmpty {
            let take = min(count, putBack.count)
            putBack.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: take) }
            putBack.removeFirst(take)
            consumed += take
            return take
        }
        while true {
            let n = Foundation.read(descriptor, buffer, count)
            if n >= 0 {
                consumed += n
                return n
            }
            if errno != EINTR { throw TableReadError(path: path, kind: .unreadable(String(cString: strerror(errno)))) }
        }
    }

    /// Moves to byte `offset` of a file (not standard input), dropping bytes put back.
    func seek(to offset: Int) throws {
        guard lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw TableReadError(path: path, kind: .unreadable("cannot move to byte \(offset): \(String(cString: strerror(errno)))"))
        }
        putBack.removeAll()
        consumed = offset
    }

    /// Reads until `count` bytes or the end of the file; returns how many it got.
    func readFully(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        var got = 0
        while got < count {
            let n = try read(into: buffer + got, count: count - got)
            if n == 0 { break }
            got += n
        }
        return got
    }

    /// Puts back the last bytes read, so the next read returns them again.
    func unread(_ bytes: UnsafeBufferPointer<UInt8>) {
        putBack.insert(contentsOf: bytes, at: 0)
        consumed -= bytes.count
    }
}
