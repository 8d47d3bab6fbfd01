import Foundation

/// Sketch contents as base64 of packed little-endian bytes (profile format 2): a number is 8
/// bytes, about 11 characters, where JSON's decimal spelling takes up to 24 and a pretty-
/// printed line of its own; the bits round-trip exactly.
enum PackedEncoding {
    /// Doubles as base64 of their IEEE 754 bits, little-endian.
    static func encode(_ values: [Double]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    /// The doubles of `encode`; nil when the text is not base64 of a whole number of doubles.
    static func decodeDoubles(_ text: String) -> [Double]? {
        guard let data = Data(base64Encoded: text), data.count % 8 == 0 else { return nil }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }
}

/// Which profile format version a decoder reads, so sketches decode the shape that version
/// wrote (`Profile.decode` sets it; without it, the current version).
enum ProfileFormatVersion {
    static let key = CodingUserInfoKey(rawValue: "sluice.profile.version")!

    static func of(_ decoder: Decoder) -> Int {
        decoder.userInfo[key] as? Int ?? Profile.currentVersion
    }
}
