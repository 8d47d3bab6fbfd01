/// Small integer codes for the distinct texts of a column, so that a column of a million
/// class labels is a million codes and a handful of strings.
///
/// Texts are told apart as `String ==` tells them (canonical equivalence), so a column
/// read as codes has exactly the distinct values its `String`s would have. ASCII cells
/// (equal as `String`s exactly when their bytes are) are found by fingerprint and byte
/// comparison without building a `String`; other cells go through `String`.
public struct TextCodes {
    /// The distinct texts in order of first appearance; a code indexes this list.
    public private(set) var texts: [String] = []
    private var codeOfText: [String: Int32] = [:]
    /// ASCII byte strings seen, by fingerprint (the next free key on a collision), each
    /// with its own bytes and its text's code.
    private var asciiByFingerprint: [UInt64: Int32] = [:]
    private var asciiBytes: [[UInt8]] = []
    private var asciiCodes: [Int32] = []

    public init() {}

    /// The code of `cell`'s text, a new one when the text is new.
    public mutating func code(of cell: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard CellBytes.isASCII(cell) else { return code(of: CellBytes.text(cell)) }
        var key = ByteFingerprint.of(cell)
        while let entry = asciiByFingerprint[key] {
            if asciiBytes[Int(entry)].elementsEqual(cell) { return asciiCodes[Int(entry)] }
            key &+= 1
        }
        let code = code(of: CellBytes.text(cell))
        asciiByFingerprint[key] = Int32(asciiBytes.count)
        asciiBytes.append(Array(cell))
        asciiCodes.append(code)
        return code
    }

    /// The code of `text`, a new one when the text is new.
    public mutating func code(of text: String) -> Int32 {
        if let code = codeOfText[text] { return code }
        let code = Int32(texts.count)
        texts.append(text)
        codeOfText[text] = code
        return code
    }
}
