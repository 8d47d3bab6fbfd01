import Core
import Foundation

/// Writes RFC 4180 CSV through a buffer, quoting only the fields that need it.
///
/// Writes go to a temporary file that `close()` renames into place, so a failed run never
/// leaves a half-written CSV that looks complete.
public final class CSVWriter {
    /// Where the file ends up.
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Records written so far, the header excluded.
    public private(set) var recordCount = 0
    /// Fields of the record being written.
    private var fieldsInRecord = 0

    /// Creates the file (and its directory) and writes `header` as its first record.
    public init(path: String, header: [String]) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        temporaryPath = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
        } catch {
            throw Failure.runtime("cannot write \(path): \(error.localizedDescription)")
        }
        buffer.reserveCapacity(1 << 16)
        for (index, name) in header.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            append(Array(name.utf8)[...])
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Writes the current record of `reader`, fields in `columns` order (nil: all fields);
    /// a column the record lacks is written empty.
    public func write(_ reader: TableReader, columns: [Int]? = nil) throws {
        let order = columns ?? Array(0..<reader.fieldCount)
        for column in order {
            field(column >= 0 && column < reader.fieldCount ? reader.field(column) : UnsafeBufferPointer(start: nil, count: 0))
        }
        try endRecord()
    }

    /// Writes one record of strings.
    public func write(_ fields: [String]) throws {
        for field in fields { self.field(field) }
        try endRecord()
    }

    /// Appends a field to the record being written, field by field (`endRecord` ends it):
    /// nothing is allocated per field.
    public func field(_ bytes: UnsafeBufferPointer<UInt8>) {
        if fieldsInRecord > 0 { buffer.append(UInt8(ascii: ",")) }
        fieldsInRecord += 1
        append(bytes)
    }

    /// Appends a field given as text to the record being written.
    public func field(_ text: String) {
        var text = text
        text.withUTF8 { field($0) }
    }

    /// Ends the record written field by field.
    public func endRecord() throws {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRecord = 0
        recordCount += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Flushes and moves the file into place.
    public func close() throws {
        try flush()
        do {
            try handle.close()
            if rename(temporaryPath, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw Failure.runtime("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Removes the partial file, for when the pass that fed it failed.
    public func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }


    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw Failure.runtime("cannot write \(path): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func append<C: Collection>(_ field: C) where C.Element == UInt8 {
        let needsQuotes = field.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        guard needsQuotes else {
            buffer.append(contentsOf: field)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in field {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
