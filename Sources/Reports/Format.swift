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

    /// A whole count with thousands separators: 12,345.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "−" : "") + grouped
    }

    /// A share as a percentage with two significant digits and no trailing zeros: 0.17%,
    /// 1%, 12%.
    static func share(_ fraction: Double) -> String {
        let percent = fraction * 100
        guard percent.isFinite else { return "–" }
        if percent > 0, percent < 0.01 { return "<0.01%" }
        return (percent >= 10 ? String(format: "%.0f", percent) : String(format: "%.2g", percent)) + "%"
    }

    /// An axis label for people: three significant digits, thousands separators up to
    /// 9,999, SI suffixes above (21k, 1.5M, 2.35G), a true minus sign.
    static func axis(_ value: Double) -> String {
        axis(value, siFrom: 10_000)
    }

    /// Labels of one axis in one style: SI suffixes from 1,000 up when the axis reaches
    /// 10,000 (7.48k beside 30k, never 7,480 beside 30k).
    static func axisLabels(_ values: [Double]) -> [String] {
        let siFrom = values.contains { abs($0) >= 10_000 } ? 1000.0 : 10_000
        return values.map { axis($0, siFrom: siFrom) }
    }

    private static func axis(_ value: Double, siFrom: Double) -> String {
        guard value.isFinite else { return number(value) }
        let magnitude = abs(value)
        let sign = value < 0 ? "−" : ""
        if magnitude >= siFrom {
            for (power, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= power * 0.9995 {
                return sign + significant(magnitude / power) + suffix
            }
        }
        if magnitude >= 1000 { return sign + count(Int(magnitude.rounded())) }
        return magnitude == 0 ? "0" : sign + significant(magnitude)
    }

    /// Three significant digits without trailing zeros: 21, 1.5, 0.0123, 123.
    private static func significant(_ value: Double) -> String {
        var text = String(format: "%.3g", value)
        if text.contains("e") { text = String(format: value < 1 ? "%.6f" : "%.0f", value) }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// A share on an axis: 0%, 2.5%, 30%.
    static func axisShare(_ share: Double) -> String {
        share == 0 ? "0%" : significant(share * 100) + "%"
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
