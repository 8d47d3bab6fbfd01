import Core
import Foundation
import ReportModel

/// Prints each stage's start, duration and outcome, folds its log in GitLab, and keeps the
/// `StageRecord`s for the run report and the closing summary table.
public final class StageLog {
    private let terminal: Terminal
    private let quiet: Bool
    private let write: (String) -> Void
    var quietMode: Bool { quiet }
    func emit(_ text: String) { write(text) }
    /// The stages recorded so far, in order.
    public private(set) var records: [StageRecord] = []
    /// A held log's lines, kept until `replay` writes them (nil: lines are written at once).
    private var heldLines: HeldLines?

    /// Creates a log that writes human progress lines through `write` (stderr by default,
    /// so that stdout stays for results).
    public init(terminal: Terminal = Terminal(stream: .standardError), quiet: Bool = false, write: @escaping (String) -> Void = Diagnostics.line) {
        self.terminal = terminal
        self.quiet = quiet
        self.write = write
    }

    /// Runs one stage: prints its start, runs `body`, records its outcome and duration.
    /// `body` returns the stage's status and a one-line message; a thrown error records the
    /// stage as `error` and is rethrown.
    @discardableResult
    public func run(_ name: Stage, _ title: String, body: () throws -> (StageRecord.Status, String?)) rethrows -> StageRecord.Status {
        try produce(name, title) {
            let (status, message) = try body()
            return (status, status, message)
        }
    }

    /// Runs one stage that hands a typed result to later stages: like `run`, with `body`
    /// also returning that result.
    public func produce<Result>(_ name: Stage, _ title: String, body: () throws -> (Result, StageRecord.Status, String?)) rethrows -> Result {
        let sectionName = "sluice_\(name.rawValue)"
        if !quiet {
            if terminal.gitlabSections {
                write("\u{1B}[0Ksection_start:\(Int(Date().timeIntervalSince1970)):\(sectionName)[collapsed=false]\r\u{1B}[0K\(terminal.style("▶ \(title)", .bold))")
            } else {
                write(terminal.style("▶ \(title)", .bold))
            }
        }
        let started = Date()
        do {
            let (result, status, message) = try body()
            finish(name, sectionName, started, status, message, logTail: nil)
            return result
        } catch {
            // A failed command's tail goes in its own field, so the report can show it as a block.
            switch error {
            case let failure as CommandFailure: finish(name, sectionName, started, .error, failure.summary, logTail: failure.tail)
            default: finish(name, sectionName, started, .error, "\(error)", logTail: nil)
            }
            throw error
        }
    }

    /// A log for stages that run beside the one this log is running: it writes nothing and
    /// keeps its lines and records until `replay(_:)` adds them here, so that the log reads
    /// as if the stages had run one after the other. Only one thread may use it at a time.
    func held() -> StageLog {
        let lines = HeldLines()
        let log = StageLog(terminal: terminal, quiet: quiet) { lines.lines.append($0) }
        log.heldLines = lines
        return log
    }

    /// Writes a held log's lines and appends its records, after this log's own.
    func replay(_ held: StageLog) {
        for line in held.heldLines?.lines ?? [] { write(line) }
        records += held.records
    }

    /// Records a stage that did not run, with the reason.
    public func skip(_ name: Stage, because reason: String) {
        records.append(StageRecord(name: name, status: .skipped, durationSeconds: 0, message: reason))
        if !quiet { write(terminal.style("○ \(name.rawValue): skipped, \(reason)", .dim)) }
    }

    private func finish(_ name: Stage, _ sectionName: String, _ started: Date, _ status: StageRecord.Status, _ message: String?, logTail: String?) {
        let seconds = Date().timeIntervalSince(started)
        records.append(StageRecord(name: name, status: status, durationSeconds: (seconds * 1000).rounded() / 1000, message: message, logTail: logTail))
        guard !quiet else { return }
        let mark: String
        switch status {
        case .passed: mark = terminal.style("✔", .green)
        case .failed: mark = terminal.style("✘", .red)
        case .error: mark = terminal.style("‼", .red)
        case .skipped: mark = terminal.style("○", .dim)
        }
        write("\(mark) \(name.rawValue) \(status.rawValue) in \(Self.duration(seconds))\(message.map { ": \($0)" } ?? "")")
        if terminal.gitlabSections {
            write("\u{1B}[0Ksection_end:\(Int(Date().timeIntervalSince1970)):\(sectionName)\r\u{1B}[0K")
        }
    }

    /// The closing table: one row per stage with its status, duration and message.
    public func summaryTable() -> String {
        let nameWidth = max(5, records.map(\.name.rawValue.count).max() ?? 0)
        var lines = ["stage".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  status   time     detail"]
        for record in records {
            let name = record.name.rawValue.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let status = record.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            let time = Self.duration(record.durationSeconds).padding(toLength: 7, withPad: " ", startingAt: 0)
            let detail = (record.message ?? "").split(separator: "\n").first.map(String.init) ?? ""
            lines.append("\(name)  \(status)  \(time)  \(detail)")
        }
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.1fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}

/// The lines of a held log.
private final class HeldLines {
    var lines: [String] = []
}

extension StageLog {
    /// A plain progress line between stages.
    public func note(_ text: String) {
        if !quietMode { emit(text) }
    }
}
