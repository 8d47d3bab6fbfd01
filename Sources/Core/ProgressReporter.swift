import Foundation

/// Progress of long work (reading a large file, writing or pushing a layer) on standard
/// error: one updating line with bytes, rate and ETA on a terminal; a plain line every
/// `logInterval` seconds in CI logs, where carriage returns make a mess; or nothing
/// (`--quiet`). Work under `threshold` bytes is not reported.
public struct ProgressReporter: Sendable {
    public enum Mode: Sendable {
        case terminal, log, quiet
    }

    public var mode: Mode
    /// Work smaller than this is not reported.
    public var threshold: Int64 = 8 << 20
    /// Seconds between lines in a CI log.
    public var logInterval: TimeInterval = 10
    /// Seconds between redraws of the terminal line.
    public var terminalInterval: TimeInterval = 0.2
    /// The time now; tests give a fake clock.
    public var clock: @Sendable () -> Date = { Date() }
    /// Where the text goes; tests capture it.
    public var write: @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }

    public init(mode: Mode) { self.mode = mode }

    /// A terminal on stderr gets the updating line; otherwise log lines, every
    /// `SLUICE_PROGRESS_INTERVAL` seconds when that is set (default 10).
    public static func automatic(quiet: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressReporter {
        var reporter = ProgressReporter(mode: quiet ? .quiet : isatty(STDERR_FILENO) == 1 ? .terminal : .log)
        if let interval = environment["SLUICE_PROGRESS_INTERVAL"].flatMap(Double.init), interval >= 0, interval.isFinite {
            reporter.logInterval = interval
        }
        return reporter
    }

    /// Starts reporting one piece of work of `total` bytes.
    public func start(_ name: String, total: Int64) -> Transfer {
        Transfer(name: name, total: total, reporter: self, mode: total < threshold ? .quiet : mode)
    }

    /// One piece of work's progress; `update` may be called from any thread.
    public final class Transfer: @unchecked Sendable {
        private let name: String
        private let total: Int64
        private let reporter: ProgressReporter
        private let mode: Mode
        private let started: Date
        private var lastReport: Date?
        private var done: Int64 = 0
        private let lock = NSLock()

        init(name: String, total: Int64, reporter: ProgressReporter, mode: Mode) {
            self.name = name
            self.total = total
            self.reporter = reporter
            self.mode = mode
            started = reporter.clock()
        }

        /// Records that `bytes` of the total are done.
        public func update(_ bytes: Int64) {
            guard mode != .quiet else { return }
            lock.lock()
            defer { lock.unlock() }
            done = bytes
            let now = reporter.clock()
            let interval = mode == .terminal ? reporter.terminalInterval : reporter.logInterval
            // The first line waits one interval too: short work gets only its final line.
            guard now.timeIntervalSince(lastReport ?? started) >= interval else { return }
            lastReport = now
            emit(final: false, now: now)
        }

        /// Reports completion: the terminal line ends; a log gets one last line with the
        /// size and the average rate.
        public func finish() {
            guard mode != .quiet else { return }
            lock.lock()
            defer { lock.unlock() }
            done = total
            emit(final: true, now: reporter.clock())
        }

        private func emit(final: Bool, now: Date) {
            let seconds = max(now.timeIntervalSince(started), 0.001)
            let rate = Double(done) / seconds
            var line = "\(name): \(ProgressText.percent(done, of: total)) \(ProgressText.megabytes(done))/\(ProgressText.megabytes(total)) MB, \(ProgressText.rate(rate))"
            if !final { line += ", ETA \(ProgressText.eta(remaining: total - done, rate: rate))" }
            reporter.write(mode == .terminal ? "\r\u{1B}[K" + line + (final ? "\n" : "") : line + "\n")
        }
    }
}

/// The numbers of a progress line.
enum ProgressText {
    static func percent(_ done: Int64, of total: Int64) -> String {
        "\(total > 0 ? min(Int(Double(done) * 100 / Double(total)), 100) : 100)%"
    }

    static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }

    static func rate(_ bytesPerSecond: Double) -> String { String(format: "%.1f MB/s", bytesPerSecond / 1_048_576) }

    /// `m:ss` (or `h:mm:ss`) at the rate so far; `?` before anything is done.
    static func eta(remaining: Int64, rate: Double) -> String {
        guard rate > 0, remaining >= 0 else { return "?" }
        let seconds = Int((Double(remaining) / rate).rounded(.up))
        return seconds >= 3600
            ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }
}
