import Core
import Foundation
import ReportModel
import Tabular

/// Settings of one validation run.
public struct ValidationOptions: Sendable {
    /// How many errors are kept in detail; counts stay complete beyond it.
    public var maxErrors: Int
    /// Validate one share as a part for `ValidationMerge` (`validate --shard --part`):
    /// header problems only in the first share, the dataset checks (row count, missing
    /// fractions) left to the merge, and the first occurrences of key values kept.
    public var asPart: Bool
    /// How many threads check a plain CSV file's chunks (or a byte share's), or a Parquet
    /// file's row groups, at once; 1 reads it in one sequential pass. The summary is the
    /// same for any number.
    public var threads: Int
    /// The size of those chunks in bytes.
    public var chunkBytes: Int

    public init(maxErrors: Int = 1000, asPart: Bool = false, threads: Int = ValidationOptions.defaultThreads, chunkBytes: Int = ValidationOptions.defaultChunkBytes) {
        self.maxErrors = maxErrors
        self.asPart = asPart
        self.threads = threads
        self.chunkBytes = chunkBytes
    }

    /// `SLUICE_THREADS` when set, else the CPUs this process may run on (its affinity mask,
    /// as `nproc` counts them: a CI job's cores).
    public static var defaultThreads: Int {
        if let text = ProcessInfo.processInfo.environment["SLUICE_THREADS"], let count = Int(text), count >= 1 { return count }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// 8 MiB, or `SLUICE_CHUNK_BYTES` when set (the test suite sets a few KiB, so that its
    /// small files take the parallel path with cuts everywhere).
    public static var defaultChunkBytes: Int {
        if let text = ProcessInfo.processInfo.environment["SLUICE_CHUNK_BYTES"], let bytes = Int(text), bytes >= 1 { return bytes }
        return 8 << 20
    }
}

/// Checks a table against a Table Schema in one streaming pass.
///
/// Memory stays flat with the file's size: cells are checked straight from the reader's
/// byte views, and `unique`/`primaryKey` keep 64-bit fingerprints, not values. Other jobs
/// can ride along the same pass as `RecordObserver`s (a profiler, for example). A plain CSV
/// file, or a byte share of one, is checked by `options.threads` threads at once
/// (`ParallelValidation`), a Parquet file's row groups likewise (`ParquetParallelValidation`),
/// unless an observer needs every record, each a batch of rows at a time
/// (`ParquetBatchValidation`); a Parquet file with `unique` or key checks goes by row groups
/// on one thread too, so that its batches can probe them.
///
/// ```swift
/// let schema = try TableSchema.load(path: "schema.json")
/// let summary = try Validator(schema: schema, schemaPath: "schema.json")
///     .validate(TableSource(path: "data.csv"), observers: [profiler])
/// ```
public final class Validator {
    public let schema: TableSchema
    /// Recorded in the summary; nil when the schema did not come from a file.
    public let schemaPath: String?
    public let options: ValidationOptions

    public init(schema: TableSchema, schemaPath: String? = nil, options: ValidationOptions = ValidationOptions()) {
        self.schema = schema
        self.schemaPath = schemaPath
        self.options = options
    }

    /// Validates `source`. Problems with the data are in the summary (`valid == false`);
    /// only a file that cannot be read at all throws (`TableReadError`, exit 3). Observers
    /// see every record, including invalid ones.
    public func validate(_ source: TableSource, observers: [RecordObserver] = []) throws -> ValidationSummary {
        var pass = Pass(schema: schema, limit: options.maxErrors, asPart: options.asPart)
        let reader: TableReader
        do {
            reader = try TableReader(source)
        } catch let error as TableReadError {
            if !error.isAboutTheData { throw error }
            pass.log.add(.sourceError, field: nil, row: nil, line: nil) { (nil, Self.message(error)) }
            return pass.summary(file: source.path, schemaPath: schemaPath, rows: 0)
        }
        pass.prepare(for: reader)
        let extent: PassExtent
        if let chunks = try ParallelValidation.chunks(of: reader, options: options, observers: observers) {
            for observer in observers { try observer.begin(reader) }
            extent = try ParallelValidation.run(&pass, reader: reader, chunks: chunks, threads: options.threads, observers: observers.compactMap { $0 as? ProgressObserver })
            for observer in observers { try observer.finish() }
        } else if let groups = ParquetParallelValidation.rowGroups(of: reader, schema: schema, options: options, observers: observers) {
            for observer in observers { try observer.begin(reader) }
            extent = try ParquetParallelValidation.run(&pass, reader: reader, groups: groups, threads: options.threads, observers: observers.compactMap { $0 as? ProgressObserver })
            for observer in observers { try observer.finish() }
        } else if ParquetBatchValidation.applies(to: pass, reader: reader, observers: observers) {
            extent = try pass.runParquetBatches(reader, observers: observers)
        } else {
            extent = try pass.run(reader, observers: observers)
        }
        var summary = pass.summary(file: source.path, schemaPath: schemaPath, rows: extent.rows)
        if options.asPart { summary.share = pass.share(of: reader, extent: extent) }
        return summary
    }

    /// A read error without the file name, which the summary already carries.
    static func message(_ error: TableReadError) -> String {
        let text = error.description
        let prefix = error.path + ":"
        guard text.hasPrefix(prefix) else { return text }
        return text.dropFirst(prefix.count).drop(while: { $0 == " " }).description
    }
}

/// An observer that also learns, after each row is checked, whether the row was valid:
/// for example to set invalid rows aside while the valid ones go on.
public protocol RowVerdictObserver: RecordObserver {
    /// Called after `observe(_:)` and the row's checks, while the field views are still valid.
    func rowChecked(_ reader: TableReader, valid: Bool) throws
}

/// How much of the table a pass read: the rows it checked, the physical lines and the
/// bytes it read (of a share: its own).
struct PassExtent {
    var rows: Int
    var lines: Int
    var bytes: Int
}

extension Pass {
    /// Checks every record of `reader` in one sequential pass, with the observers. Those
    /// that reuse the numbers the checks read (a profiler) see each record after its checks.
    mutating func run(_ reader: TableReader, observers: [RecordObserver]) throws -> PassExtent {
        let reusing = observers.compactMap { $0 as? NumberReusingObserver }
        guard !reusing.isEmpty else { return try run(reader, observers: observers, keeping: NoNumbers()) }
        let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: reader.header.count)
        storage.initialize(repeating: .nan)
        defer { storage.deallocate() }
        return try run(reader, observers: observers, keeping: RecordNumbers(storage: storage, observers: reusing))
    }

    private mutating func run<Numbers: NumberSink>(_ reader: TableReader, observers: [RecordObserver], keeping numbers: Numbers) throws -> PassExtent {
        let verdictObservers = observers.compactMap { $0 as? RowVerdictObserver }
        let recordObservers = observers.filter { !($0 is NumberReusingObserver) }
        for observer in observers { try observer.begin(reader) }
        // Records that pass every check may be checked column by column, when nothing
        // else needs to see each one (progress observers learn the bytes read instead).
        let progress = recordObservers.compactMap { $0 as? ProgressObserver }
        let columnWise = checksColumns && Numbers.self == NoNumbers.self && verdictObservers.isEmpty && progress.count == recordObservers.count
        do {
            var fileIndex = -1
            while true {
                if columnWise, skipPassingRecords(reader) > 0 {
                    for observer in progress { observer.advanced(to: reader.bytesConsumed) }
                }
                guard try reader.next() else { break }
                if let dataset = reader.dataset, dataset.fileIndex != fileIndex {
                    fileIndex = dataset.fileIndex
                    log.file = dataset.currentFile
                }
                for observer in recordObservers { observer.observe(reader) }
                let errorsBefore = log.count
                numbers.clear()
                checkRecord(reader, keeping: numbers)
                numbers.handOver(reader)
                if !verdictObservers.isEmpty {
                    let valid = log.count == errorsBefore
                    for observer in verdictObservers { try observer.rowChecked(reader, valid: valid) }
                }
            }
        } catch let error as TableReadError {
            if !error.isAboutTheData { throw error }
            readStopped(error)
        }
        for observer in observers { try observer.finish() }
        return PassExtent(rows: reader.recordNumber - reader.rowsBeforeShare, lines: reader.linesRead, bytes: reader.bytesConsumed)
    }
}
