import Core
import Foundation

/// Reports the progress of a pass over a table (validation, profiling) as it rides along:
/// every 4096 records it passes the bytes read so far (compressed bytes for gzip, which is
/// what the file's size counts) to a `ProgressReporter` transfer.
public final class ReadProgress: ProgressObserver {
    private let transfer: ProgressReporter.Transfer
    private weak var reader: TableReader?
    private var records = 0

    /// Progress of reading `path` (a file, or every file of a dataset directory), named `name`.
    public init(_ name: String, path: String, reporter: ProgressReporter) {
        transfer = reporter.start(name, total: Self.size(of: path))
    }

    public func begin(_ reader: TableReader) throws { self.reader = reader }

    public func observe(_ reader: TableReader) {
        records += 1
        if records & 4095 == 0 { transfer.update(Int64(reader.bytesConsumed)) }
    }

    public func advanced(to bytes: Int) { transfer.update(Int64(bytes)) }

    public func finish() throws { transfer.finish() }

    /// The bytes of a file, or of the files in a directory; 0 when unknown (standard input).
    static func size(of path: String) -> Int64 {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        func bytes(_ file: String) -> Int64 { ((try? manager.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0 }
        guard isDirectory.boolValue else { return bytes(path) }
        return ((try? manager.subpathsOfDirectory(atPath: path)) ?? []).reduce(0) { $0 + bytes((path as NSString).appendingPathComponent($1)) }
    }
}
