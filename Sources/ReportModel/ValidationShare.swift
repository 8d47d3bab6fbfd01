import Foundation

/// What one of N parallel jobs validated (`sluice validate --shard i/N --part FILE`): what
/// `sluice validate merge` needs to put the parts together as a single pass finds them.
public struct ValidationShare: Codable, Equatable, Sendable {
    /// The share, 1-based, and how many there are.
    public var index: Int
    public var count: Int
    /// For one CSV file read in byte ranges: the bytes of its records, `[start, end)`.
    public var byteRange: [Int]?
    /// Bytes the job read (its range, the header, and the search for its boundaries).
    public var bytesRead: Int
    /// Whether this part's rows (and lines, outside a dataset) count from the share's first
    /// record, so the merge adds those of the shares before it; false when they are
    /// already as in a single pass (the first share; Parquet, whose footers count rows).
    public var countsFromShareStart: Bool
    /// Physical lines this share's records span (the header's too, for the first share).
    public var lineCount: Int
    /// Whether the read stopped at a `source-error`; a single pass stops there, so the
    /// merge leaves out the shares after this one.
    public var stoppedEarly: Bool
    /// For `unique` fields and the primary key (key `primaryKey`): the rows holding the
    /// first occurrence, within this share, of each value, as fingerprints the merge
    /// compares with the shares before it (repeats within the share are already errors).
    public var firstOccurrences: [String: KeyOccurrences]?

    public init(index: Int, count: Int, byteRange: [Int]?, bytesRead: Int, countsFromShareStart: Bool, lineCount: Int, stoppedEarly: Bool, firstOccurrences: [String: KeyOccurrences]?) {
        self.index = index
        self.count = count
        self.byteRange = byteRange
        self.bytesRead = bytesRead
        self.countsFromShareStart = countsFromShareStart
        self.lineCount = lineCount
        self.stoppedEarly = stoppedEarly
        self.firstOccurrences = firstOccurrences
    }

    /// The key name `firstOccurrences` uses for the primary key.
    public static let primaryKey = "primaryKey"
}

/// The rows (frictionless numbering) and lines holding the first occurrence, within one
/// share, of each value of a key, with the values' 64-bit fingerprints.
public struct KeyOccurrences: Codable, Equatable, Sendable {
    public private(set) var rows: [Int] = []
    public private(set) var lines: [Int] = []
    /// Written as base64 of 8 little-endian bytes each: compact, and exact where JSON
    /// numbers lose precision past 2^53.
    public private(set) var fingerprints: [UInt64] = []

    public init() {}

    public mutating func append(row: Int, line: Int, fingerprint: UInt64) {
        rows.append(row)
        lines.append(line)
        fingerprints.append(fingerprint)
    }

    enum CodingKeys: String, CodingKey { case rows, lines, fingerprints }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rows = try container.decode([Int].self, forKey: .rows)
        lines = try container.decode([Int].self, forKey: .lines)
        let text = try container.decode(String.self, forKey: .fingerprints)
        guard let bytes = Data(base64Encoded: text), bytes.count == rows.count * 8, lines.count == rows.count else {
            throw DecodingError.dataCorruptedError(forKey: .fingerprints, in: container, debugDescription: "expected base64 of 8 bytes per row, for as many rows as lines")
        }
        fingerprints = bytes.withUnsafeBytes { raw in (0..<rows.count).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) } }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(lines, forKey: .lines)
        var bytes = Data(capacity: fingerprints.count * 8)
        for fingerprint in fingerprints { withUnsafeBytes(of: fingerprint.littleEndian) { bytes.append(contentsOf: $0) } }
        try container.encode(bytes.base64EncodedString(), forKey: .fingerprints)
    }
}
