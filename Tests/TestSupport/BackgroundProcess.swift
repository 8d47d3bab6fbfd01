import Foundation

/// A long-running program (a server) started for a test: its standard error is collected as
/// it comes, a test can wait for a line, signal it and collect its exit status.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var errorText = ""
    private let finishedReading = DispatchSemaphore(value: 0)

    /// Starts `executable` with `arguments` in a minimal environment (as `runProcess` does).
    public init(_ executable: String, _ arguments: [String], in directory: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = err.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                errorText += String(decoding: chunk, as: UTF8.self)
                lock.unlock()
            }
            finishedReading.signal()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Everything written to standard error so far.
    public var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return errorText
    }

    /// Waits until standard error matches `pattern` (a regular expression) and returns the
    /// first capture group (or the whole match); nil when the process ends or time runs out.
    public func waitForStderr(_ pattern: String, timeout: TimeInterval = 30) -> String? {
        let regex = try! NSRegularExpression(pattern: pattern)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = stderr
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) {
                let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                return Range(range, in: text).map { String(text[$0]) }
            }
            if !process.isRunning { return nil }
            usleep(20_000)
        }
        return nil
    }

    /// Sends `signal` and waits for the process to end; returns its exit status (nil when
    /// it did not end in time, in which case it is killed).
    public func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 30) -> Int32? {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        finishedReading.wait()
        return process.terminationStatus
    }

    /// Whether the process is still running.
    public var isRunning: Bool { process.isRunning }
}
