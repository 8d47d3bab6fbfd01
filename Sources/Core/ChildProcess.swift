import Foundation

/// Runs another program the way a CI step wants it: live output with a prefix, a full log
/// file, a timeout that stops the whole process group, and the tail of the log for messages.
public enum ChildProcess {
    /// What to run: an argument list (no shell, no quoting problems) or a shell string.
    public enum Command: Equatable, Sendable {
        case arguments([String])
        case shell(String)

        /// How the command reads in logs and messages.
        public var display: String {
            switch self {
            case .arguments(let list): return list.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
            case .shell(let line): return line
            }
        }
    }

    /// How one run ended.
    public struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it.
        public var status: Int32
        public var timedOut: Bool
        public var seconds: Double
        /// The last lines of the output, for error messages.
        public var tail: String

        public var succeeded: Bool { status == 0 && !timedOut }
    }

    /// Runs `command` in `directory` with `environment` added to this process's environment.
    /// Output lines go to standard error as `prefix` + line while they are written, and all
    /// bytes to `logPath` (when given). A `timeout` sends SIGTERM to the process group, then
    /// SIGKILL five seconds later. Throws only when the program cannot be started.
    public static func run(_ command: Command, directory: String? = nil, environment: [String: String] = [:], timeout: Double? = nil, prefix: String, logPath: String? = nil, tailLines: Int = 20) throws -> Outcome {
        let process = Process()
        switch command {
        case .arguments(let list):
            guard let program = list.first else { throw Failure.usage("the command is empty") }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + list.dropFirst()
        case .shell(let line):
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", line]
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice

        var log: FileHandle?
        if let logPath {
            try FileManager.default.createDirectory(atPath: (logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: logPath, contents: nil), let handle = FileHandle(forWritingAtPath: logPath) else {
                throw Failure.runtime("cannot write the log file \(logPath)")
            }
            log = handle
        }
        defer { try? log?.close() }

        let started = Date()
        do { try process.run() } catch {
            throw Failure.runtime("cannot start \(command.display): \(error.localizedDescription)")
        }
        try? pipe.fileHandleForWriting.close()
        let reader = OutputReader(pipe.fileHandleForReading, prefix: prefix, log: log, tailLines: tailLines)

        var timedOut = false
        if let timeout {
            let finished = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                process.waitUntilExit()
                finished.signal()
            }
            if finished.wait(timeout: .now() + timeout) == .timedOut {
                timedOut = true
                kill(-process.processIdentifier, SIGTERM)
                if finished.wait(timeout: .now() + 5) == .timedOut { kill(-process.processIdentifier, SIGKILL) }
            }
        }
        process.waitUntilExit()
        // Stragglers of a killed group may still hold the pipe; they were signalled too.
        let tail = reader.finish()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Outcome(status: status, timedOut: timedOut, seconds: Date().timeIntervalSince(started), tail: tail)
    }
}

/// Reads a child's output on its own thread: prefixed lines to stderr, bytes to the log,
/// and the last lines kept for the error message.
private final class OutputReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var lastLines: [String] = []

    init(_ handle: FileHandle, prefix: String, log: FileHandle?, tailLines: Int) {
        Thread.detachNewThread { [self] in
            var pending = Data()
            func emit(_ line: Data) {
                let text = String(decoding: line, as: UTF8.self)
                FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
                lastLines.append(text)
                if lastLines.count > tailLines { lastLines.removeFirst() }
            }
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                log?.write(chunk)
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    emit(pending[pending.startIndex..<newline])
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { emit(pending) }
            done.signal()
        }
    }

    func finish() -> String {
        done.wait()
        return lastLines.joined(separator: "\n")
    }
}

/// A command that failed or timed out: what happened, and the last lines of its output,
/// kept apart so a report can show the tail in its own block.
public struct CommandFailure: SluiceError {
    /// One line: which command, how it failed, where the full log is.
    public let summary: String
    /// The last lines of the command's output.
    public let tail: String

    public init(summary: String, tail: String) {
        self.summary = summary
        self.tail = tail
    }

    public var exitStatus: ExitStatus { .runtime }
    public var description: String { "\(summary); last lines:\n\(tail)" }
}
