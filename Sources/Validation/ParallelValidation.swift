import Dispatch
import Foundation
import Tabular

/// Validation of one plain CSV file (or one byte share of it) by several threads, with
/// results identical to one sequential pass: the same errors in the same order, the same
/// row and line numbers.
///
/// The records are cut into chunks (`CSVChunks`, each starting where `RecordBoundary`
/// finds a record start after its cut) that threads check at once, a wave of two chunks per
/// thread at a time, so memory stays bounded. Each chunk counts its rows and lines from
/// zero and keeps its errors in row order; `unique` and primary-key checks, which need
/// every earlier row, are kept as probes. The main pass then merges the chunks in file
/// order, shifting the numbering and deciding the probes. A chunk's start is confirmed
/// only when the chunk before it, read from a confirmed start, ends there; a chunk whose
/// start was not, or whose read stopped on broken input, is read again from where the
/// chunk before it ended, with the table's own numbering.
enum ParallelValidation {
    /// The chunks to check `reader`'s records in, or nil when one sequential pass it is: one
    /// thread asked for, observers that need every record, input that cannot be cut
    /// (`TableReader.chunks(of:threads:)`), or records of one chunk.
    static func chunks(of reader: TableReader, options: ValidationOptions, observers: [RecordObserver]) throws -> CSVChunks? {
        guard options.threads > 1, observers.allSatisfy({ $0 is ProgressObserver }) else { return nil }
        return try reader.chunks(of: options.chunkBytes, threads: options.threads)
    }

    /// One chunk as a thread read it.
    private struct ChunkRead {
        var start: Int
        /// Where the first record at or after the chunk's stop starts.
        var end: Int
        var firstLine: Int
        /// The line after the chunk's last record, in the chunk's numbering.
        var endLine: Int
        var firstRecord: Int
        var records: Int
        var outcome: ChunkOutcome
        /// The read error that stopped the chunk (an unterminated quote, ...), if any.
        var stopped: TableReadError?
    }

    /// Checks the records of `reader` after its header into `pass` (prepared for it) and
    /// returns how much was read; `observers` learn the progress.
    static func run(_ pass: inout Pass, reader: TableReader, chunks: CSVChunks, threads: Int, observers: [ProgressObserver]) throws -> PassExtent {
        let schema = pass.schema
        let limit = pass.log.limit
        func read(_ chunk: Int, from start: Int, firstLine: Int, firstRecord: Int) throws -> ChunkRead {
            let stop = chunks.stop(of: chunk)
            let chunkReader = try TableReader(chunkOf: chunks, from: start, stop: stop, firstLine: firstLine, firstRecord: firstRecord)
            var chunkPass = Pass(schema: schema, limit: limit, deferred: true)
            chunkPass.prepare(for: chunkReader)
            var stopped: TableReadError?
            do {
                while true {
                    // Records that pass every check, column by column (`Pass.skipPassingRecords`).
                    if chunkPass.checksColumns { _ = chunkPass.skipPassingRecords(chunkReader, stop: stop) }
                    guard (chunkReader.nextRecordOffset ?? .max) < stop, try chunkReader.next() else { break }
                    chunkPass.checkRecord(chunkReader)
                }
            } catch let error as TableReadError {
                stopped = error
            }
            return ChunkRead(start: start, end: chunkReader.nextRecordOffset ?? stop, firstLine: firstLine, endLine: chunkReader.nextRecordLine,
                             firstRecord: firstRecord, records: chunkReader.recordNumber - firstRecord, outcome: chunkPass.chunkOutcome, stopped: stopped)
        }

        let readBefore = chunks.bytesBefore + chunks.scannedBytes
        var start = chunks.range.lowerBound
        var line = reader.nextRecordLine
        var rows = reader.recordNumber
        func extent() -> PassExtent {
            PassExtent(rows: rows - reader.rowsBeforeShare, lines: line - 1, bytes: readBefore + start - chunks.range.lowerBound)
        }
        var first = 0
        while first < chunks.count {
            let wave = first..<min(chunks.count, first + 2 * threads)
            let provenStart = start
            let reads = UnsafeMutableBufferPointer<Result<ChunkRead, Error>?>.allocate(capacity: wave.count)
            reads.initialize(repeating: nil)
            defer {
                _ = reads.deinitialize()
                reads.deallocate()
            }
            DispatchQueue.concurrentPerform(iterations: min(threads, wave.count)) { worker in
                for index in stride(from: worker, to: wave.count, by: threads) {
                    let chunk = wave.lowerBound + index
                    // A chunk whose start was not found waits for the chunk before it.
                    guard let from = index == 0 ? provenStart : chunks.starts[chunk] else { continue }
                    reads[index] = Result { try read(chunk, from: from, firstLine: 1, firstRecord: 0) }
                }
            }
            for chunk in wave {
                var chunkRead: ChunkRead
                if case .success(let speculative)? = reads[chunk - wave.lowerBound], speculative.start == start, speculative.stopped == nil {
                    chunkRead = speculative
                } else {
                    // Read again from the confirmed start, numbered as the table is, so that a
                    // read error names the right line.
                    chunkRead = try read(chunk, from: start, firstLine: line, firstRecord: rows)
                }
                if let stopped = chunkRead.stopped, !stopped.isAboutTheData { throw stopped }
                let lineShift = line - chunkRead.firstLine
                pass.merge(chunkRead.outcome, rowShift: rows - chunkRead.firstRecord, lineShift: lineShift)
                rows += chunkRead.records
                line = chunkRead.endLine + lineShift
                start = chunkRead.end
                for observer in observers { observer.advanced(to: readBefore + start - chunks.range.lowerBound) }
                if let stopped = chunkRead.stopped {
                    pass.readStopped(stopped)
                    return extent()
                }
            }
            first = wave.upperBound
        }
        return extent()
    }
}
