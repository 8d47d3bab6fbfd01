import Core
import Foundation

/// Writes a profile file one column at a time: each column is encoded on its own and
/// streamed to the atomic file, so a table of 100,000 columns never becomes one document
/// in memory. The bytes are those of encoding the whole `Profile` with `JSONOutput`
/// (sorted keys, two-space indentation), so both ways of writing give the same file.
public enum ProfileWriter {
    /// Writes `profile` to `path`.
    public static func write(_ profile: Profile, to path: String) throws {
        try write(sources: profile.sources, rowCount: profile.rowCount, sketches: profile.sketches, columnCount: profile.columns.count, column: { profile.columns[$0] }, to: path)
    }

    /// Writes a profile whose columns are made on demand by `column(index)`, in order, and
    /// dropped once written.
    public static func write(sources: [String], rowCount: Int, sketches: SketchSettings, columnCount: Int, column: (Int) throws -> ColumnProfile, to path: String) throws {
        let top = Profile(sources: sources, rowCount: rowCount, columns: [], sketches: sketches)
        guard columnCount > 0 else {
            try AtomicFile.write(try JSONOutput.string(top), to: path)
            return
        }
        let encoder = JSONOutput.encoder()
        // The other members, whose keys all sort after "columns".
        let rest = try encoder.encode(Members(top))
        try AtomicFile.stream(to: path) { output in
            try output.write("{\n  \"columns\" : [\n")
            for index in 0..<columnCount {
                try output.write(indented(try encoder.encode(try column(index))))
                try output.write(index + 1 < columnCount ? ",\n" : "\n")
            }
            try output.write("  ],\n")
            try output.write(rest.dropFirst(2)) // after "{\n"
            try output.write("\n")
        }
    }

    /// A column's JSON two levels deep: four more spaces before every line but the empty
    /// ones (which the encoder leaves bare), in one pass over its bytes.
    private static func indented(_ json: Data) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(json.count + json.count / 4)
        json.withUnsafeBytes { bytes in
            var atLineStart = true
            for byte in bytes {
                if atLineStart, byte != UInt8(ascii: "\n") { result.append(contentsOf: [0x20, 0x20, 0x20, 0x20]) }
                result.append(byte)
                atLineStart = byte == UInt8(ascii: "\n")
            }
        }
        return result
    }

    /// A profile's members other than its columns.
    private struct Members: Encodable {
        let profile: Profile
        init(_ profile: Profile) { self.profile = profile }

        private enum CodingKeys: String, CodingKey { case format, version, sources, rowCount, sketches }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(profile.format, forKey: .format)
            try container.encode(profile.version, forKey: .version)
            try container.encode(profile.sources, forKey: .sources)
            try container.encode(profile.rowCount, forKey: .rowCount)
            try container.encode(profile.sketches, forKey: .sketches)
        }
    }
}
