import Core
import Foundation

/// Per-column statistics of a table from one streaming pass: versioned JSON, and mergeable,
/// so shards profiled in parallel jobs combine into the profile of the whole.
/// See docs/commands/profile.md for the format.
public struct Profile: Codable, Equatable, Sendable {
    /// The value of `format` in every profile file.
    public static let formatName = "sluice-profile"
    /// The version of the shape written. Version 2 packs sketch contents as base64
    /// (`PackedEncoding`, sparse HyperLogLog registers); version 1 files are still read.
    public static let currentVersion = 2
    /// The versions this Sluice reads.
    public static let readableVersions = 1...currentVersion

    public var format: String
    public var version: Int
    /// The data files (and shards) profiled.
    public var sources: [String]
    /// Data rows seen (for a shard: the rows of that shard).
    public var rowCount: Int
    public var columns: [ColumnProfile]
    /// The sketches' parameters and error bounds.
    public var sketches: SketchSettings

    public init(sources: [String], rowCount: Int, columns: [ColumnProfile], sketches: SketchSettings) {
        format = Self.formatName
        version = Self.currentVersion
        self.sources = sources
        self.rowCount = rowCount
        self.columns = columns
        self.sketches = sketches
    }

    /// The column called `name`.
    public func column(_ name: String) -> ColumnProfile? { columns.first { $0.name == name } }

    /// Combines profiles of disjoint parts of a table. Counts, minimum, maximum, mean and
    /// variance equal those of profiling the concatenation (up to floating-point rounding of
    /// the mean and variance); quantiles stay within the sketch bound. A column absent from
    /// a part counts as missing on that part's rows.
    public static func merged(_ parts: [Profile]) throws -> Profile {
        guard var result = parts.first else { throw MergeError(message: "no profiles to merge") }
        for part in parts.dropFirst() {
            guard part.sketches == result.sketches else {
                throw MergeError(message: "profiles were made with different sketch settings (\(result.sketches) and \(part.sketches))")
            }
            var seen = Set<String>()
            for column in part.columns {
                seen.insert(column.name)
                if let index = result.columns.firstIndex(where: { $0.name == column.name }) {
                    try result.columns[index].merge(column)
                } else {
                    var added = column
                    added.missing += result.rowCount
                    result.columns.append(added)
                }
            }
            for index in result.columns.indices where !seen.contains(result.columns[index].name) {
                result.columns[index].missing += part.rowCount
            }
            result.rowCount += part.rowCount
            result.sources += part.sources
        }
        for index in result.columns.indices { result.columns[index].refreshSummary() }
        return result
    }

    /// Reads a profile file, checking its format and version.
    public static func read(path: String) throws -> Profile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Failure.runtime("cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(data, path: path)
    }

    /// Decodes a profile, checking its format and version; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws -> Profile {
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? JSONOutput.decoder().decode(Header.self, from: data), header.format == formatName else {
            throw Failure.usage("\(path): not a Sluice profile; expected a JSON object with \"format\": \"\(formatName)\"")
        }
        guard let version = header.version, readableVersions.contains(version) else {
            throw Failure.usage("\(path): profile version \(header.version.map(String.init) ?? "none") is not supported; this Sluice reads versions \(readableVersions.lowerBound) to \(currentVersion) (profile the data again with this Sluice)")
        }
        let decoder = JSONOutput.decoder()
        decoder.userInfo[ProfileFormatVersion.key] = version
        do {
            var profile = try decoder.decode(Profile.self, from: data)
            profile.version = currentVersion // held in the current shape now, and written so
            return profile
        } catch {
            throw Failure.usage("\(path): malformed profile (version \(version)): \(error)")
        }
    }

    /// Whether `path` names a profile: a `.json` file (data files are CSV, TSV or JSON Lines).
    /// Reading it checks that it really is one.
    public static func isProfile(path: String) -> Bool {
        path.lowercased().hasSuffix(".json")
    }
}

/// The sketch parameters a profile was made with; profiles merge only when they agree.
public struct SketchSettings: Codable, Equatable, Sendable, CustomStringConvertible {
    /// KLL top-level capacity.
    public var quantileK: Int
    /// The KLL normalised rank-error bound (99% confidence).
    public var quantileRankError: Double
    /// HyperLogLog precision (log2 registers).
    public var distinctPrecision: Int
    /// HyperLogLog relative standard error.
    public var distinctStandardError: Double
    /// Distinct labels counted exactly before the heavy-hitters summary takes over.
    public var categoryCapacity: Int

    public init(quantileK: Int = KLLSketch.defaultK, categoryCapacity: Int = 1024) {
        self.quantileK = quantileK
        quantileRankError = KLLSketch.rankErrorBound(k: quantileK)
        distinctPrecision = HyperLogLog.precision
        distinctStandardError = HyperLogLog.standardError
        self.categoryCapacity = categoryCapacity
    }

    public var description: String { "k=\(quantileK), categories=\(categoryCapacity)" }
}
