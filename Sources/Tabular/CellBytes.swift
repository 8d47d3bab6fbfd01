import Foundation

/// Cell bytes as readers of typed columns take them, straight from the reader's field
/// views: no `String` is built for a cell on the common path, and every answer is the one
/// the `String` of the cell would give.
public enum CellBytes {
    /// Calls `body` with `raw` without surrounding white space (Foundation's `.whitespaces`).
    /// A byte from 0x21 to 0x7F starts or ends no white space, so most cells are passed as
    /// they are; Foundation's trimming on every cell was a third of the encoding's time.
    @inlinable
    public static func trimmed<R>(_ raw: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let first = raw.first, let last = raw.last, !(first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80) {
            var text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return try text.withUTF8 { try body($0) }
        }
        return try body(raw)
    }

    /// A number as Swift's `Double(String)` reads it: plain decimals straight from the
    /// bytes (correctly rounded, so the same value), anything else through `Double(String)`.
    @inlinable
    public static func number(_ cell: UnsafeBufferPointer<UInt8>) -> Double? {
        NumberSyntax.double(cell) ?? Double(text(cell))
    }

    /// The cell as a `String` (invalid UTF-8 repaired, as `TableReader.string` does).
    @inlinable
    public static func text(_ cell: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: cell, as: UTF8.self)
    }

    /// A fingerprint of the cell's text under which canonically equivalent texts (equal as
    /// `String`s) are one: an ASCII text is its own canonical form, any other is
    /// fingerprinted in its NFC form (invalid UTF-8 repaired first, as `text` does).
    @inlinable
    public static func textFingerprint(_ cell: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if isASCII(cell) { return ByteFingerprint.of(cell) }
        return textFingerprint(text(cell))
    }

    /// `textFingerprint` of a `String`.
    public static func textFingerprint(_ text: String) -> UInt64 {
        var canonical = text.precomposedStringWithCanonicalMapping
        return canonical.withUTF8 { ByteFingerprint.of($0) }
    }

    /// Whether two cells' texts are equal as `String`s: byte by byte when both are ASCII.
    @inlinable
    public static func textsEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if isASCII(a), isASCII(b) { return a.elementsEqual(b) }
        return text(a) == text(b)
    }

    /// Whether every byte is ASCII: such a cell equals another as a `String` exactly when
    /// their bytes are equal.
    @inlinable
    public static func isASCII(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        !cell.contains { $0 >= 0x80 }
    }
}

/// A list of texts that cells are compared with (missing values, boolean words,
/// categories): bytes against bytes when both are ASCII, else as `String ==` compares
/// (canonical equivalence), so the answer is the one a `String` comparison gives.
public struct CellTexts {
    public let texts: [String]
    private let bytes: [[UInt8]]
    private let allASCII: Bool

    public init(_ texts: [String]) {
        self.texts = texts
        bytes = texts.map { Array($0.utf8) }
        allASCII = bytes.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
    }

    /// The index of the first text equal to `cell`.
    public func firstIndex(of cell: UnsafeBufferPointer<UInt8>) -> Int? {
        guard allASCII, CellBytes.isASCII(cell) else { return texts.firstIndex(of: CellBytes.text(cell)) }
        for (index, text) in bytes.enumerated() where text.count == cell.count {
            if text.isEmpty || text.withUnsafeBufferPointer({ memcmp($0.baseAddress!, cell.baseAddress!, cell.count) == 0 }) { return index }
        }
        return nil
    }

    public func contains(_ cell: UnsafeBufferPointer<UInt8>) -> Bool { firstIndex(of: cell) != nil }

    /// Whether `raw`, without surrounding white space, is one of the texts: a missing value
    /// as the trainers and the training data's assembly read one.
    public func containsTrimmed(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        CellBytes.trimmed(raw) { contains($0) }
    }
}
