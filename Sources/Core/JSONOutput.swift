import Foundation

/// The one JSON style Sluice writes: sorted keys and two-space indentation, so that files
/// diff cleanly in merge requests and are byte-identical across runs.
public enum JSONOutput {
    /// An encoder with Sluice's output settings.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// Encodes `value` as a UTF-8 JSON string ending with a newline.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        let data = try encoder().encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A decoder matching `encoder()`'s handling of non-finite numbers.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}
