import Config
import Core
import Foundation
import Tabular

/// `data.split`: a first run from one labelled file needs no split script. Each row is held
/// out when the hash of its `by` column (an id), or of the whole row, falls below `holdout`:
/// the same rows on every machine and every run, and a row of the reference that is held
/// out is never trained on, whichever file it reaches training through.
public struct HoldoutSplit: Decodable, Equatable, Sendable {
    /// The share of rows held out, between 0 and 1 (exclusive).
    public var holdout: Double
    /// The column whose value is hashed (an id keeps a row's side when other columns change);
    /// nil hashes the whole row.
    public var by: String?

    public init(holdout: Double, by: String? = nil) {
        self.holdout = holdout
        self.by = by
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        holdout = try c.decodeIfPresent(Double.self, forKey: .holdout) ?? 0.2
        by = try c.decodeIfPresent(String.self, forKey: .by)
        guard holdout > 0, holdout < 1 else {
            throw DecodingError.dataCorruptedError(forKey: .holdout, in: c, debugDescription: "holdout must be between 0 and 1 (exclusive), got \(holdout)")
        }
    }

    enum CodingKeys: String, CodingKey { case holdout, by }

    /// Which side of the split `write` keeps.
    public enum Side: Sendable { case training, holdout }

    /// Writes the rows of `source` on `side` to `output` (CSV); returns how many.
    @discardableResult
    public func write(_ source: String, side: Side, to output: String) throws -> Int {
        let reader = try TableReader(TableSource(path: source))
        let key = try by.map { name -> Int in
            guard let index = reader.header.firstIndex(of: name) else {
                throw Failure.usage("data.split.by: \(source) has no column '\(name)'")
            }
            return index
        }
        try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let writer = try CSVWriter(path: output, header: reader.header)
        do {
            while try reader.next() {
                guard reader.fieldCount > 0 else { continue }
                let held = isHeldOut(key.map { [reader.string($0)] } ?? reader.strings())
                if held == (side == .holdout) { try writer.write(reader) }
            }
            try writer.close()
        } catch {
            writer.discard()
            throw error
        }
        return writer.recordCount
    }

    /// FNV-1a (64 bits) over the fields, separated by a unit separator, then MurmurHash3's
    /// finaliser (FNV alone leaves the high bits of short ids such as "17" poorly mixed),
    /// mapped to [0, 1).
    func isHeldOut(_ fields: [String]) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, field) in fields.enumerated() {
            if index > 0 { hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3 }
            for byte in field.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Double(hash >> 11) / Double(1 << 53) < holdout
    }
}
