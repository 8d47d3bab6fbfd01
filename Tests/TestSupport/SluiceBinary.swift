import Foundation

/// What one run of the built `sluice` binary did.
public struct ProcessResult: Sendable {
    /// The exit status.
    public let status: Int32
    /// Everything written to standard output.
    public let stdout: String
    /// Everything written to standard error.
    public let stderr: String
}

/// Runs the built `sluice` binary as a user would, for end-to-end tests.
public enum SluiceBinary {
    /// The binary under test: `$SLUICE_BIN`, or `sluice` next to the test bundle.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["SLUICE_BIN"] { return explicit }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The test bundle may be a directory (.xctest) nested in the products folder.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return "sluice"
    }

    /// Runs `sluice` with `arguments`, in `directory`, with `environment` added to a clean one.
    public static func run(
        _ arguments: [String],
        in directory: String? = nil,
        environment: [String: String] = [:],
        stdin: Data? = nil
    ) throws -> ProcessResult {
        try runProcess(path, arguments, in: directory, environment: environment, stdin: stdin)
    }
}

/// Runs any executable and captures its output; the environment is minimal so that the
/// developer's own CI variables never leak into a test.
public func runProcess(
    _ executable: String,
    _ arguments: [String],
    in directory: String? = nil,
    environment: [String: String] = [:],
    stdin: Data? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : "/usr/bin/env")
    process.arguments = executable.contains("/") ? arguments : [executable] + arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp", "NO_COLOR": "1"]
    // A run of the suite with SLUICE_THREADS / SLUICE_CHUNK_BYTES set checks every validation
    // in parallel chunks: pass them on.
    for name in ["SLUICE_THREADS", "SLUICE_CHUNK_BYTES"] { env[name] = ProcessInfo.processInfo.environment[name] }
    env.merge(environment) { _, new in new }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let errCollector = PipeCollector(err)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = errCollector.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// Drains a pipe on its own thread; `wait()` returns everything it read.
final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
