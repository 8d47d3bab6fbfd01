import ReportModel

/// The report's first line: can I merge? It names the failing gate (or stage) so a
/// reviewer does not have to open anything to know why.
enum Headline {
    /// Plain text (values unescaped): the caller escapes for its format.
    struct Parts {
        /// `✅`, `❌` or `⚠️`.
        let icon: String
        /// "Ready to merge", "Do not merge", "Run broke".
        let verdict: String
        /// The reason, e.g. "gate auc_vs_champion failed: auc delta −0.012 < −0.005".
        let reason: String
    }

    static func parts(_ report: RunReport) -> Parts {
        let failedGates = report.gates.filter { $0.status == .failed }
        switch report.outcome.status {
        case .passed:
            let passed = report.gates.filter { $0.status == .passed }.count
            let reason = report.gates.isEmpty ? (report.outcome.summary.isEmpty ? "every check held" : report.outcome.summary)
                : "all \(passed) \(passed == 1 ? "gate" : "gates") passed" + (passed < report.gates.count ? " (\(report.gates.count - passed) not applicable)" : "")
            return Parts(icon: "✅", verdict: "Ready to merge", reason: reason)
        case .failed:
            if let first = failedGates.first {
                let others = failedGates.count - 1
                let more = others > 0 ? " (and \(others) more failed \(others == 1 ? "gate" : "gates"))" : ""
                return Parts(icon: "❌", verdict: "Do not merge", reason: "gate \(first.name) failed: \(first.detail)\(more)")
            }
            let stage = report.outcome.failedStage.map { "\($0.rawValue) failed" }
            let reason = [stage, report.outcome.summary.isEmpty ? nil : report.outcome.summary].compactMap { $0 }.joined(separator: ": ")
            return Parts(icon: "❌", verdict: "Do not merge", reason: reason.isEmpty ? "a check said no" : reason)
        case .error:
            let stage = report.outcome.failedStage.map { "stage \($0.rawValue) broke" } ?? "the run broke"
            return Parts(icon: "⚠️", verdict: "No verdict", reason: "\(stage)" + (report.outcome.summary.isEmpty ? "" : ": \(report.outcome.summary)"))
        }
    }
}

/// The headline as one plain line, for commit status descriptions and logs.
public enum ReportHeadline {
    /// e.g. "Do not merge: gate auc_vs_champion failed: auc delta -0.012 < -0.005".
    public static func text(_ report: RunReport) -> String {
        let parts = Headline.parts(report)
        return parts.reason.isEmpty ? parts.verdict : "\(parts.verdict): \(parts.reason)"
    }
}
