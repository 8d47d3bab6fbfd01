import Foundation

/// The files of a dataset: a directory (searched recursively) or a glob pattern naming
/// data files of one format, in sorted path order, with hive-style `key=value` directory
/// segments read as partition values.
///
/// ```
/// data/date=2026-11-01/region=eu/part-0.parquet   ->  date = 2026-11-01, region = eu
/// ```
public struct DatasetFiles: Equatable, Sendable {
    /// One file of the dataset.
    public struct File: Equatable, Sendable {
        public let path: String
        /// Partition values from the path, in `partitionKeys` order.
        public let partitionValues: [String]
        /// Bytes on disk, for dividing the files among shares.
        public let size: Int64
    }

    /// What the user named: the directory or the pattern.
    public let location: String
    public let format: TableSource.Format
    /// Keys of the hive-style segments, outermost first (every file has the same keys).
    public let partitionKeys: [String]
    public let files: [File]

    /// Whether `path` names a dataset rather than one file: an existing directory, or a
    /// pattern with `*`, `?` or `[` that is not itself an existing file.
    public static func isDataset(_ path: String) -> Bool {
        guard path != "-" else { return false }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return isDirectory.boolValue }
        return path.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
    }

    /// Resolves a directory or glob into its data files. Throws `TableReadError` (exit 3)
    /// when nothing matches, when the files mix formats, or when their partition keys differ.
    public init(_ location: String) throws {
        self.location = location
        var isDirectory: ObjCBool = false
        let root: String
        var paths: [String]
        if FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory), isDirectory.boolValue {
            root = location
            paths = try Self.walk(location)
        } else {
            root = Self.literalPrefix(location)
            paths = try Self.expand(location)
        }
        paths = paths.filter(Self.isDataFile).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard let first = paths.first else {
            throw TableReadError(path: location, kind: .unreadable("no data files (.csv, .tsv, .jsonl, .ndjson, .parquet, optionally .gz) found"))
        }
        let format = Self.format(of: first)
        if let other = paths.first(where: { Self.format(of: $0) != format }) {
            throw TableReadError(path: location, kind: .unreadable("a dataset holds files of one format, but \(first) is \(format.rawValue) and \(other) is \(Self.format(of: other).rawValue)"))
        }
        self.format = format
        let segments = paths.map { Self.partitions(of: $0, under: root) }
        let keys = segments[0].map(\.key)
        for (path, parts) in zip(paths, segments) where parts.map(\.key) != keys {
            throw TableReadError(path: location, kind: .unreadable("\(path) has partition keys \(parts.map(\.key)); \(first) has \(keys): every file needs the same key=value directories"))
        }
        partitionKeys = keys
        files = zip(paths, segments).map { path, parts in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return File(path: path, partitionValues: parts.map(\.value), size: size)
        }
    }

    // MARK: - Finding files

    private static func walk(_ directory: String) throws -> [String] {
        guard let names = FileManager.default.enumerator(atPath: directory) else {
            throw TableReadError(path: directory, kind: .unreadable("cannot list the directory"))
        }
        var paths: [String] = []
        while let name = names.nextObject() as? String {
            // Hidden and underscore files (.crc, _SUCCESS, _delta_log) are writers' bookkeeping.
            if name.split(separator: "/").contains(where: { $0.hasPrefix(".") || $0.hasPrefix("_") }) { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { paths.append(path) }
        }
        return paths
    }

    private static func expand(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(pattern, 0, nil, &result)
        if status == GLOB_NOMATCH { return [] }
        guard status == 0 else { throw TableReadError(path: pattern, kind: .unreadable("the pattern cannot be expanded")) }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// The directory part of a pattern before its first wildcard: partition segments are read below it.
    private static func literalPrefix(_ pattern: String) -> String {
        let components = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let literal = components.prefix { !$0.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) }
        return literal.joined(separator: "/")
    }

    private static func isDataFile(_ path: String) -> Bool {
        var name = (path as NSString).lastPathComponent.lowercased()
        if name.hasPrefix(".") || name.hasPrefix("_") { return false }
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return [".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet", ".parq", ".pq"].contains { name.hasSuffix($0) }
    }

    private static func format(of path: String) -> TableSource.Format {
        TableSource(path: path).format
    }

    /// `key=value` directory segments between `root` and the file, values percent-decoded
    /// (as Hive and pyarrow write them).
    static func partitions(of path: String, under root: String) -> [(key: String, value: String)] {
        var relative = path
        if !root.isEmpty, path.hasPrefix(root) { relative = String(path.dropFirst(root.count)) }
        let directories = relative.split(separator: "/").dropLast()
        return directories.compactMap { segment in
            guard let equals = segment.firstIndex(of: "="), equals != segment.startIndex else { return nil }
            let key = String(segment[..<equals])
            let raw = String(segment[segment.index(after: equals)...])
            let value = raw.removingPercentEncoding ?? raw
            // Hive and pyarrow write a null partition value as this marker.
            return (key, value == "__HIVE_DEFAULT_PARTITION__" ? "" : value)
        }
    }
}
