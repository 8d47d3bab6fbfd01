/// The layout of a data file: which format and, for delimited text, which dialect.
public struct TableSource: Sendable, Equatable {
    /// The container format of a data file.
    public enum Format: String, Sendable, Equatable, Codable {
        /// Delimited text (RFC 4180 CSV, TSV, ...).
        case csv
        /// JSON Lines: one flat JSON object per line.
        case jsonLines = "jsonl"
        /// Apache Parquet: typed columns, read as the text a CSV cell would hold.
        case parquet
    }

    /// The file path, or `-` for standard input.
    public var path: String
    /// The container format.
    public var format: Format
    /// The field separator for delimited text.
    public var delimiter: UInt8
    /// The quote character for delimited text.
    public var quote: UInt8
    /// Read only this share of the table (see `TableShare`); nil reads all of it.
    public var share: TableShare?
    /// Whether the first record holds the column names (never for Parquet, whose columns
    /// are named in its footer, so its rows count from 1).
    public var hasHeader: Bool

    /// Describes `path`, inferring format and delimiter from its name
    /// (`.jsonl`/`.ndjson` are JSON Lines, `.parquet`/`.parq`/`.pq` are Parquet, `.tsv`/`.tab`
    /// are tab-separated; a `.gz` suffix is ignored).
    public init(path: String, format: Format? = nil, delimiter: UInt8? = nil, quote: UInt8 = UInt8(ascii: "\""), hasHeader: Bool = true) {
        self.path = path
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        self.format = format ?? Self.inferFormat(name)
        let tabSeparated = name.hasSuffix(".tsv") || name.hasSuffix(".tab")
        self.delimiter = delimiter ?? (tabSeparated ? UInt8(ascii: "\t") : UInt8(ascii: ","))
        self.quote = quote
        self.hasHeader = self.format == .parquet ? false : hasHeader
    }

    /// The format a (lower-cased, `.gz`-less) file name says.
    static func inferFormat(_ name: String) -> Format {
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonLines }
        if name.hasSuffix(".parquet") || name.hasSuffix(".parq") || name.hasSuffix(".pq") { return .parquet }
        return .csv
    }
}
