import Foundation
import ReportModel

/// How numbers and verdicts read in every rendering, so Markdown and HTML agree.
enum Format {
    /// A metric value: four decimals below 1000, one above (counts, RMSE in dollars).
    static func number(_ value: Double?) -> String {
        guard let value else { return "–" }
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        let text = abs(value) >= 1000 ? String(format: "%.1f", value) : String(format: "%.4f", value)
        return text.replacingOccurrences(of: "-", with: "−")
    }

    /// A difference, always signed.
    static func signed(_ value: Double?) -> String {
        guard let value else { return "–" }
        let text = number(value)
        return value > 0 || (value == 0 && !text.hasPrefix("−")) ? "+" + text : text
    }

    /// A confidence interval of a delta.
    static func interval(_ low: Double?, _ high: Double?) -> String {
        guard let low, let high else { return "–" }
        return "[\(signed(low)), \(signed(high))]"
    }

    /// A p-value with three significant digits, and a floor that does not pretend precision.
    static func pValue(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value < 0.001 ? "<0.001" : String(format: "%.3g", value)
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    static func seconds(_ value: Double) -> String {
        value < 60 ? String(format: "%.1fs", value) : String(format: "%dm%02ds", Int(value) / 60, Int(value) % 60)
    }

    /// The mark of a metric verdict: a colour that survives a screen reader as words.
    static func mark(_ verdict: MetricComparison.Verdict) -> String {
        switch verdict {
        case .better: return "🟢 better"
        case .worse: return "🔴 worse"
        case .noSignificantDifference: return "⚪ no significant change"
        case .notApplicable: return "no champion"
        }
    }

    static func mark(_ status: GateResult.Status) -> String {
        switch status {
        case .passed: return "✅ passed"
        case .failed: return "❌ failed"
        case .notApplicable: return "➖ not applicable"
        }
    }

    static func mark(_ status: StageRecord.Status) -> String {
        switch status {
        case .passed: return "✅ passed"
        case .failed: return "❌ failed"
        case .skipped: return "⏭️ skipped"
        case .error: return "⚠️ error"
        }
    }

    static func mark(_ status: TestCaseResult.Status) -> String {
        switch status {
        case .passed: return "✅"
        case .failed: return "❌"
        case .skipped: return "⏭️"
        case .error: return "⚠️"
        }
    }

    /// The first 8 characters of a commit SHA.
    static func shortCommit(_ commit: String?) -> String? {
        commit.map { String($0.prefix(8)) }
    }
}
