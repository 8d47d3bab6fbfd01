import Core
import Crypto
import Foundation

/// A stage of a streaming pipeline (tar -> digest -> gzip -> digest -> file): it receives
/// bytes in order and passes them on, so no stage ever holds a whole layer.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes what the stage buffered and finishes the stages after it.
    func finish() throws
}

extension ByteSink {
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }
}

/// Counts and hashes what flows through, then passes it on.
public final class DigestingSink: ByteSink {
    private var hasher = SHA256()
    private let next: ByteSink?
    public private(set) var count: Int64 = 0
    private var result: Digest?

    public init(next: ByteSink?) { self.next = next }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        count += Int64(bytes.count)
        try next?.write(bytes)
    }

    public func finish() throws {
        result = Digest.of(hasher)
        try next?.finish()
    }

    /// The digest of everything written; valid after `finish()`.
    public var digest: Digest {
        result ?? Digest.of(hasher)
    }
}

/// Writes to a file descriptor it owns.
public final class FileSink: ByteSink {
    private let fd: Int32
    public let path: String

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OCIError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
        self.path = path
    }

    /// Takes over an open descriptor (closed when the sink goes away); `path` names it in errors.
    public init(descriptor: Int32, path: String) {
        fd = descriptor
        self.path = path
    }

    deinit { close(fd) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let code = DescriptorWrite.all(bytes, to: fd) {
            throw OCIError.invalid("cannot write \(path): \(String(cString: strerror(code)))")
        }
    }

    public func finish() throws {
        if fsync(fd) != 0 && errno != EINVAL { throw OCIError.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
