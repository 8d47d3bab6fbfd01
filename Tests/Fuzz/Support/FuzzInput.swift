import Foundation

/// The input of one fuzzing run as a file: Sluice's readers take paths. It lives in
/// /dev/shm when there is one, so each run costs no disk I/O.
enum FuzzInput {
    static let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()

    static func withFile(_ data: UnsafePointer<UInt8>, _ size: Int, suffix: String, _ body: (String) -> Void) {
        let path = "\(directory)/sluice-fuzz-\(getpid())\(suffix)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
        body(path)
        unlink(path)
    }
}
