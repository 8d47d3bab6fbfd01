/// The distinct values a Parquet page's cells refer to: the column chunk's dictionary, or
/// the page's own values when it has none. A value's check can be worked out once here and
/// looked up for each cell that refers to it (`ParquetColumnCells`).
public struct ParquetPageValues {
    let values: ParquetDecodedValues

    init(_ values: ParquetDecodedValues) {
        self.values = values
    }

    /// The number of values.
    public var count: Int { values.count }

    /// Whether both are the same values (the same dictionary or page), so what was worked
    /// out for one holds for the other.
    public func isSame(as other: ParquetPageValues) -> Bool { values === other.values }

    /// Value `index`'s text, as a row would hold it (`ParquetText`); valid while these values are kept.
    public func text(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = values.offsets[index]
        return UnsafeBufferPointer(start: values.text + start, count: values.offsets[index + 1] - start)
    }

    /// Value `index` as the file stores it, for the columns that keep numbers or booleans
    /// typed (`TableReader.storedValue(_:)`); nil for other columns.
    public func stored(_ index: Int) -> StoredValue? {
        switch values.stored {
        case .none: return nil
        case .integers(let p): return .integer(p[index])
        case .doubles(let p): return .double(p[index])
        case .booleans(let p): return .boolean(p[index])
        }
    }
}

/// One column's cells in a batch of Parquet rows (`TableReader.parquetBatch(limit:)`), as
/// its current page holds them: cell `r` of the batch is null when `levels[r] == 0`;
/// otherwise it is the next of the present cells, which refer to `values` by
/// `indices[k]` (a dictionary page) or are `values`' entries `firstValue + k` in order.
/// Valid until the reader moves past the batch.
public struct ParquetColumnCells {
    /// One definition level per row of the batch; nil when no cell of the page is null.
    public let levels: UnsafePointer<Int32>?
    /// The present cells' indices into `values`; nil when the page stores its values plainly.
    public let indices: UnsafePointer<Int32>?
    /// For a page without indices: the entry of `values` the first present cell holds.
    public let firstValue: Int
    public let values: ParquetPageValues
}
