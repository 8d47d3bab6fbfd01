import Foundation
import ReportModel

/// `metrics.txt` in the OpenMetrics text format, for GitLab's metrics report (which shows
/// changes between the merge request and its target branch) and any Prometheus scraper.
public enum OpenMetricsReport {
    public static func render(_ report: RunReport) -> String {
        var families: [(name: String, help: String, samples: [String])] = []
        func family(_ name: String, _ help: String, _ samples: [String]) {
            if !samples.isEmpty { families.append((name, help, samples)) }
        }
        let l = Escape.openMetricsLabel
        family("sluice_run_passed", "1 when the run's verdict is passed, else 0.", ["sluice_run_passed \(report.outcome.status == .passed ? 1 : 0)"])
        if let evaluation = report.evaluation {
            family("sluice_metric", "Model metric on the holdout, by metric and model.", evaluation.metrics.flatMap { metric -> [String] in
                var lines = ["sluice_metric{metric=\"\(l(metric.name))\",model=\"candidate\"} \(value(metric.candidate))"]
                if let champion = metric.champion { lines.append("sluice_metric{metric=\"\(l(metric.name))\",model=\"champion\"} \(value(champion))") }
                return lines
            })
            family("sluice_metric_delta", "Candidate minus champion, by metric.", evaluation.metrics.compactMap { metric in
                metric.delta.map { "sluice_metric_delta{metric=\"\(l(metric.name))\"} \(value($0))" }
            })
        }
        family("sluice_gate_passed", "1 when a gate passed, 0 when it failed (not-applicable gates are left out).", report.gates.compactMap { gate in
            gate.status == .notApplicable ? nil : "sluice_gate_passed{gate=\"\(l(gate.name))\"} \(gate.status == .passed ? 1 : 0)"
        })
        if let drift = report.drift {
            family("sluice_drifted_features", "Number of features whose drift test fired.", ["sluice_drifted_features \(drift.driftedFeatures)"])
            family("sluice_drift_statistic", "Drift statistic per feature.", drift.features.compactMap { feature in
                feature.statistic.map { "sluice_drift_statistic{feature=\"\(l(feature.name))\",method=\"\(l(feature.method.rawValue))\"} \(value($0))" }
            })
        }
        if let validation = report.validation {
            family("sluice_validation_errors", "Validation errors in the data.", ["sluice_validation_errors \(validation.errorCount)"])
        }
        var text = ""
        for family in families {
            text += "# TYPE \(family.name) gauge\n# HELP \(family.name) \(family.help)\n"
            text += family.samples.map { $0 + "\n" }.joined()
        }
        return text + "# EOF\n"
    }

    private static func value(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "+Inf" : "-Inf" }
        return String(format: "%.10g", number)
    }
}
