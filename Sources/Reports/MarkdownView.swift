import Foundation
import ReportModel

/// How much of the report goes into the Markdown; the size budget steps down through these.
struct MarkdownLayout: Equatable {
    /// Mermaid charts.
    var charts = true
    /// Everything in the `<details>` sections: passed tests, log tails, all slices.
    var fullDetails = true
    /// Rows per table; nil for all of them.
    var maxRows: Int?

    /// The steps from everything to the least: collapse first, then trim the tables.
    static let steps: [MarkdownLayout] = [
        MarkdownLayout(),
        MarkdownLayout(charts: false, fullDetails: false),
        MarkdownLayout(charts: false, fullDetails: false, maxRows: 50),
        MarkdownLayout(charts: false, fullDetails: false, maxRows: 20),
        MarkdownLayout(charts: false, fullDetails: false, maxRows: 5),
        MarkdownLayout(charts: false, fullDetails: false, maxRows: 0),
    ]
}

/// The values a Markdown template sees, built from the run report. Every string that came
/// from the merge request or the data is already Markdown-escaped, and URLs are checked,
/// so a template cannot forget to escape. The keys are documented in docs/commands/report.md.
enum MarkdownView {
    static func build(_ report: RunReport, layout: MarkdownLayout, key: String?, artifactsURL: String?, reportURL: String? = nil) -> [String: Any] {
        let md = Escape.markdown
        let headline = Headline.parts(report)
        var view: [String: Any] = [
            "headline": ["icon": headline.icon, "verdict": headline.verdict, "reason": md(headline.reason)],
            "passed": report.outcome.status == .passed,
            "failed": report.outcome.status == .failed,
            "error": report.outcome.status == .error,
            "summary": md(report.outcome.summary),
            "run": ["id": md(report.runId), "createdAt": md(report.createdAt), "sluiceVersion": md(report.sluiceVersion)],
            "lineage": lineage(report.lineage, mlflow: report.mlflow),
        ]
        if let key { view["key"] = md(key) }
        let artifacts = Escape.url(artifactsURL ?? report.lineage.pipelineURL)
        if let artifacts { view["artifactsURL"] = artifacts }
        if let link = Escape.url(reportURL) { view["reportURL"] = link }
        let table = { (rows: [[String: Any]]) -> [String: Any] in trimmed(rows, layout: layout, artifactsURL: artifacts) }

        if let evaluation = report.evaluation {
            var metrics = table(evaluation.metrics.map { metric in
                ["name": md(metric.name), "candidate": Format.number(metric.candidate), "champion": Format.number(metric.champion),
                 "delta": Format.signed(metric.delta), "ci": Format.interval(metric.ciLow, metric.ciHigh),
                 "mark": Format.mark(metric.verdict), "direction": metric.higherIsBetter ? "↑" : "↓"] as [String: Any]
            })
            metrics["championAvailable"] = evaluation.championAvailable
            metrics["task"] = md(evaluation.task)
            metrics["holdout"] = md(evaluation.holdout)
            metrics["rowCount"] = evaluation.rowCount
            if let unlabelled = evaluation.unlabelledRows { metrics["unlabelledRows"] = Format.count(unlabelled) }
            if !evaluation.slices.isEmpty {
                metrics["slices"] = MarkdownSlices.view(SliceTable(evaluation, gates: report.gates), layout: layout, artifactsURL: artifacts)
            }
            view["metrics"] = metrics
            if layout.charts, let chart = MermaidCharts.metrics(evaluation) { view["metricsChart"] = chart }
        }

        if let drift = report.drift {
            let ordered = drift.features.sorted { ($0.drifted ? 0 : 1) < ($1.drifted ? 0 : 1) }
            var section = table(ordered.map { feature in
                var row: [String: Any] = ["name": md(feature.name), "kind": md(feature.kind), "method": md(feature.method.rawValue),
                                          "statistic": Format.number(feature.statistic), "pValue": Format.pValue(feature.pValue),
                                          "threshold": Format.number(feature.threshold), "drifted": feature.drifted,
                                          "mark": feature.drifted ? "🔴 drift" : "🟢 stable",
                                          "missingReference": Format.percent(feature.missingRateReference),
                                          "missingCurrent": Format.percent(feature.missingRateCurrent)]
                if let note = feature.note { row["note"] = md(note) }
                return row
            })
            section["datasetDrift"] = drift.datasetDrift
            section["driftedFeatures"] = drift.driftedFeatures
            section["totalFeatures"] = drift.totalFeatures
            section["share"] = Format.percent(drift.totalFeatures > 0 ? Double(drift.driftedFeatures) / Double(drift.totalFeatures) : 0)
            section["threshold"] = Format.percent(drift.driftShareThreshold)
            section["reference"] = md(drift.reference)
            section["current"] = md(drift.current)
            section["fromSketches"] = drift.fromSketches
            view["drift"] = section
            if layout.charts, let chart = MermaidCharts.drift(drift) { view["driftChart"] = chart }
            if layout.charts {
                // The three most drifted numeric features' histograms; the HTML has them all.
                let histograms = drift.features.filter(\.drifted).compactMap { feature in
                    MermaidCharts.histogram(feature).map { ["name": md(feature.name), "chart": $0] }
                }.prefix(3)
                if !histograms.isEmpty {
                    view["driftHistograms"] = Array(histograms)
                    view["hasDriftHistograms"] = true
                }
            }
        }

        if let trend = report.trend {
            let rows = RunHistory.rows(report)
            var section: [String: Any] = ["branch": md(trend.branch), "count": trend.points.count, "hasRows": !rows.isEmpty,
                                          "rows": rows.map { row in
                                              ["name": md(row.name), "direction": row.higherIsBetter ? "↑" : "↓", "sparkline": RunHistory.sparkline(row.history + [row.current]),
                                               "last": Format.number(row.last), "current": Format.number(row.current), "change": Format.signed(row.change)] as [String: Any]
                                          }]
            if let origin = trend.origin { section["origin"] = md(origin) }
            if let commit = Format.shortCommit(trend.points.last?.commit) { section["lastCommit"] = md(commit) }
            if rows.isEmpty { section["missing"] = md(trend.missing ?? "the last run of \(trend.branch) measured none of these metrics") }
            if layout.charts, !rows.isEmpty {
                let labels = RunHistory.runLabels(trend)
                // The first three metrics; the table and the HTML report have them all.
                section["charts"] = rows.prefix(3).map { ["chart": MermaidCharts.trend($0, branch: trend.branch, runLabels: labels)] }
            }
            view["trend"] = section
        }

        if !report.gates.isEmpty {
            let ordered = report.gates.sorted { ($0.status == .failed ? 0 : 1) < ($1.status == .failed ? 0 : 1) }
            var gates = table(ordered.map { gate in
                ["name": md(gate.name), "kind": md(gate.kind.rawValue), "mark": Format.mark(gate.status), "detail": md(gate.detail),
                 "failed": gate.status == .failed] as [String: Any]
            })
            let failed = report.gates.filter { $0.status == .failed }.count
            let passed = report.gates.filter { $0.status == .passed }.count
            let inapplicable = report.gates.count - failed - passed
            gates["failedCount"] = failed
            gates["total"] = report.gates.count
            gates["summary"] = [failed > 0 ? "\(failed) of \(report.gates.count) failed" : "\(passed) passed",
                                inapplicable > 0 ? "\(inapplicable) not applicable" : nil].compactMap { $0 }.joined(separator: ", ")
            view["gates"] = gates
        }

        if let hygiene = report.hygiene {
            view["hygiene"] = ["summary": md(HygieneRows.summary(hygiene)), "clean": hygiene.leakage.isEmpty && (hygiene.holdoutOverlap?.overlappingRows ?? 0) == 0,
                               "rows": HygieneRows.rows(hygiene).map { ["mark": $0.mark, "subject": md($0.subject), "evidence": md($0.evidence)] }] as [String: Any]
        }

        if let validation = report.validation {
            var section = table(validation.firstErrors.map { issue in
                ["type": md(issue.type), "row": issue.row.map(String.init) ?? "–", "field": md(issue.field ?? "–"),
                 "value": md(issue.value ?? ""), "message": md(issue.message)] as [String: Any]
            })
            section["valid"] = validation.valid
            section["accepted"] = validation.accepted
            section["line"] = md(ValidationWording.line(validation))
            section["file"] = md(validation.file)
            section["rowCount"] = validation.rowCount
            section["errorCount"] = validation.errorCount
            section["byType"] = validation.errorsByType.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ["name": md($0.key), "count": $0.value] }
            section["byField"] = validation.errorsByField.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ["name": md($0.key), "count": $0.value] }
            view["validation"] = section
        }

        if !report.tests.isEmpty {
            let shown = layout.fullDetails ? report.tests : report.tests.filter { $0.status == .failed || $0.status == .error }
            var tests = table(shown.map { test in
                ["suite": md(test.suite), "name": md(test.name), "mark": Format.mark(test.status), "message": md(test.message ?? "")] as [String: Any]
            })
            tests["total"] = report.tests.count
            tests["passedCount"] = report.tests.filter { $0.status == .passed }.count
            tests["failedCount"] = report.tests.filter { $0.status == .failed || $0.status == .error }.count
            tests["skippedCount"] = report.tests.filter { $0.status == .skipped }.count
            view["tests"] = tests
        }

        if !report.triggers.isEmpty {
            view["triggers"] = ["rows": report.triggers.map { trigger in
                ["name": md(trigger.name), "mark": trigger.fired ? "🔔 fired" : "– quiet", "evidence": md(trigger.evidence)] as [String: Any]
            }]
        }

        if !report.stages.isEmpty {
            view["stages"] = ["rows": report.stages.map { stage in
                var row: [String: Any] = ["name": md(stage.name.rawValue), "mark": Format.mark(stage.status),
                                          "duration": Format.seconds(stage.durationSeconds), "message": md(stage.message ?? "")]
                if layout.fullDetails, let tail = stage.logTail, !tail.isEmpty { row["logTail"] = CodeFence.wrap(tail) }
                return row
            }]
        }

        if let image = report.image {
            var section: [String: Any] = ["reference": md(image.reference), "digest": md(image.digest), "pushed": image.pushed]
            if let tag = image.promotedTag { section["promotedTag"] = md(tag) }
            if let smoke = image.smoke {
                var facts: [String: Any] = ["outcome": smoke.outcome.rawValue, "detail": md(smoke.detail.split(separator: "\n").first.map(String.init) ?? "")]
                if let seconds = smoke.startupSeconds { facts["startup"] = String(format: "%.2f s", seconds) }
                if let seconds = smoke.latencySeconds { facts["latency"] = String(format: "%.1f ms", seconds * 1000) }
                if let rows = smoke.rows { facts["rows"] = rows }
                if let runtime = smoke.runtime { facts["runtime"] = md(runtime) }
                section["smoke"] = facts
            }
            view["image"] = section
        }
        return view
    }

    static func lineage(_ lineage: Lineage, mlflow: MLflowSummary? = nil) -> [String: Any] {
        var view: [String: Any] = [:]
        if let url = Escape.url(mlflow?.runURL) { view["mlflowRunURL"] = url }
        if let model = mlflow?.model, let version = mlflow?.version {
            view["mlflowVersion"] = Escape.markdown("\(model) version \(version)" + (mlflow?.aliasMoved.map { " (@\($0))" } ?? ""))
        }
        if let commit = lineage.commit { view["commit"] = Escape.markdown(commit); view["shortCommit"] = Escape.codeSpan(Format.shortCommit(commit) ?? "") }
        if let branch = lineage.branch { view["branch"] = Escape.markdown(branch) }
        if let target = lineage.targetBranch { view["targetBranch"] = Escape.markdown(target) }
        if let job = lineage.jobName { view["jobName"] = Escape.markdown(job) }
        if let system = lineage.ciSystem { view["ciSystem"] = Escape.markdown(system) }
        if let url = Escape.url(lineage.pipelineURL) { view["pipelineURL"] = url }
        if let change = lineage.mergeRequest {
            var entry: [String: Any] = ["number": change.number]
            if let title = change.title { entry["title"] = Escape.markdown(title) }
            if let url = Escape.url(change.url) { entry["url"] = url }
            view["change"] = entry
        }
        // Whether the "where it came from" line has anything to say.
        view["any"] = lineage.commit != nil || lineage.branch != nil || lineage.mergeRequest != nil || lineage.pipelineURL != nil || view["mlflowRunURL"] != nil
        view["hasDataHashes"] = !lineage.dataHashes.isEmpty
        view["hasParameters"] = !lineage.parameters.isEmpty
        view["hasLineageDetails"] = !lineage.dataHashes.isEmpty || !lineage.parameters.isEmpty
        if !lineage.dataHashes.isEmpty {
            view["dataHashes"] = lineage.dataHashes.sorted { $0.key < $1.key }.map { ["path": Escape.markdown($0.key), "sha256": Escape.codeSpan(String($0.value.prefix(12)))] }
        }
        if !lineage.parameters.isEmpty {
            view["parameters"] = lineage.parameters.sorted { $0.key < $1.key }.map { ["name": Escape.markdown($0.key), "value": Escape.markdown($0.value)] }
        }
        return view
    }

    /// A table's rows cut to the layout's limit, with the count left out and where to find it.
    static func trimmed(_ rows: [[String: Any]], layout: MarkdownLayout, artifactsURL: String?) -> [String: Any] {
        let limit = layout.maxRows ?? rows.count
        let shown = Array(rows.prefix(limit))
        var table: [String: Any] = ["rows": shown, "count": rows.count, "empty": rows.isEmpty]
        if let artifactsURL { table["artifactsURL"] = artifactsURL }
        return withMore(table, rows.count - shown.count, artifactsURL: artifactsURL)
    }

    /// `table` saying how many rows were left out, and the line that tells the reader where
    /// they are: "… N more rows in the job artifacts (open)".
    static func withMore(_ table: [String: Any], _ more: Int, artifactsURL: String?) -> [String: Any] {
        var table = table
        table["more"] = more
        table["hasMore"] = more > 0
        table["moreNote"] = "_… \(more) more \(more == 1 ? "row" : "rows") in the job artifacts\(artifactsURL.map { " ([open](\($0)))" } ?? "")._"
        return table
    }
}

/// Text shown verbatim inside a fenced code block whatever backticks it contains.
enum CodeFence {
    static func wrap(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return "\(fence)text\n\(text)\n\(fence)"
    }
}
