import Dispatch
import Foundation
import Tabular

/// Validation of one plain CSV file by several threads, with results identical to one
/// sequential pass: the same errors in the same order, the same row and line numbers.
///
/// The file is cut into chunks (`CSVChunks`) that threads check at once, a wave of a few
/// chunks per thread at a time, so memory stays bounded. Each chunk counts its rows and lines
/// from zero and keeps its errors in row order; `unique` and primary-key checks, which need
/// every earlier row, are kept as probes. The chunks are then merged in file order by the
/// main pass, which shifts the numbering and decides the probes. A chunk's start is only a
/// guess (a cut can fall inside a quoted field that spans lines) until the chunk before it
/// ends there; a chunk whose guess was wrong, or whose read stopped on broken input, is
/// read again from its proven start with the table's own numbering.
enum ParallelValidation {
    /// The chunks to check `reader`'s table in, or nil when one sequential pass it is: one
    /// thread asked for, input that is not one plain CSV file (compressed, standard input,
    /// a dataset, a share), observers that need every record, or a file of one chunk.
    static func chunks(of reader: TableReader, options: ValidationOptions, observers: [RecordObserver]) -> CSVChunks? {
        guard options.threads > 1, reader.readsPlainCSVFile,
              observers.allSatisfy({ $0 is ProgressObserver }),
              let size = try? FileManager.default.attributesOfItem(atPath: reader.source.path)[.size] as? NSNumber else { return nil }
        let chunks = CSVChunks(dataStart: reader.nextRecordOffset, fileSize: size.intValue, chunkBytes: options.chunkBytes)
        return chunks.count >= 2 ? chunks : nil
    }

    /// One chunk as a thread read it.
    private struct ChunkRead {
        var start: Int
        /// Where the first record at or after the chunk's end cut starts.
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

    /// Checks the rows of `reader`'s file after its header into `pass`; returns the number
    /// of rows. `pass` is prepared for the header; `observers` learn the progress.
    static func run(_ pass: inout Pass, reader: TableReader, chunks: CSVChunks, threads: Int, observers: [ProgressObserver]) throws -> Int {
        let source = reader.source
        let header = reader.header
        let schema = pass.schema
        let limit = pass.log.limit
        func read(_ chunk: Int, from start: Int, firstLine: Int, firstRecord: Int) throws -> ChunkRead {
            let chunkReader = try TableReader(chunkOf: source, header: header, start: start, stop: chunks.cuts[chunk + 1], firstLine: firstLine, firstRecord: firstRecord)
            var chunkPass = Pass(schema: schema, limit: limit, deferred: true)
            chunkPass.prepare(header: header, headerLine: 0, hasHeader: source.hasHeader)
            var stopped: TableReadError?
            do {
                while try chunkReader.next() { chunkPass.checkRecord(chunkReader) }
            } catch let error as TableReadError {
                if case .unreadable = error.kind { throw error }
                stopped = error
            }
            return ChunkRead(start: start, end: chunkReader.nextRecordOffset, firstLine: firstLine, endLine: chunkReader.nextRecordLine,
                             firstRecord: firstRecord, records: chunkReader.recordNumber - firstRecord, outcome: chunkPass.chunkOutcome, stopped: stopped)
        }

        var start = chunks.dataStart
        var line = reader.nextRecordLine
        var rows = 0
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
                    reads[index] = Result {
                        let guess = index == 0 ? provenStart : try chunks.guessRecordStart(path: source.path, chunk: chunk)
                        return try read(chunk, from: guess, firstLine: 1, firstRecord: 0)
                    }
                }
            }
            for index in wave.indices {
                var chunkRead = try reads[index - wave.lowerBound]!.get()
                if chunkRead.start != start || chunkRead.stopped != nil {
                    chunkRead = try read(index, from: start, firstLine: line, firstRecord: rows)
                }
                let lineShift = line - chunkRead.firstLine
                pass.merge(chunkRead.outcome, rowShift: rows - chunkRead.firstRecord, lineShift: lineShift)
                rows += chunkRead.records
                line = chunkRead.endLine + lineShift
                start = chunkRead.end
                for observer in observers { observer.advanced(to: start) }
                if let stopped = chunkRead.stopped {
                    pass.readStopped(stopped)
                    return rows
                }
            }
            first = wave.upperBound
        }
        return rows
    }
}
