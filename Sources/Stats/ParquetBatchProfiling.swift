import Tabular

// Profiling a Parquet file a batch of rows at a time (`TableReader.parquetBatch(limit:)`):
// what each distinct value of a column's dictionary (or plain page) counts as is worked
// out once (`ParquetValueReadings`), and no row is built. The statistics come out as the
// row-by-row pass leaves them, byte for byte in the written profile: what does not depend
// on the order of the cells (counts, exact value and label counts while they hold every
// value, the distinct-count sketch) is added per dictionary entry with its count in the
// batch; what does (the running moments, the quantile sketch, the heavy hitters past the
// exact label counts, the retained values) takes the cells in row order.
extension Profiler: ParquetBatchObserver {
    /// Rows per batch at most: bounds the per-row scratch space.
    static let parquetBatchRows = 1 << 16

    /// Batches leave a row shard (`ProfileOptions.shard`) to the row path, which picks its rows.
    public var acceptsParquetBatches: Bool { options.shard == nil }

    /// The progress observers of a pass over `reader` that can take Parquet batches: a
    /// Parquet file or dataset, no row shard, and `observers` that need only the progress;
    /// nil when the pass must go row by row.
    func parquetBatchObservers(_ reader: TableReader, _ observers: [RecordObserver]) -> [ProgressObserver]? {
        guard acceptsParquetBatches, reader.source.format == .parquet, !columns.isEmpty else { return nil }
        let progress = observers.compactMap { $0 as? ProgressObserver }
        return progress.count == observers.count ? progress : nil
    }

    /// Profiles every row of `reader` (begun) in batches; `progress` learns the bytes read
    /// after each batch.
    func observeParquetBatches(_ reader: TableReader, progress: [ProgressObserver]) throws {
        while let batch = try reader.parquetBatch(limit: Self.parquetBatchRows), batch > 0 {
            observeParquetBatch(reader, rows: batch)
            reader.skipParquetRows(batch)
            for observer in progress { observer.advanced(to: reader.bytesConsumed) }
        }
    }

    /// Adds the `rows` rows of the reader's current batch.
    public func observeParquetBatch(_ reader: TableReader, rows batch: Int) {
        if parquetBatches.readings.count != columns.count { parquetBatches.readings = Array(repeating: nil, count: columns.count) }
        let limit = options.retainedValueLimit
        // A dataset's records end with the file's partition values.
        let partitions = reader.dataset?.partitionValues ?? []
        let fileColumns = columns.count - partitions.count
        for (offset, value) in partitions.enumerated() {
            Self.add(value, rows: batch, to: &columns[fileColumns + offset], retainedLimit: limit)
        }
        for column in 0..<fileColumns {
            let cells = reader.parquetCells(column)
            if !(parquetBatches.readings[column]?.values.isSame(as: cells.values) ?? false) {
                parquetBatches.readings[column] = ParquetValueReadings(cells.values, in: columns[column])
            }
            Self.add(cells, rows: batch, parquetBatches.readings[column]!, counts: &parquetBatches.counts, to: &columns[column], retainedLimit: limit)
        }
        rows += batch
    }

    /// Adds `rows` cells of the same `value` (a partition value), as cell by cell.
    private static func add(_ value: String, rows: Int, to state: inout ColumnState, retainedLimit: Int) {
        var text = value
        text.withUTF8 { utf8 in
            // An empty value at an address, as a record's empty field is (its hash differs without one).
            let bytes = utf8.isEmpty ? ParquetValueReadings.emptyField : utf8
            switch reading(bytes, stored: nil, in: state) {
            case .missing: state.profile.missing += rows
            case .invalid: state.profile.invalid += rows
            case .number(let x):
                for _ in 0..<rows { addNumber(x, to: &state, retainedLimit: retainedLimit) }
            case .label:
                let hash = Hashing.hash(bytes)
                if state.labelTable.add(bytes, hash: hash, times: rows) != nil {
                    state.profile.count += rows
                    state.profile.labels += rows
                } else {
                    // A new label past the exact counts: each cell goes to the heavy hitters.
                    for _ in 0..<rows { addLabel(bytes, hash: hash, to: &state) }
                }
            }
        }
    }

    /// Adds one column's `rows` cells of a batch: by dictionary entry with its count where
    /// that leaves the statistics as they would be cell by cell, else cell by cell.
    private static func add(_ cells: ParquetColumnCells, rows: Int, _ readings: ParquetValueReadings, counts: inout [Int], to state: inout ColumnState, retainedLimit: Int) {
        if let indices = cells.indices, readings.countable(in: state), state.retained == nil,
           addCounted(cells, indices: indices, rows: rows, readings, counts: &counts, to: &state) {
            return
        }
        addInOrder(cells, rows: rows, readings, to: &state, retainedLimit: retainedLimit)
    }

    /// Adds the cells of a dictionary page by entry, with each entry's count in the batch,
    /// and its numbers in row order to the order-dependent statistics. False, adding
    /// nothing, when counting by entry could differ from counting cell by cell: when the
    /// exact number or label counts could overflow within the batch (after which the row
    /// order decides what goes where), or when the batch has both 0 and -0 (of which the
    /// exact counts keep the one seen first).
    private static func addCounted(_ cells: ParquetColumnCells, indices: UnsafePointer<Int32>, rows: Int, _ readings: ParquetValueReadings, counts: inout [Int], to state: inout ColumnState) -> Bool {
        let present = cells.levels.map { UnsafeBufferPointer(start: $0, count: rows).reduce(0) { $0 &+ Int($1) } } ?? rows
        let nulls = rows - present
        if counts.count < readings.count { counts = Array(repeating: 0, count: readings.count) }
        counts.withUnsafeMutableBufferPointer { counts in
            for k in 0..<present { counts[Int(indices[k])] &+= 1 }
        }
        var newNumbers = 0
        var zeros = 0
        var newLabels = nulls > 0 && readings.null == .label ? 1 : 0
        for entry in 0..<readings.count where counts[entry] > 0 {
            switch readings.kinds[entry] {
            case .number:
                newNumbers += 1
                if readings.numbers[entry] == 0 { zeros += 1 }
            case .label: newLabels += 1
            case .missing, .invalid: break
            }
        }
        let numbersFit = state.numberTable.map { $0.count + newNumbers <= $0.capacity && zeros <= 1 } ?? true
        guard numbersFit, state.labelTable.count + newLabels <= state.labelTable.capacity else {
            counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return false
        }
        for entry in 0..<readings.count where counts[entry] > 0 {
            let times = counts[entry]
            counts[entry] = 0
            switch readings.kinds[entry] {
            case .missing: state.profile.missing += times
            case .invalid: state.profile.invalid += times
            case .number:
                let x = readings.numbers[entry]
                state.profile.count += times
                if x == 0 { state.profile.zeros += times }
                _ = state.numberTable?.add(x, times: times)
            case .label:
                state.profile.count += times
                state.profile.labels += times
                state.labelTable.add(readings.values.text(entry), hash: readings.hashes[entry], times: times)
            }
        }
        if nulls > 0 {
            switch readings.null {
            case .missing: state.profile.missing += nulls
            case .invalid: state.profile.invalid += nulls
            case .label:
                state.profile.count += nulls
                state.profile.labels += nulls
                state.labelTable.add(ParquetValueReadings.emptyField, hash: readings.nullHash, times: nulls)
            case .number: break  // an empty cell is never a number
            }
        }
        // The moments (and, once the exact counts are given up, the sketches) take the
        // numbers in row order.
        guard readings.hasNumbers else { return true }
        let sketched = state.numberTable == nil
        readings.kinds.withUnsafeBufferPointer { kinds in
            readings.numbers.withUnsafeBufferPointer { numbers in
                for k in 0..<present {
                    let entry = Int(indices[k])
                    guard kinds[entry] == .number else { continue }
                    state.profile.numbers.add(numbers[entry])
                    if sketched { state.sketchBatch.add(numbers[entry], flushingInto: &state.profile) }
                }
            }
        }
        return true
    }

    /// Adds the cells one by one in row order, as the row-by-row pass does.
    private static func addInOrder(_ cells: ParquetColumnCells, rows: Int, _ readings: ParquetValueReadings, to state: inout ColumnState, retainedLimit: Int) {
        var next = 0
        for row in 0..<rows {
            if let levels = cells.levels, levels[row] == 0 {
                switch readings.null {
                case .missing: state.profile.missing += 1
                case .invalid: state.profile.invalid += 1
                case .label: addLabel(ParquetValueReadings.emptyField, hash: readings.nullHash, to: &state)
                case .number: break  // an empty cell is never a number
                }
                continue
            }
            let entry = cells.indices.map { Int($0[next]) } ?? cells.firstValue + next
            next += 1
            switch readings.kinds[entry] {
            case .missing: state.profile.missing += 1
            case .invalid: state.profile.invalid += 1
            case .number: addNumber(readings.numbers[entry], to: &state, retainedLimit: retainedLimit)
            case .label: addLabel(readings.values.text(entry), hash: readings.hashes[entry], to: &state)
            }
        }
    }
}

/// What a profiler keeps between the batches of a Parquet pass.
struct ParquetBatchProfiling {
    /// Each column's readings of its current dictionary (or plain page).
    var readings: [ParquetValueReadings?] = []
    /// Scratch: a count per dictionary entry.
    var counts: [Int] = []
}

/// What each distinct value of a Parquet page (the column chunk's dictionary, or the
/// page's own values) counts as in one column's statistics (`Profiler.reading`), worked
/// out once while the column's pages refer to these values.
struct ParquetValueReadings {
    /// What a value counts as.
    enum Kind: UInt8 {
        case missing
        case number
        case invalid
        case label
    }

    let values: ParquetPageValues
    let kinds: [Kind]
    /// Each number value's number (0 for the others).
    let numbers: [Double]
    /// Each label value's `Hashing.hash` (0 for the others).
    let hashes: [UInt64]
    /// What a null cell counts as: a row holds it as an empty field.
    let null: Kind
    let nullHash: UInt64
    let hasNumbers: Bool
    let hasLabels: Bool

    init(_ values: ParquetPageValues, in state: Profiler.ColumnState) {
        self.values = values
        var kinds: [Kind] = []
        var numbers: [Double] = []
        var hashes: [UInt64] = []
        kinds.reserveCapacity(values.count)
        numbers.reserveCapacity(values.count)
        hashes.reserveCapacity(values.count)
        for index in 0..<values.count {
            let text = values.text(index)
            let (kind, number) = Self.kind(Profiler.reading(text, stored: values.stored(index)?.number, in: state))
            kinds.append(kind)
            numbers.append(number)
            hashes.append(kind == .label ? Hashing.hash(text) : 0)
        }
        self.kinds = kinds
        self.numbers = numbers
        self.hashes = hashes
        null = Self.kind(Profiler.reading(Self.emptyField, stored: nil, in: state)).0
        nullHash = Hashing.hash(Self.emptyField)
        hasNumbers = kinds.contains(.number)
        hasLabels = kinds.contains(.label) || null == .label
    }

    var count: Int { values.count }

    /// The field a null cell is: empty, but at an address, as a row's empty field is
    /// (`Hashing.hash` of bytes without an address differs).
    nonisolated(unsafe) static let emptyField = UnsafeBufferPointer(start: UnsafeMutablePointer<UInt8>.allocate(capacity: 1), count: 0)

    /// Whether counting by entry can save work in a column in `state`: it has labels, or
    /// numbers while the exact number counts hold (after that, numbers take the cells in
    /// order anyway).
    func countable(in state: Profiler.ColumnState) -> Bool {
        hasLabels || (hasNumbers && state.numberTable != nil)
    }

    private static func kind(_ reading: Profiler.CellReading) -> (Kind, Double) {
        switch reading {
        case .missing: return (.missing, 0)
        case .number(let x): return (.number, x)
        case .invalid: return (.invalid, 0)
        case .label: return (.label, 0)
        }
    }
}
