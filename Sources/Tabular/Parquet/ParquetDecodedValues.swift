/// The decoded values of one page or dictionary in memory of its own, so the row reader
/// reaches them through plain pointers and touches no reference counts per cell: each
/// value's text (`ParquetText`) and, for columns that store numbers or booleans, the value
/// itself, which `TableReader.storedValue(_:)` hands to readers that skip the text.
final class ParquetDecodedValues {
    /// Value `i`'s text is `text[offsets[i]..<offsets[i + 1]]`.
    let text: UnsafeMutablePointer<UInt8>
    let offsets: UnsafeMutablePointer<Int>
    let stored: Stored
    let count: Int

    /// The values as the file stores them, for the columns whose text a cell parser would
    /// read back to the same value (see `ParquetColumn.storedKind`).
    enum Stored {
        case none
        case integers(UnsafeMutablePointer<Int64>)
        case doubles(UnsafeMutablePointer<Double>)
        case booleans(UnsafeMutablePointer<Bool>)
    }

    /// Renders `values` (decoded for `column`) and keeps them typed when the column stores numbers or booleans.
    init(_ values: ParquetValues, column: ParquetColumn) throws {
        let rendered = try ParquetText(column: column).render(values)
        count = rendered.count
        text = Self.copyText(rendered.data)
        offsets = Self.copy(rendered.offsets)
        stored = Self.keep(values, kind: column.storedKind)
    }

    deinit {
        text.deallocate()
        offsets.deallocate()
        switch stored {
        case .none: break
        case .integers(let p): p.deallocate()
        case .doubles(let p): p.deallocate()
        case .booleans(let p): p.deallocate()
        }
    }

    /// Zero bytes after the last value's text, so that the row reader copies a short value
    /// as two 8-byte words instead of calling `memmove`.
    static let textPadding = 16

    /// The text bytes in memory of their own, followed by `textPadding` zeros.
    private static func copyText(_ data: [UInt8]) -> UnsafeMutablePointer<UInt8> {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: data.count + textPadding)
        data.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.initialize(from: base, count: $0.count) } }
        (pointer + data.count).initialize(repeating: 0, count: textPadding)
        return pointer
    }

    /// `array`'s elements in memory of their own (at least one slot, so never a null pointer).
    static func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
        array.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.update(from: base, count: $0.count) } }
        return pointer
    }

    private static func keep(_ values: ParquetValues, kind: ParquetColumn.StoredKind?) -> Stored {
        switch (kind, values) {
        case (.integer?, .int32s(let v)): return .integers(copy(v.map { Int64($0) }))
        case (.integer?, .int64s(let v)): return .integers(copy(v))
        case (.double?, .doubles(let v)): return .doubles(copy(v))
        case (.boolean?, .booleans(let v)): return .booleans(copy(v))
        default: return .none
        }
    }
}
