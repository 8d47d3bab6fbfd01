import CLZ4
import CSnappy
import CZlib
import CZstd

/// Decompresses one Parquet page with the codec its column chunk names, into exactly the
/// size the page header declares (a mismatch is corruption, not something to guess around).
enum ParquetDecompression {
    static func decompress(_ input: UnsafeBufferPointer<UInt8>, codec: ParquetCodec, size: Int) throws -> [UInt8] {
        if codec == .uncompressed {
            guard input.count == size else { throw ParquetDecodeError("an uncompressed page holds \(input.count) bytes; its header says \(size)") }
            return Array(input)
        }
        var output = [UInt8](repeating: 0, count: size)
        let produced: Int = try output.withUnsafeMutableBufferPointer { out in
            guard let source = input.baseAddress, input.count > 0 else { return 0 }
            let target = out.baseAddress ?? UnsafeMutablePointer<UInt8>.allocate(capacity: 0)
            switch codec {
            case .snappy: return try snappy(source, input.count, target, size)
            case .gzip: return try gzip(source, input.count, target, size)
            case .zstd:
                let n = ZSTD_decompress(target, size, source, input.count)
                if ZSTD_isError(n) != 0 { throw ParquetDecodeError("ZSTD: \(String(cString: ZSTD_getErrorName(n)))") }
                return n
            case .lz4Raw:
                guard input.count <= Int(Int32.max), size <= Int(Int32.max) else { throw ParquetDecodeError("an LZ4 page is too large") }
                let n = source.withMemoryRebound(to: CChar.self, capacity: input.count) { src in
                    target.withMemoryRebound(to: CChar.self, capacity: size) { LZ4_decompress_safe(src, $0, Int32(input.count), Int32(size)) }
                }
                if n < 0 { throw ParquetDecodeError("LZ4_RAW: the compressed data is corrupt") }
                return Int(n)
            case .uncompressed, .lzo, .brotli, .lz4:
                throw ParquetDecodeError("unsupported codec")
            }
        }
        guard produced == size else { throw ParquetDecodeError("a \(codec.name) page decompressed to \(produced) bytes; its header says \(size)") }
        return output
    }

    /// Whether Sluice can read pages compressed with `codec`.
    static func supports(_ codec: ParquetCodec) -> Bool {
        switch codec {
        case .uncompressed, .snappy, .gzip, .zstd, .lz4Raw: return true
        case .lzo, .brotli, .lz4: return false
        }
    }

    private static func snappy(_ source: UnsafePointer<UInt8>, _ count: Int, _ target: UnsafeMutablePointer<UInt8>, _ size: Int) throws -> Int {
        try source.withMemoryRebound(to: CChar.self, capacity: count) { src in
            var length = 0
            guard snappy_uncompressed_length(src, count, &length) == SNAPPY_OK, length == size else {
                throw ParquetDecodeError("SNAPPY: the compressed data is corrupt or does not hold \(size) bytes")
            }
            let status = target.withMemoryRebound(to: CChar.self, capacity: size) { snappy_uncompress(src, count, $0, &length) }
            guard status == SNAPPY_OK else { throw ParquetDecodeError("SNAPPY: the compressed data is corrupt") }
            return length
        }
    }

    /// GZIP pages are gzip streams (zlib's automatic header detection also takes raw zlib).
    private static func gzip(_ source: UnsafePointer<UInt8>, _ count: Int, _ target: UnsafeMutablePointer<UInt8>, _ size: Int) throws -> Int {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetDecodeError("GZIP: zlib could not start")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: source)
        stream.avail_in = UInt32(clamping: count)
        stream.next_out = target
        stream.avail_out = UInt32(clamping: size)
        let status = inflate(&stream, Z_FINISH)
        guard status == Z_STREAM_END else { throw ParquetDecodeError("GZIP: the compressed data is corrupt or longer than \(size) bytes") }
        return Int(stream.total_out)
    }
}
