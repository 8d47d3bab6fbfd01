import CZlib
import Foundation

/// One file read out of a ZIP archive held in memory (GitHub Actions artifacts are zip
/// files), through the central directory, stored or deflated, its CRC-32 checked. Built for
/// untrusted archives: every offset is checked against the data, the inflated size is
/// bounded by `limit` and by the size the directory declares, and anything else (encrypted
/// entries, ZIP64, other methods) is refused with a reason.
enum ZipEntry {
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The directory's entry names, in archive order.
    static func names(in zip: Data) throws -> [String] {
        try directory(zip).map(\.name)
    }

    /// The contents of the entry called `name`, or nil when the archive has no such entry.
    static func read(_ name: String, from zip: Data, limit: Int) throws -> Data? {
        guard let entry = try directory(zip).first(where: { $0.name == name }) else { return nil }
        guard entry.flags & 1 == 0 else { throw Failure("\(name) is encrypted") }
        guard entry.size <= limit else { throw Failure("\(name) holds \(entry.size) bytes, more than the \(limit) read") }
        // The local header repeats the name and has its own extra field; the data follows it.
        let local = entry.localOffset
        guard zip.count >= local + 30, zip.uint32(at: local) == 0x0403_4b50 else { throw Failure("\(name): no local header at offset \(local)") }
        let start = local + 30 + Int(zip.uint16(at: local + 26)) + Int(zip.uint16(at: local + 28))
        guard start + entry.compressedSize <= zip.count else { throw Failure("\(name): its data runs past the end of the archive") }
        let packed = zip.subdata(in: zip.startIndex + start..<zip.startIndex + start + entry.compressedSize)
        let contents: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw Failure("\(name): a stored entry whose sizes differ") }
            contents = packed
        case 8: contents = try inflate(packed, size: entry.size, name: name)
        default: throw Failure("\(name) is compressed with method \(entry.method); only stored and deflate are read")
        }
        let crc = contents.withUnsafeBytes { crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) }
        guard UInt32(crc) == entry.crc else { throw Failure("\(name): CRC-32 mismatch (the archive is damaged)") }
        return contents
    }

    struct Directory {
        let name: String
        let flags: UInt16
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let localOffset: Int
    }

    /// The central directory, found through the end record in the archive's last 64 KiB
    /// (the record plus the longest comment).
    static func directory(_ zip: Data) throws -> [Directory] {
        guard zip.count >= 22 else { throw Failure("not a zip archive (\(zip.count) bytes)") }
        let earliest = max(0, zip.count - 22 - 0xFFFF)
        guard let end = stride(from: zip.count - 22, through: earliest, by: -1).first(where: { zip.uint32(at: $0) == 0x0605_4b50 }) else {
            throw Failure("not a zip archive (no end of central directory record)")
        }
        let count = Int(zip.uint16(at: end + 10))
        let size = Int(zip.uint32(at: end + 12)), offset = Int(zip.uint32(at: end + 16))
        guard count != 0xFFFF, size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else { throw Failure("a ZIP64 archive, which is not read") }
        guard offset + size <= end else { throw Failure("the central directory lies outside the archive") }
        var entries: [Directory] = []
        var at = offset
        for _ in 0..<count {
            guard at + 46 <= offset + size, zip.uint32(at: at) == 0x0201_4b50 else { throw Failure("a damaged central directory at offset \(at)") }
            let nameLength = Int(zip.uint16(at: at + 28)), extra = Int(zip.uint16(at: at + 30)), comment = Int(zip.uint16(at: at + 32))
            guard at + 46 + nameLength <= offset + size else { throw Failure("a damaged central directory at offset \(at)") }
            let name = String(decoding: zip.subdata(in: zip.startIndex + at + 46..<zip.startIndex + at + 46 + nameLength), as: UTF8.self)
            let compressed = Int(zip.uint32(at: at + 20)), plain = Int(zip.uint32(at: at + 24)), local = Int(zip.uint32(at: at + 42))
            guard compressed != 0xFFFF_FFFF, plain != 0xFFFF_FFFF, local != 0xFFFF_FFFF else { throw Failure("\(name) is a ZIP64 entry, which is not read") }
            entries.append(Directory(name: name, flags: zip.uint16(at: at + 8), method: zip.uint16(at: at + 10), crc: zip.uint32(at: at + 16),
                                     compressedSize: compressed, size: plain, localOffset: local))
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    /// Raw deflate data inflated into exactly `size` bytes: the buffer has one byte more,
    /// so a stream longer than declared fails instead of being cut.
    static func inflate(_ packed: Data, size: Int, name: String) throws -> Data {
        var output = Data(count: size + 1)
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Failure("zlib could not start") }
        defer { inflateEnd(&stream) }
        let status = packed.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { target in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw Failure("\(name): the deflated data is damaged or not \(size) bytes long")
        }
        return output.prefix(size)
    }
}

private extension Data {
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[startIndex + offset]) | UInt16(self[startIndex + offset + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }
}
