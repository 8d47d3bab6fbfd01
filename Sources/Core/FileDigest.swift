import Crypto
import Foundation

/// Content hashes of files, streamed in fixed-size chunks so memory does not grow with size.
public enum FileDigest {
    /// The lowercase hex SHA-256 of the file at `path`.
    public static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure.runtime("cannot read \(path): no such file or not readable")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw Failure.runtime("cannot read \(path): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    /// The lowercase hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
