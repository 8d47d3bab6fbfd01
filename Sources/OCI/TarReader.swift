import Foundation

/// Reads a tar stream pushed into it (it is a `ByteSink`, so it can sit after `GunzipSink`)
/// and reports each entry: headers to `onEntry`, file content to `onContent` in pieces.
/// Understands ustar, PAX (`path`, `linkpath`, `size`) and GNU long names. Memory stays
/// bounded: extension headers are capped and skipped content is never buffered.
public final class TarReader: ByteSink {
    public typealias EntryHandler = (TarEntry) throws -> Void
    public typealias HeaderHandler = (TarEntry, TarEntryFacts) throws -> Void
    public typealias ContentHandler = (UnsafeRawBufferPointer) throws -> Void

    private let onHeader: HeaderHandler
    private let onContent: ContentHandler
    private var header = [UInt8]()
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    /// The PAX or GNU long-name header being collected (its type flag and bytes so far).
    private var pending: (kind: UInt8, data: Data)?
    /// The current content is dropped as it streams past (global PAX headers, special files).
    private var discarding = false
    private var overrides: [String: String] = [:]

    /// The largest PAX or GNU long-name header accepted. Real ones hold a few paths; a larger
    /// one is hostile, and refusing it keeps memory bounded.
    public static let extensionHeaderLimit: Int64 = 1 << 20
    private var ended = false

    public convenience init(onEntry: @escaping EntryHandler, onContent: @escaping ContentHandler) {
        self.init(onHeader: { entry, _ in try onEntry(entry) }, onContent: onContent)
    }

    /// Reports each entry with the header's owner, time and extended attributes as well.
    public init(onHeader: @escaping HeaderHandler, onContent: @escaping ContentHandler) {
        self.onHeader = onHeader
        self.onContent = onContent
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count && !ended {
            if remaining > 0 {
                let take = min(Int(remaining), bytes.count - offset)
                let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + take)])
                if pending != nil { pending!.data.append(contentsOf: piece) } else if !discarding { try onContent(piece) }
                remaining -= Int64(take)
                offset += take
                if remaining == 0 { try finishedContent() }
            } else if padding > 0 {
                let take = min(Int(padding), bytes.count - offset)
                padding -= Int64(take)
                offset += take
            } else {
                let take = min(512 - header.count, bytes.count - offset)
                header.append(contentsOf: bytes[offset..<(offset + take)])
                offset += take
                if header.count == 512 {
                    try parseHeader()
                    header.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    public func finish() throws {
        guard ended || (header.isEmpty && remaining == 0) else { throw OCIError.invalid("the tar stream ends in the middle of an entry") }
    }

    private func finishedContent() throws {
        discarding = false
        if let (kind, data) = pending {
            pending = nil
            if kind == UInt8(ascii: "x") {
                overrides.merge(Self.parsePax(data)) { _, new in new }
            } else if kind == UInt8(ascii: "L") {
                overrides["path"] = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
            } else if kind == UInt8(ascii: "K") {
                overrides["linkpath"] = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
    }

    private func parseHeader() throws {
        if header.allSatisfy({ $0 == 0 }) {
            ended = true
            return
        }
        func text(_ offset: Int, _ width: Int) -> String {
            String(decoding: header[offset..<(offset + width)].prefix { $0 != 0 }, as: UTF8.self)
        }
        func number(_ offset: Int, _ width: Int) -> Int64 {
            if header[offset] & 0x80 != 0 { // base-256
                return header[(offset + 1)..<(offset + width)].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            }
            return Int64(text(offset, width).trimmingCharacters(in: CharacterSet(charactersIn: " \0")), radix: 8) ?? 0
        }
        let typeflag = header[156]
        var size = number(124, 12)
        let prefix = text(345, 155)
        var name = prefix.isEmpty ? text(0, 100) : prefix + "/" + text(0, 100)
        var link = text(157, 100)
        guard size >= 0 else { throw OCIError.invalid("the tar entry \(name) has a negative size") }
        if typeflag == UInt8(ascii: "g") { // global PAX headers are skipped unread
            discarding = true
            try startContent(size)
            return
        }
        if [UInt8(ascii: "x"), UInt8(ascii: "L"), UInt8(ascii: "K")].contains(typeflag) {
            guard size <= Self.extensionHeaderLimit else {
                throw OCIError.invalid("the tar stream has a PAX or GNU long-name header of \(size) bytes, over the limit of \(Self.extensionHeaderLimit) bytes")
            }
            pending = (typeflag, Data())
            try startContent(size)
            return
        }
        if let path = overrides["path"] { name = path }
        if let linkpath = overrides["linkpath"] { link = linkpath }
        if let paxSize = overrides["size"] {
            guard let value = Int64(paxSize), value >= 0 else { throw OCIError.invalid("the tar entry \(name) has an invalid PAX size \"\(paxSize)\"") }
            size = value
        }
        // PAX times may carry a fraction ("1700000000.5"); the whole seconds are kept.
        let facts = TarEntryFacts(uid: overrides["uid"].flatMap { Int64($0) } ?? number(108, 8),
                                  gid: overrides["gid"].flatMap { Int64($0) } ?? number(116, 8),
                                  mtime: overrides["mtime"].flatMap { text in Int64(text.prefix { $0 != "." }) } ?? number(136, 12),
                                  hasExtendedAttributes: overrides.keys.contains { $0.hasPrefix("SCHILY.xattr.") || $0.hasPrefix("LIBARCHIVE.xattr.") || $0.hasPrefix("SCHILY.acl.") })
        overrides.removeAll()
        while name.hasSuffix("/") { name.removeLast() }
        if name.hasPrefix("./") { name.removeFirst(2) }
        let mode = UInt32(number(100, 8) & 0o7777)
        let kind: TarEntry.Kind
        switch typeflag {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): kind = .file(size: size)
        case UInt8(ascii: "5"): kind = .directory; size = 0
        case UInt8(ascii: "2"): kind = .symlink(target: link); size = 0
        case UInt8(ascii: "1"): kind = .hardlink(target: link); size = 0
        default:
            // Devices, FIFOs and the like are reported (an extractor refuses them); any content is skipped.
            kind = .special(typeflag: typeflag)
            discarding = true
        }
        // The root itself ("/", "./") is reported as ".": what it means is the extractor's call.
        try onHeader(TarEntry(name: name.isEmpty ? "." : name, kind: kind, mode: mode), facts)
        try startContent(size)
    }

    private func startContent(_ size: Int64) throws {
        remaining = size
        padding = (512 - size % 512) % 512
        if size == 0 { try finishedContent() }
    }

    static func parsePax(_ data: Data) -> [String: String] {
        var result: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let equals = line[space...].firstIndex(of: "=") else { continue }
            result[String(line[line.index(after: space)..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }
}

/// What a tar header says about an entry beyond its name, kind and mode.
public struct TarEntryFacts: Equatable, Sendable {
    public var uid: Int64
    public var gid: Int64
    /// Modification time, whole seconds since the epoch.
    public var mtime: Int64
    /// Whether PAX records give it extended attributes or ACLs.
    public var hasExtendedAttributes: Bool
}
