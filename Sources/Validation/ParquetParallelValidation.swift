import Dispatch
import Tabular

/// Validation of one Parquet file (or one share of its row groups) by row groups, on several
/// threads (or on one, for a schema with `unique` or a primary key), with results identical
/// to one sequential pass: the same errors in the same order, the same row numbers.
///
/// Each row group is a chunk: a reader of its own (`TableReader(rowGroup:of:)`, rows
/// numbered as in the whole file) and a pass of its own that keeps its errors in row order
/// and its `unique` and primary-key values as probes (as `ParallelValidation`'s CSV
/// chunks do), checked in batches when it can be (`ParquetBatchValidation`). Threads take
/// a wave of one row group each at a time, so memory is bounded by `threads` row groups'
/// pages; the main pass merges the chunks in file order, deciding the probes. A read error
/// stops the pass where the sequential one would: after the rows before it.
enum ParquetParallelValidation {
    /// The row groups to check as chunks, or nil when one pass it is: observers that need
    /// every record, not one Parquet file, or one thread asked for on one row group. A
    /// schema with `unique` or a primary key goes by chunks on one thread too: a chunk
    /// checks them in batches (`ParquetBatchProbes`), a single pass row by row.
    static func rowGroups(of reader: TableReader, schema: TableSchema, options: ValidationOptions, observers: [RecordObserver]) -> Range<Int>? {
        guard observers.allSatisfy({ $0 is ProgressObserver }), let groups = reader.parquetRowGroups, !groups.isEmpty,
              (options.threads > 1 && groups.count > 1) || ParquetBatchValidation.hasProbes(schema) else { return nil }
        return groups
    }

    /// One row group as a thread checked it.
    private struct GroupRead {
        var rows: Int
        var bytes: Int
        var outcome: ChunkOutcome
        /// The read error that stopped the row group, if any.
        var stopped: TableReadError?
    }

    /// Checks the rows of `groups` of `reader`'s file into `pass` (prepared for it) and
    /// returns how much was read; `observers` learn the progress.
    static func run(_ pass: inout Pass, reader: TableReader, groups: Range<Int>, threads: Int, observers: [ProgressObserver]) throws -> PassExtent {
        let schema = pass.schema
        let limit = pass.log.limit
        func read(_ group: Int) throws -> GroupRead {
            let groupReader = try TableReader(rowGroup: group, of: reader)
            let first = groupReader.recordNumber
            var groupPass = Pass(schema: schema, limit: limit, deferred: true)
            groupPass.prepare(for: groupReader)
            var stopped: TableReadError?
            do {
                if ParquetBatchValidation.applies(to: groupPass, reader: groupReader, observers: []) {
                    var batches = ParquetBatchValidation(checkCount: groupPass.checks.count)
                    try batches.checkRows(&groupPass, groupReader)
                } else {
                    while try groupReader.next() { groupPass.checkRecord(groupReader) }
                }
            } catch let error as TableReadError {
                stopped = error
            }
            return GroupRead(rows: groupReader.recordNumber - first, bytes: groupReader.bytesConsumed, outcome: groupPass.chunkOutcome, stopped: stopped)
        }

        var rows = 0
        var bytes = reader.bytesConsumed
        func extent() -> PassExtent { PassExtent(rows: rows, lines: reader.linesRead, bytes: bytes) }
        var first = groups.lowerBound
        while first < groups.upperBound {
            let wave = first..<min(groups.upperBound, first + max(threads, 1))
            let reads = UnsafeMutableBufferPointer<Result<GroupRead, Error>?>.allocate(capacity: wave.count)
            reads.initialize(repeating: nil)
            defer {
                _ = reads.deinitialize()
                reads.deallocate()
            }
            DispatchQueue.concurrentPerform(iterations: wave.count) { index in
                reads[index] = Result { try read(wave.lowerBound + index) }
            }
            for index in wave.indices {
                let groupRead = try reads[index - wave.lowerBound]!.get()
                if let stopped = groupRead.stopped, !stopped.isAboutTheData { throw stopped }
                // The readers number rows as the file does: nothing to shift.
                pass.merge(groupRead.outcome, rowShift: 0, lineShift: 0)
                rows += groupRead.rows
                bytes += groupRead.bytes
                for observer in observers { observer.advanced(to: bytes) }
                if let stopped = groupRead.stopped {
                    pass.readStopped(stopped)
                    return extent()
                }
            }
            first = wave.upperBound
        }
        return extent()
    }
}
