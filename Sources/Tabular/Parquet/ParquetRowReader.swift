/// Reads a Parquet file's rows in order, one row group at a time, each row's fields
/// written as text (`ParquetText`) into one reusable buffer, with the stored values of
/// numeric and boolean columns beside them (`storedRow`).
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

    // The per-row state is touched for every cell and never from two places at once:
    // no run-time exclusivity checks (@exclusivity(unchecked)).
    /// The current row's bytes; fields are `row[starts[i]..<ends[i]]`.
    @exclusivity(unchecked) private(set) var row: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity = 1 << 12
    /// The number of columns.
    let width: Int
    /// The current row's stored values, one per column: nil for a null cell and for a
    /// column whose values are not kept typed (`StoredValue`). `TableReader.storedValue(_:)`
    /// reads it without a call.
    let storedRow: UnsafeMutablePointer<StoredValue?>
    private var readers: [ParquetColumnReader] = []
    /// Each column's current page, kept alive while `positions` point into it.
    private var pages: [ParquetColumnReader.Page?] = []
    /// Each column's place in its page, read through plain pointers: the per-cell loop
    /// touches no reference counts (retain and release were half of a pass before).
    private let positions: UnsafeMutablePointer<Position>
    @exclusivity(unchecked) private var nextGroup: Int
    @exclusivity(unchecked) private var rowsLeftInGroup: Int64 = 0

    /// One column's place in its current page.
    private struct Position {
        var levels: UnsafeMutablePointer<Int32>?
        var indices: UnsafeMutablePointer<Int32>?
        var text: UnsafeMutablePointer<UInt8>?
        var offsets: UnsafeMutablePointer<Int>?
        var stored = ParquetDecodedValues.Stored.none
        /// Levels (rows) in the page; 0 until a page is read.
        var valueCount = 0
        var level = 0
        var value = 0

        init() {}

        init(_ page: ParquetColumnReader.Page) {
            levels = page.levels
            indices = page.indices
            text = page.values.text
            offsets = page.values.offsets
            stored = page.values.stored
            valueCount = page.valueCount
        }
    }

    var columnNames: [String] { parquet.columns.map(\.name) }

    convenience init(path: String, share: TableShare? = nil) throws {
        let parquet = try ParquetFile(path: path)
        let groups = parquet.metadata.rowGroups
        self.init(parquet, rowGroups: share?.units(sizes: groups.map(\.compressedSize)) ?? 0..<groups.count)
    }

    /// A reader of `rowGroups` of `parquet`.
    init(_ parquet: ParquetFile, rowGroups: Range<Int>) {
        self.parquet = parquet
        self.rowGroups = rowGroups
        rowsBefore = parquet.metadata.rowGroups[0..<rowGroups.lowerBound].reduce(0) { $0 + $1.rowCount }
        nextGroup = rowGroups.lowerBound
        row = .allocate(capacity: capacity)
        width = parquet.columns.count
        positions = .allocate(capacity: max(width, 1))
        positions.initialize(repeating: Position(), count: width)
        storedRow = .allocate(capacity: max(width, 1))
        storedRow.initialize(repeating: nil, count: max(width, 1))
    }

    deinit {
        row.deallocate()
        positions.deinitialize(count: width)
        positions.deallocate()
        storedRow.deallocate()
    }

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
        for index in 0..<width {
            let position = positions + index
            if position.pointee.level == position.pointee.valueCount { try loadPage(index) }
            let present = position.pointee.levels.map { $0[position.pointee.level] != 0 } ?? true
            position.pointee.level += 1
            starts[index] = used
            if present {
                let value = position.pointee.indices.map { Int($0[position.pointee.value]) } ?? position.pointee.value
                position.pointee.value += 1
                switch position.pointee.stored {
                case .none: break
                case .integers(let values): storedRow[index] = .integer(values[value])
                case .doubles(let values): storedRow[index] = .double(values[value])
                case .booleans(let values): storedRow[index] = .boolean(values[value])
                }
                let from = position.pointee.offsets![value]
                let count = position.pointee.offsets![value + 1] - from
                reserve(used + count + ParquetDecodedValues.textPadding)
                copyText(from: position.pointee.text! + from, count: count, to: row + used)
                used += count
            } else {
                storedRow[index] = nil
            }
            ends[index] = used
        }
        return true
    }

    /// How many rows ahead every column's current page holds (at most `limit`), loading
    /// pages and opening the next row group as needed; 0 after the last row. Those rows can
    /// be looked at a column at a time (`cells(_:)`), skipped (`skip(_:)`) or built (`next`).
    func batch(limit: Int) throws -> Int {
        while rowsLeftInGroup == 0 {
            guard nextGroup < rowGroups.upperBound else { return 0 }
            try openGroup(nextGroup)
            nextGroup += 1
        }
        var rows = min(Int(rowsLeftInGroup), limit)
        for index in 0..<width {
            if positions[index].level == positions[index].valueCount { try loadPage(index) }
            rows = min(rows, positions[index].valueCount - positions[index].level)
        }
        return rows
    }

    /// Passes over `count` rows of the current batch without building them.
    func skip(_ count: Int) {
        rowsLeftInGroup -= Int64(count)
        for index in 0..<width {
            let position = positions + index
            var present = count
            if let levels = position.pointee.levels {
                present = UnsafeBufferPointer(start: levels + position.pointee.level, count: count).reduce(0) { $0 &+ Int($1) }
            }
            position.pointee.level += count
            position.pointee.value += present
        }
    }

    /// Column `index`'s cells from the current row to the end of the current batch.
    func cells(_ index: Int) -> ParquetColumnCells {
        let position = positions[index]
        return ParquetColumnCells(
            levels: position.levels.map { UnsafePointer($0 + position.level) },
            indices: position.indices.map { UnsafePointer($0 + position.value) },
            firstValue: position.value,
            values: ParquetPageValues(pages[index]!.values))
    }

    /// Copies one value's text into the row. Most values are short: two 8-byte words
    /// cover them (the page's text and the row both have `textPadding` bytes to spare),
    /// which is cheaper than calling `memmove` for each cell.
    @inline(__always)
    private func copyText(from source: UnsafeMutablePointer<UInt8>, count: Int, to target: UnsafeMutablePointer<UInt8>) {
        if count <= ParquetDecodedValues.textPadding {
            let from = UnsafeRawPointer(source)
            let to = UnsafeMutableRawPointer(target)
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        } else {
            target.update(from: source, count: count)
        }
    }

    /// Decodes column `index`'s next page (skipping any without values) when its current one is used up.
    private func loadPage(_ index: Int) throws {
        while positions[index].level == positions[index].valueCount {
            let page: ParquetColumnReader.Page
            do {
                page = try readers[index].nextPage()
            } catch let error as ParquetDecodeError {
                let writer = parquet.metadata.createdBy.map { " (written by \($0))" } ?? ""
                throw ParquetFile.corrupt(parquet.file.path, "row group \(nextGroup) of \(parquet.metadata.rowGroups.count), column \"\(readers[index].column.name)\": \(error)\(writer)")
            }
            pages[index] = page
            positions[index] = Position(page)
        }
    }

    private func openGroup(_ group: Int) throws {
        let metadata = parquet.metadata.rowGroups[group]
        rowsLeftInGroup = metadata.rowCount
        readers = zip(parquet.columns, metadata.columns).map { column, chunk in
            ParquetColumnReader(file: parquet.file, column: column, chunk: chunk)
        }
        pages = Array(repeating: nil, count: width)
        for index in 0..<width { positions[index] = Position() }
        storedRow.update(repeating: nil, count: width)
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
