import Foundation

/// Progress of large transfers on standard error: one updating line on a terminal, a line
/// every `logInterval` seconds in CI logs (where carriage returns make a mess), or nothing.
public struct ProgressReporter: Sendable {
    public enum Mode: Sendable {
        case terminal, log, quiet
    }

    public var mode: Mode
    /// Transfers smaller than this are not reported.
    public var threshold: Int64 = 8 << 20
    public var logInterval: TimeInterval = 10

    public init(mode: Mode) { self.mode = mode }

    /// A terminal on stderr gets the updating line; otherwise periodic log lines.
    public static func automatic(quiet: Bool) -> ProgressReporter {
        ProgressReporter(mode: quiet ? .quiet : isatty(STDERR_FILENO) == 1 ? .terminal : .log)
    }

    /// Starts reporting one transfer of `total` bytes.
    public func start(_ name: String, total: Int64) -> Transfer {
        Transfer(name: name, total: total, mode: total < threshold ? .quiet : mode, interval: mode == .terminal ? 0.2 : logInterval)
    }

    /// One transfer's progress; `update` may be called from any thread.
    public final class Transfer: @unchecked Sendable {
        private let name: String
        private let total: Int64
        private let mode: Mode
        private let interval: TimeInterval
        private let started = Date()
        private var lastReport = Date.distantPast
        private var done: Int64 = 0
        private let lock = NSLock()

        init(name: String, total: Int64, mode: Mode, interval: TimeInterval) {
            self.name = name
            self.total = total
            self.mode = mode
            self.interval = interval
        }

        /// Records that `bytes` of the total are done.
        public func update(_ bytes: Int64) {
            guard mode != .quiet else { return }
            lock.lock()
            defer { lock.unlock() }
            done = bytes
            let now = Date()
            guard now.timeIntervalSince(lastReport) >= interval else { return }
            lastReport = now
            emit(final: false)
        }

        /// Reports completion.
        public func finish() {
            guard mode != .quiet else { return }
            lock.lock()
            defer { lock.unlock() }
            done = total
            emit(final: true)
        }

        private func emit(final: Bool) {
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            let mb = { (bytes: Int64) in String(format: "%.1f", Double(bytes) / 1_048_576) }
            let percent = total > 0 ? Int(Double(done) * 100 / Double(total)) : 100
            let line = "\(name): \(percent)% \(mb(done))/\(mb(total)) MB, \(String(format: "%.1f", Double(done) / 1_048_576 / seconds)) MB/s"
            let text = mode == .terminal ? "\r\u{1B}[K" + line + (final ? "\n" : "") : line + "\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
