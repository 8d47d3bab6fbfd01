import CZlib
import Foundation

/// Streaming gzip compression with zlib's deflate. The header zlib writes carries no file
/// name and a zero modification time, so the same input always gives the same bytes.
public final class GzipSink: ByteSink {
    private let stream: UnsafeMutablePointer<z_stream>
    private let next: ByteSink
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    private var finished = false

    /// `level` 1 (fastest) to 9 (smallest), or 0 to store without compressing.
    public init(level: Int32, next: ByteSink) throws {
        self.next = next
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16 selects the gzip wrapper.
        let status = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw OCIError.invalid("zlib: cannot start compression (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: Bytef.self).baseAddress)
        stream.pointee.avail_in = uInt(bytes.count)
        try pump(flush: Z_NO_FLUSH)
    }

    public func finish() throws {
        guard !finished else { return }
        finished = true
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try pump(flush: Z_FINISH)
        try next.finish()
    }

    private func pump(flush: Int32) throws {
        var status: Int32 = Z_OK
        repeat {
            let produced: Int = try output.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                status = deflate(stream, flush)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw OCIError.invalid("zlib: compression failed (\(status))")
                }
                return buffer.count - Int(stream.pointee.avail_out)
            }
            if produced > 0 { try output.withUnsafeBytes { try next.write(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
        } while stream.pointee.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END)
    }
}

/// Streaming gzip decompression: compressed bytes in, plain bytes out to `next`.
public final class GunzipSink: ByteSink {
    private let stream: UnsafeMutablePointer<z_stream>
    private let next: ByteSink
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    private var ended = false

    public init(next: ByteSink) throws {
        self.next = next
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw OCIError.invalid("zlib: cannot start decompression")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty, !ended else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: Bytef.self).baseAddress)
        stream.pointee.avail_in = uInt(bytes.count)
        repeat {
            let produced: Int = try output.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                let status = inflate(stream, Z_NO_FLUSH)
                if status == Z_STREAM_END { ended = true } else if status != Z_OK && status != Z_BUF_ERROR {
                    throw OCIError.invalid("the layer is not valid gzip data (zlib \(status))")
                }
                return buffer.count - Int(stream.pointee.avail_out)
            }
            if produced > 0 { try output.withUnsafeBytes { try next.write(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
        } while stream.pointee.avail_out == 0 && !ended
    }

    public func finish() throws {
        guard ended else { throw OCIError.invalid("the layer's gzip data ends early") }
        try next.finish()
    }
}
