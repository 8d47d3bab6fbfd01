import Config
import Core
import Foundation
import ReportModel

/// Decides each gate from the evaluation and the test results, with the values that decided it.
public enum GateEvaluator {
    /// One result per condition of each spec, in order. A spec that cannot be judged on
    /// this evaluation at all (an unknown metric, a slice column that was not evaluated) is a
    /// configuration error; a comparison without a champion is not applicable.
    public static func apply(_ specs: [GateSpec], evaluation: EvaluationSummary?, tests: [TestCaseResult], hygiene: HygieneSummary? = nil) throws -> [GateResult] {
        var results: [GateResult] = []
        for (index, spec) in specs.enumerated() {
            let place = "gates[\(index)]"
            if let check = spec.check {
                guard spec.metric == nil, spec.tests == nil else { throw Failure.usage("\(place): a check gate takes no metric or tests") }
                results.append(try hygieneGate(spec, check: check, hygiene, place: place))
                continue
            }
            if let suite = spec.tests {
                guard spec.metric == nil else { throw Failure.usage("\(place): a tests gate takes no metric") }
                results.append(testGate(spec, suite: suite, tests))
                continue
            }
            guard let name = spec.metric else { throw Failure.usage("\(place): name a metric (or tests: all, or check: leakage or holdout_overlap)") }
            guard let evaluation else {
                throw Failure.usage("\(place): gate on \(name) needs an evaluation (sluice gate --evaluation FILE)")
            }
            guard let metric = evaluation.metrics.first(where: { $0.name == name }) else {
                let known = evaluation.metrics.map(\.name)
                let hint = Suggestion.closest(to: name, among: known).map { "; did you mean '\($0)'?" } ?? " (computed: \(known.joined(separator: ", ")))"
                throw Failure.usage("\(place): metric '\(name)' is not in this \(evaluation.task) evaluation\(hint)")
            }
            let first = results.count
            defer {
                // Every result of this spec names its metric (and slice column), so reports
                // can mark gated metrics and the slice a gate watched.
                for position in first..<results.count {
                    results[position].metric = metric.name
                    results[position].sliceColumn = spec.slice
                }
            }
            var conditions = 0
            if let slice = spec.slice {
                guard spec.min != nil || spec.max != nil else { throw Failure.usage("\(place): a slice gate needs min or max") }
                results.append(try sliceGate(spec, metric: metric, column: slice, evaluation, place: place))
                conditions += 1
            } else {
                if let floor = spec.min { results.append(absolute(spec, metric, bound: floor, isFloor: true)); conditions += 1 }
                if let ceiling = spec.max { results.append(absolute(spec, metric, bound: ceiling, isFloor: false)); conditions += 1 }
            }
            if let drop = spec.maxDrop { results.append(relative(spec, metric, maxDrop: drop)); conditions += 1 }
            if spec.notSignificantlyWorse == true { results.append(significance(spec, metric, needBetter: false)); conditions += 1 }
            if spec.significantlyBetter == true { results.append(significance(spec, metric, needBetter: true)); conditions += 1 }
            guard conditions > 0 else {
                throw Failure.usage("\(place): gate on \(name) has no condition (min, max, max_drop, not_significantly_worse, significantly_better)")
            }
        }
        return results
    }

    static func format(_ value: Double) -> String { String(format: "%.4f", value) }
    static func signed(_ value: Double) -> String { String(format: "%+.4f", value) }

    static func absolute(_ spec: GateSpec, _ metric: MetricComparison, bound: Double, isFloor: Bool) -> GateResult {
        let holds = isFloor ? metric.candidate >= bound : metric.candidate <= bound
        let sign = isFloor ? ">=" : "<="
        return GateResult(name: spec.name ?? "\(metric.name) \(sign) \(bound)", kind: .absolute, status: holds ? .passed : .failed,
                          detail: "\(metric.name) = \(format(metric.candidate)) \(holds ? sign : (isFloor ? "<" : ">")) \(bound)", observed: metric.candidate, threshold: bound)
    }

    static func relative(_ spec: GateSpec, _ metric: MetricComparison, maxDrop: Double) -> GateResult {
        let name = spec.name ?? "\(metric.name) drop vs champion <= \(maxDrop)"
        guard let champion = metric.champion, let delta = metric.delta else {
            return GateResult(name: name, kind: .relative, status: .notApplicable, detail: "no champion yet (first run)", threshold: maxDrop)
        }
        // A drop is a fall for metrics where higher is better and a rise for losses.
        let drop = metric.higherIsBetter ? -delta : delta
        let holds = drop <= maxDrop
        return GateResult(name: name, kind: .relative, status: holds ? .passed : .failed,
                          detail: "\(metric.name) = \(format(metric.candidate)) vs champion \(format(champion)): delta \(signed(delta)), drop \(format(max(drop, 0))) \(holds ? "<=" : ">") \(maxDrop)",
                          observed: delta, threshold: metric.higherIsBetter ? -maxDrop : maxDrop)
    }

    static func significance(_ spec: GateSpec, _ metric: MetricComparison, needBetter: Bool) -> GateResult {
        let name = spec.name ?? "\(metric.name) \(needBetter ? "significantly better than" : "not significantly worse than") champion"
        guard metric.champion != nil, let delta = metric.delta else {
            return GateResult(name: name, kind: .significance, status: .notApplicable, detail: "no champion yet (first run)")
        }
        let holds = needBetter ? metric.verdict == .better : metric.verdict != .worse
        var detail = "\(metric.name) delta \(signed(delta))"
        if let low = metric.ciLow, let high = metric.ciHigh { detail += ", interval [\(signed(low)), \(signed(high))]" }
        detail += ": \(metric.verdict.rawValue.replacingOccurrences(of: "_", with: " "))"
        return GateResult(name: name, kind: .significance, status: holds ? .passed : .failed, detail: detail, observed: delta)
    }

    static func sliceGate(_ spec: GateSpec, metric: MetricComparison, column: String, _ evaluation: EvaluationSummary, place: String) throws -> GateResult {
        let slices = evaluation.slices.filter { $0.column == column }
        guard !slices.isEmpty else {
            throw Failure.usage("\(place): slice column '\(column)' was not evaluated (add it to evaluate.slice_by or --slice-by)")
        }
        let judged = slices.filter { $0.rowCount >= (spec.minRows ?? 1) }
        let bounds = [spec.min.map { ">= \($0)" }, spec.max.map { "<= \($0)" }].compactMap { $0 }.joined(separator: " and ")
        let name = spec.name ?? "\(metric.name) \(bounds) on every \(column)"
        guard !judged.isEmpty else {
            return GateResult(name: name, kind: .slice, status: .notApplicable, detail: "no \(column) slice has \(spec.minRows ?? 1) rows or more", threshold: spec.min ?? spec.max)
        }
        var failing: [String] = []
        var worst: (value: String, metric: Double)?
        for slice in judged {
            guard let value = slice.metrics[metric.name] else { continue }
            if spec.min.map({ value < $0 }) ?? false || spec.max.map({ value > $0 }) ?? false {
                failing.append("\(column)=\(slice.value): \(format(value))")
            }
            let worse = metric.higherIsBetter ? value < (worst?.metric ?? .infinity) : value > (worst?.metric ?? -.infinity)
            if worse { worst = (slice.value, value) }
        }
        let detail = failing.isEmpty
            ? "all \(judged.count) \(column) slices hold; worst \(column)=\(worst?.value ?? "-"): \(worst.map { format($0.metric) } ?? "-")"
            : "\(failing.count) of \(judged.count) \(column) slices miss \(bounds): \(failing.joined(separator: ", "))"
        return GateResult(name: name, kind: .slice, status: failing.isEmpty ? .passed : .failed, detail: detail, observed: worst?.metric, threshold: spec.min ?? spec.max)
    }

    static func testGate(_ spec: GateSpec, suite: String, _ tests: [TestCaseResult]) -> GateResult {
        let chosen = suite == "all" ? tests : tests.filter { $0.suite == suite }
        let name = spec.name ?? (suite == "all" ? "model tests pass" : "model tests \(suite) pass")
        guard !chosen.isEmpty else {
            return GateResult(name: name, kind: .test, status: .notApplicable, detail: suite == "all" ? "no model tests ran" : "no tests in suite \(suite)")
        }
        let bad = chosen.filter { $0.status == .failed || $0.status == .error }
        let detail = bad.isEmpty
            ? "\(chosen.count) tests passed"
            : "\(bad.count) of \(chosen.count) tests failed: " + bad.prefix(5).map { "\($0.suite)/\($0.name)" }.joined(separator: ", ") + (bad.count > 5 ? ", ..." : "")
        return GateResult(name: name, kind: .test, status: bad.isEmpty ? .passed : .failed, detail: detail, observed: Double(bad.count), threshold: 0)
    }
}
