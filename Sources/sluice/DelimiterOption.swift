import ArgumentParser

/// Reads a `--delimiter` value shared by the commands that read delimited text.
enum DelimiterOption {
    /// One byte, `tab` for a tab; nil to infer the delimiter from the file name.
    static func byte(_ value: String?) throws -> UInt8? {
        guard let value else { return nil }
        if value == "tab" || value == "\\t" || value == "\t" { return UInt8(ascii: "\t") }
        let bytes = Array(value.utf8)
        guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n"), bytes[0] != UInt8(ascii: "\r") else {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or a line break (or 'tab'), got \"\(value)\"")
        }
        return bytes[0]
    }
}
