// TableReader's Parquet path: the header comes from the footer's schema, and each record
// is one row rendered as text fields by `ParquetRowReader`.
extension TableReader {
    func openParquet() throws {
        // In a dataset the share is of files; otherwise of the file's row groups.
        let rows = try ParquetRowReader(path: source.path, share: dataset == nil ? source.share : nil)
        parquetRows = rows
        header = rows.columnNames
        headerLine = 0
        recordNumber += Int(rows.rowsBefore)
    }

    func nextParquetRecord() throws -> Bool {
        guard let rows = parquetRows else { return false }
        let width = rows.parquet.columns.count
        ensureBoundsCapacity(max(width, 1))
        guard try rows.next(starts: starts, ends: ends) else { return false }
        fieldBase = rows.row
        fieldCount = width
        line = recordNumber + 1
        return true
    }

    /// The Table Schema type the file's own metadata gives each column (Parquet), or nil
    /// for text formats, whose types can only be inferred from the values.
    public var declaredTypes: [FieldType]? {
        parquetRows?.parquet.columns.map(\.tableSchemaType)
    }

    /// Field `index`'s value as the file stores it, when the current file is Parquet and
    /// the column holds signed integers, doubles or booleans (`StoredValue`); nil for a null
    /// cell, for other columns and for text formats. Valid until `next()`, like the field.
    /// Inlinable: the validator and the profiler ask for every cell.
    @inlinable @inline(__always)
    public func storedValue(_ index: Int) -> StoredValue? {
        guard index < storedWidth, let row = storedRow else { return nil }
        return row[index]
    }
}

// Batches: a validator that checks a column's distinct values once looks at the rows a
// column at a time and builds only the rows it must report on.
extension TableReader {
    /// Parquet: how many rows ahead, at most `limit`, every column's current page holds
    /// (`parquetCells(_:)`); 0 at the end of the file, or of a dataset of Parquet files,
    /// whose next file it opens when one ends (its rows' partition values are the current
    /// file's, `DatasetCursor.partitionValues`). Nil for other formats.
    public func parquetBatch(limit: Int) throws -> Int? {
        guard parquetRows != nil else { return nil }
        while true {
            let rows = try parquetRows!.batch(limit: limit)
            guard rows == 0, let dataset, try dataset.openNextFile(self) else { return rows }
        }
    }

    /// Column `index`'s cells from the next row to the end of the current batch.
    public func parquetCells(_ index: Int) -> ParquetColumnCells {
        parquetRows!.cells(index)
    }

    /// Passes over the next `count` rows of the current batch without building them: they
    /// count as read, and `next()` then builds the row after them.
    public func skipParquetRows(_ count: Int) {
        parquetRows!.skip(count)
        recordNumber += count
    }
}
