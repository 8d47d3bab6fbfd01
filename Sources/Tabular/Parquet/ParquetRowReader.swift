/// Reads a Parquet file's rows in order, one row group at a time, each row's fields
/// written as text (`ParquetText`) into one reusable buffer.
///
/// Only the current page of each column is decoded at any time, so memory follows the
/// page size and the widest row, not the file. A share of the row groups can be read (a
/// shard); rows keep their numbers in the whole file.
final class ParquetRowReader {
    let parquet: ParquetFile
    /// Indices of the row groups to read, ascending and contiguous.
    let rowGroups: Range<Int>
    /// Rows of the file before the first row group read.
    let rowsBefore: Int64

    /// The current row's bytes; fields are `row[starts[i]..<ends[i]]`.
    private(set) var row: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 12
    private var columns: [ColumnCursor] = []
    private var nextGroup: Int
    private var rowsLeftInGroup: Int64 = 0

    /// One column's position in its current page.
    private final class ColumnCursor {
        let reader: ParquetColumnReader
        var page: ParquetColumnReader.Page?
        var level = 0
        var value = 0
        init(_ reader: ParquetColumnReader) { self.reader = reader }
    }

    var columnNames: [String] { parquet.columns.map(\.name) }

    init(path: String, share: TableShare? = nil) throws {
        parquet = try ParquetFile(path: path)
        let groups = parquet.metadata.rowGroups
        rowGroups = share?.units(sizes: groups.map(\.compressedSize)) ?? 0..<groups.count
        rowsBefore = parquet.metadata.rowGroups[0..<self.rowGroups.lowerBound].reduce(0) { $0 + $1.rowCount }
        nextGroup = self.rowGroups.lowerBound
        row = .allocate(capacity: capacity)
    }

    deinit { row.deallocate() }

    /// Reads no further rows (a dataset share that holds no file keeps the first file's columns).
    func finish() {
        nextGroup = rowGroups.upperBound
        rowsLeftInGroup = 0
    }

    /// Bytes read from the file so far.
    var bytesRead: Int64 { parquet.file.bytesRead }

    /// Makes the next row current, writing its field bounds into `starts` and `ends`
    /// (which hold at least `columnNames.count` entries). Returns false after the last row.
    func next(starts: UnsafeMutablePointer<Int>, ends: UnsafeMutablePointer<Int>) throws -> Bool {
        while rowsLeftInGroup == 0 {
            guard nextGroup < rowGroups.upperBound else { return false }
            try openGroup(nextGroup)
            nextGroup += 1
        }
        rowsLeftInGroup -= 1
        var used = 0
        for (index, cursor) in columns.enumerated() {
            let page = try currentPage(cursor)
            let present = page.levels.map { $0[cursor.level] != 0 } ?? true
            cursor.level += 1
            starts[index] = used
            if present {
                let value = page.indices.map { Int($0[cursor.value]) } ?? cursor.value
                cursor.value += 1
                let from = page.text.offsets[value]
                let count = page.text.offsets[value + 1] - from
                reserve(used + count)
                page.text.data.withUnsafeBufferPointer { (row + used).update(from: $0.baseAddress! + from, count: count) }
                used += count
            }
            ends[index] = used
        }
        return true
    }

    /// The column's page holding the current row, decoding the next page when one is used up.
    private func currentPage(_ cursor: ColumnCursor) throws -> ParquetColumnReader.Page {
        while cursor.page == nil || cursor.level == cursor.page!.valueCount {
            do {
                cursor.page = try cursor.reader.nextPage()
            } catch let error as ParquetDecodeError {
                let writer = parquet.metadata.createdBy.map { " (written by \($0))" } ?? ""
                throw ParquetFile.corrupt(parquet.file.path, "row group \(nextGroup) of \(parquet.metadata.rowGroups.count), column \"\(cursor.reader.column.name)\": \(error)\(writer)")
            }
            cursor.level = 0
            cursor.value = 0
        }
        return cursor.page!
    }

    private func openGroup(_ group: Int) throws {
        let metadata = parquet.metadata.rowGroups[group]
        rowsLeftInGroup = metadata.rowCount
        columns = zip(parquet.columns, metadata.columns).map { column, chunk in
            ColumnCursor(ParquetColumnReader(file: parquet.file, column: column, chunk: chunk))
        }
    }

    private func reserve(_ needed: Int) {
        guard needed > capacity else { return }
        var grown = capacity
        while grown < needed { grown *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: row, count: capacity)
        row.deallocate()
        row = bigger
        capacity = grown
    }
}
