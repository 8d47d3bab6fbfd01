import Foundation

/// The part of a table one of N parallel jobs reads (`--shard i/N`, or GitLab's
/// `parallel:` through `CI_NODE_INDEX`/`CI_NODE_TOTAL`).
///
/// A share is whole units, so each job reads only its bytes: the files of a dataset, or
/// the row groups of one Parquet file, split into N contiguous runs of about equal size;
/// of one plain CSV file, a byte range cut at record starts (`CSVByteShare`).
public struct TableShare: Equatable, Sendable, CustomStringConvertible {
    /// 0-based index of this share.
    public let index: Int
    /// How many shares there are.
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index))
        self.index = index
        self.count = count
    }

    /// Parses `i/N` (1-based, as CI systems number jobs); nil when it is not that.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        self.init(index: i - 1, count: n)
    }

    /// GitLab's `parallel:` job numbering (`CI_NODE_INDEX` of `CI_NODE_TOTAL`, 1-based);
    /// nil when the variables are absent or not a valid pair.
    public static func fromEnvironment(_ environment: [String: String]) -> TableShare? {
        guard let index = environment["CI_NODE_INDEX"], let total = environment["CI_NODE_TOTAL"] else { return nil }
        return TableShare(parsing: "\(index)/\(total)")
    }

    /// `i/N`, 1-based.
    public var description: String { "\(index + 1)/\(count)" }

    /// Whether `source` can be read in shares: a dataset (directory or glob), a Parquet
    /// file, or one plain CSV file. Not a gzip file (it must be inflated from its start to
    /// reach any byte), JSON Lines, or standard input.
    public static func canSplit(_ source: TableSource) -> Bool {
        if DatasetFiles.isDataset(source.path) || source.format == .parquet { return true }
        return source.format == .csv && source.path != "-" && !isGzip(source.path)
    }

    /// Whether the file at `path` starts with gzip's magic bytes.
    static func isGzip(_ path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        return (try? file.read(upToCount: 2)) == Data([0x1F, 0x8B])
    }

    /// The contiguous run of `sizes.count` units (files, row groups) this share reads: a
    /// unit goes to the share whose slice of the total size holds the unit's middle byte.
    func units(sizes: [Int64]) -> Range<Int> {
        let total = max(sizes.reduce(0, +), 1)
        var first = sizes.count, last = sizes.count
        var before: Int64 = 0
        for (unit, size) in sizes.enumerated() {
            let owner = Int((before + size / 2) * Int64(count) / total)
            if owner == index && first == sizes.count { first = unit }
            if owner > index { last = unit; break }
            before += size
        }
        return first == sizes.count ? sizes.count..<sizes.count : first..<last
    }
}
