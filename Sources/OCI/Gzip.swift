import CZlib
import Foundation

/// Streaming gzip compression over zlib's deflate, on several cores the way pigz does it:
/// the input is cut into blocks that are compressed side by side (each primed with the
/// previous block's last 32 KiB, so the ratio stays close to a single stream) and written
/// in order as one gzip member. The output depends only on the input, level and block size,
/// never on the thread count or timing, and the header has no name and no time, so the
/// same input always gives the same bytes. Memory is bounded by the blocks in flight.
public final class GzipSink: ByteSink {
    private let level: Int32
    private let next: ByteSink
    private let blockSize: Int
    private let maxInFlight: Int
    private var block = Data()
    private var previousTail = Data()
    private var crc = crc32(0, nil, 0)
    private var length: UInt64 = 0
    private var submitted = 0
    private var written = 0
    private var started = false
    private let results = CompressedBlocks()

    /// `level` 1 (fastest) to 9 (smallest), or 0 to store without compressing.
    public init(level: Int32, threads: Int = ProcessInfo.processInfo.activeProcessorCount, blockSize: Int = 1 << 20, next: ByteSink) throws {
        guard (0...9).contains(level) else { throw OCIError.usage("gzip level \(level) is not 0 to 9") }
        self.level = level
        self.next = next
        self.blockSize = blockSize
        maxInFlight = max(2, threads * 2)
        block.reserveCapacity(blockSize)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try startIfNeeded()
        guard !bytes.isEmpty else { return }
        crc = crc32(crc, bytes.bindMemory(to: Bytef.self).baseAddress, uInt(bytes.count))
        length += UInt64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            let take = min(blockSize - block.count, bytes.count - offset)
            block.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)]))
            offset += take
            if block.count == blockSize { try submit(last: false) }
        }
    }

    public func finish() throws {
        try startIfNeeded()
        try submit(last: true)
        while written < submitted { try writeNext() }
        var trailer = Data()
        for value in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: length)] {
            withUnsafeBytes(of: value.littleEndian) { trailer.append(contentsOf: $0) }
        }
        try next.write(trailer)
        try next.finish()
    }

    /// The gzip header: deflate, no flags, no time, no extra flags, Unix.
    private func startIfNeeded() throws {
        guard !started else { return }
        started = true
        try next.write(Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]))
    }

    private func submit(last: Bool) throws {
        let input = block, dictionary = previousTail, level = level, position = submitted
        previousTail = Data(input.suffix(32 << 10))
        block = Data()
        block.reserveCapacity(blockSize)
        submitted += 1
        while submitted - written > maxInFlight { try writeNext() }
        let results = results
        DispatchQueue.global().async {
            results.store(position, Result { try Self.deflateBlock(input, dictionary: dictionary, level: level, last: last) })
        }
    }

    /// Waits for the next block in order and passes it on.
    private func writeNext() throws {
        let compressed = try results.take(written).get()
        written += 1
        try next.write(compressed)
    }

    /// Raw deflate of one block, ended with a sync flush (byte-aligned, not final) or, for
    /// the last block, with the final block marker.
    static func deflateBlock(_ input: Data, dictionary: Data, level: Int32, last: Bool) throws -> Data {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        let effective = level > 0 && looksIncompressible(input) ? 0 : level
        guard deflateInit2_(stream, effective, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw OCIError.invalid("zlib: cannot start compression")
        }
        if !dictionary.isEmpty {
            dictionary.withUnsafeBytes { _ = deflateSetDictionary(stream, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) }
        }
        var output = Data(count: Int(deflateBound(stream, uLong(input.count))) + 64)
        var produced = 0
        try input.withUnsafeBytes { (source: UnsafeRawBufferPointer) in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.pointee.avail_in = uInt(source.count)
            while true {
                let status: Int32 = output.withUnsafeMutableBytes { target in
                    stream.pointee.next_out = target.bindMemory(to: Bytef.self).baseAddress! + produced
                    stream.pointee.avail_out = uInt(target.count - produced)
                    let status = deflate(stream, last ? Z_FINISH : Z_SYNC_FLUSH)
                    produced = target.count - Int(stream.pointee.avail_out)
                    return status
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { throw OCIError.invalid("zlib: compression failed (\(status))") }
                if last ? status == Z_STREAM_END : (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) { break }
                output.count += 1 << 16
            }
        }
        output.count = produced
        return output
    }
    /// Whether a block's first 64 KiB barely shrink at level 1 (weights that are already
    /// compressed or quantised, random data): such blocks are stored, which is many times
    /// faster and hardly larger. The test depends only on the bytes, so output stays reproducible.
    static func looksIncompressible(_ input: Data) -> Bool {
        let sample = input.prefix(64 << 10)
        guard sample.count == 64 << 10 else { return false }
        var bound = uLong(0)
        var compressed = Data(count: Int(compressBound(uLong(sample.count))))
        let status: Int32 = compressed.withUnsafeMutableBytes { target in
            sample.withUnsafeBytes { source in
                bound = uLong(target.count)
                return compress2(target.bindMemory(to: Bytef.self).baseAddress, &bound, source.bindMemory(to: Bytef.self).baseAddress, uLong(source.count), 1)
            }
        }
        return status == Z_OK && Double(bound) > Double(sample.count) * 0.97
    }
}

/// Compressed blocks by position, filled by workers and taken in order.
private final class CompressedBlocks: @unchecked Sendable {
    private let condition = NSCondition()
    private var blocks: [Int: Result<Data, Error>] = [:]

    func store(_ position: Int, _ result: Result<Data, Error>) {
        condition.lock()
        blocks[position] = result
        condition.broadcast()
        condition.unlock()
    }

    func take(_ position: Int) -> Result<Data, Error> {
        condition.lock()
        defer { condition.unlock() }
        while blocks[position] == nil { condition.wait() }
        return blocks.removeValue(forKey: position)!
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
