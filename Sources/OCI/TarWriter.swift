import Foundation

/// One entry of a tar archive.
public struct TarEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case file(size: Int64)
        case directory
        case symlink(target: String)
        /// A hard link to an earlier entry of the same archive.
        case hardlink(target: String)
        /// A device, FIFO or other special file (its tar type flag): readers report it so an
        /// extractor can refuse it; writers never write one.
        case special(typeflag: UInt8)
    }

    /// The path inside the archive, relative, `/`-separated, without a trailing slash.
    public var name: String
    public var kind: Kind
    /// Permission bits (including setuid/setgid/sticky).
    public var mode: UInt32

    public init(name: String, kind: Kind, mode: UInt32) {
        self.name = name
        self.kind = kind
        self.mode = mode
    }
}

/// Writes reproducible POSIX (ustar + PAX) tar streams: uid/gid 0, no user or group names,
/// one fixed modification time, and PAX records only where ustar cannot say a thing (names
/// over 100 bytes, sizes over 8 GiB). Names are checked so `..` and absolute paths never appear.
public final class TarWriter {
    private let sink: ByteSink
    private let mtime: Int64

    public init(sink: ByteSink, mtime: Int64) {
        self.sink = sink
        self.mtime = mtime
    }

    /// Refuses names a reader could resolve outside its directory.
    public static func validate(_ name: String) throws {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\0"), !parts.contains(".."), !parts.contains(""), !parts.contains(".") else {
            throw OCIError.unsafePath("refusing to write the tar entry name \"\(name)\" (absolute, empty, `.` or `..` parts)")
        }
    }

    /// Writes the header of `entry`; for files, its content must follow with `writeContent`.
    public func writeHeader(_ entry: TarEntry) throws {
        try TarWriter.validate(entry.name)
        var name = entry.name
        var typeflag: UInt8
        var size: Int64 = 0
        var link = ""
        switch entry.kind {
        case .file(let length): typeflag = UInt8(ascii: "0"); size = length
        case .directory: typeflag = UInt8(ascii: "5"); name += "/"
        case .symlink(let target): typeflag = UInt8(ascii: "2"); link = target
        case .hardlink(let target): try TarWriter.validate(target); typeflag = UInt8(ascii: "1"); link = target
        case .special: throw OCIError.usage("refusing to write /\(entry.name): Sluice writes no device or FIFO entries")
        }
        var pax: [(String, String)] = []
        if name.utf8.count > 100 { pax.append(("path", name)) }
        if link.utf8.count > 100 { pax.append(("linkpath", link)) }
        if size > 0o77777777777 { pax.append(("size", String(size))) }
        if !pax.isEmpty {
            let records = Data(pax.map(Self.paxRecord).joined().utf8)
            let paxName = "PaxHeaders/" + String(decoding: Array(name.utf8.suffix(88)), as: UTF8.self)
            try sink.write(Self.header(name: paxName, typeflag: UInt8(ascii: "x"), size: Int64(records.count), mode: 0o644, link: "", mtime: mtime))
            try sink.write(records)
            try pad(Int64(records.count))
        }
        try sink.write(Self.header(name: name, typeflag: typeflag, size: size, mode: entry.mode & 0o7777, link: link, mtime: mtime))
    }

    /// Streams `size` bytes of the file at `path` and pads to the block size. A file that
    /// changed size while being archived is an error rather than a corrupt archive.
    public func writeContent(path: String, size: Int64, buffer: inout [UInt8]) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OCIError.usage("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var remaining = size
        while remaining > 0 {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress!, min($0.count, Int(remaining))) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw OCIError.invalid("\(path) changed while being packaged (shorter than \(size) bytes)") }
            try buffer.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            remaining -= Int64(count)
        }
        try pad(size)
    }

    /// Writes in-memory content of a file entry and pads to the block size.
    public func writeContent(_ data: Data) throws {
        try sink.write(data)
        try pad(Int64(data.count))
    }

    /// Writes the end-of-archive marker and finishes the sink.
    public func finish() throws {
        try sink.write(Data(count: 1024))
        try sink.finish()
    }

    private func pad(_ size: Int64) throws {
        let remainder = Int(size % 512)
        if remainder != 0 { try sink.write(Data(count: 512 - remainder)) }
    }

    static func paxRecord(_ key: String, _ value: String) -> String {
        // The length prefix counts itself, so grow it until it is stable.
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).count + body.utf8.count != length { length = String(length).count + body.utf8.count }
        return "\(length)\(body)"
    }

    static func header(name: String, typeflag: UInt8, size: Int64, mode: UInt32, link: String, mtime: Int64) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (i, byte) in text.utf8.prefix(width).enumerated() { block[offset + i] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            put(String(repeating: "0", count: max(0, width - 1 - String(value, radix: 8).count)) + String(value, radix: 8), at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(Int64(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(min(size, 0o77777777777), at: 124, width: 12)
        octal(mtime, at: 136, width: 12)
        block[156] = typeflag
        put(link, at: 157, width: 100)
        put("ustar\0", at: 257, width: 6)
        put("00", at: 263, width: 2)
        octal(0, at: 329, width: 8)
        octal(0, at: 337, width: 8)
        for i in 148..<156 { block[i] = 0x20 }
        let checksum = block.reduce(0) { $0 + Int64($1) }
        put(String(repeating: "0", count: 6 - String(checksum, radix: 8).count) + String(checksum, radix: 8), at: 148, width: 6)
        block[154] = 0
        block[155] = 0x20
        return Data(block)
    }
}
