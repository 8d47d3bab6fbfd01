import Foundation

/// Writes files so that a reader never sees a half-written one: the bytes go to a temporary
/// file in the same directory (`.NAME.PID.tmp`), which is then renamed over the destination.
/// Temporaries of killed writers are removed by the next write into that directory.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating parent directories as needed.
    public static func write(_ data: Data, to path: String) throws {
        try stream(to: path) { try $0.write(unbuffered: data) }
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `path` atomically from pieces that `body` hands to the output one after another,
    /// so a large document never has to be held whole in memory. When `body` throws, the
    /// temporary file is removed and `path` is left as it was.
    public static func stream(to path: String, _ body: (Output) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            removeStaleTemporaries(in: directory.path)
            let output = try Output(path: temporary.path, destination: path)
            do {
                try body(output)
                try output.close()
            } catch {
                output.abandon()
                throw error
            }
            if rename(temporary.path, url.path) != 0 {
                let code = errno
                try? FileManager.default.removeItem(at: temporary)
                throw Failure.runtime("cannot write \(path): \(String(cString: strerror(code)))")
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure.runtime("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Removes `.NAME.PID.tmp` files of writers that were killed before their rename.
    public static func removeStaleTemporaries(in directory: String) {
        StaleTemporaries.remove(in: directory) { name in
            guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
            let parts = name.dropLast(4).split(separator: ".")
            return parts.count >= 2 ? pid_t(parts[parts.count - 1]) : nil
        }
    }

    /// The temporary file of a streamed write, buffered so that small pieces cost few calls.
    public final class Output {
        private let descriptor: Int32
        private let path: String
        private let destination: String
        private var buffer: [UInt8] = []
        private var closed = false
        private static let bufferSize = 1 << 16

        fileprivate init(path: String, destination: String) throws {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw Failure.runtime("cannot write \(destination): \(String(cString: strerror(errno)))") }
            self.path = path
            self.destination = destination
            buffer.reserveCapacity(Self.bufferSize)
        }

        /// Appends bytes.
        public func write<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.bufferSize { try flush() }
        }

        /// Appends text as UTF-8.
        public func write(_ text: String) throws {
            try write(text.utf8)
        }

        /// Appends a whole block without copying it into the buffer.
        public func write(unbuffered data: Data) throws {
            try flush()
            try data.withUnsafeBytes { try writeAll($0) }
        }

        private func flush() throws {
            try buffer.withUnsafeBytes { try writeAll($0) }
            buffer.removeAll(keepingCapacity: true)
        }

        private func writeAll(_ raw: UnsafeRawBufferPointer) throws {
            if let code = DescriptorWrite.all(raw, to: descriptor) {
                throw Failure.runtime("cannot write \(destination): \(String(cString: strerror(code)))")
            }
        }

        fileprivate func close() throws {
            try flush()
            closed = true
            guard Foundation.close(descriptor) == 0 else {
                throw Failure.runtime("cannot write \(destination): \(String(cString: strerror(errno)))")
            }
        }

        fileprivate func abandon() {
            if !closed { _ = Foundation.close(descriptor) }
            unlink(path)
        }
    }
}
