import Foundation
import ReportModel

/// One self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched), for
/// GitLab's `artifacts:expose_as` and Jenkins's `publishHTML`. It holds every row.
public enum HTMLReport {
    public static func render(_ report: RunReport) -> String {
        let h = Escape.html
        let headline = Headline.parts(report)
        var body = "<h1>\(headline.icon) \(h(headline.verdict))</h1>\n<p class=\"reason\">\(h(headline.reason))</p>\n"
        body += lineage(report.lineage, mlflow: report.mlflow)

        if let evaluation = report.evaluation {
            body += "<h2>Metrics on \(h(evaluation.holdout)) (\(evaluation.rowCount) rows\(evaluation.unlabelledRows.map { "; \(Format.count($0)) without a label left out" } ?? ""))</h2>\n"
            if !evaluation.championAvailable { body += "<p>No champion to compare with.</p>\n" }
            body += table(["metric", "champion", "candidate", "delta", "95% CI", ""], evaluation.metrics.map { metric in
                [h(metric.name + (metric.higherIsBetter ? " ↑" : " ↓")), Format.number(metric.champion), "<b>\(Format.number(metric.candidate))</b>",
                 Format.signed(metric.delta), Format.interval(metric.ciLow, metric.ciHigh), nowrap(Format.mark(metric.verdict))]
            })
            if let trend = report.trend { body += trendSection(report, trend) }
            if let curves = evaluation.rocCurves, !curves.isEmpty { body += "<figure>\(SVGCharts.roc(curves))</figure>\n" }
            if !evaluation.slices.isEmpty { body += HTMLSlices.render(SliceTable(evaluation, gates: report.gates)) }
            if let matrix = evaluation.confusionMatrix {
                body += "<h3>Confusion matrix (rows: actual, columns: predicted)</h3>\n"
                body += table([""] + matrix.labels.map(h), matrix.labels.enumerated().map { index, label in
                    ["<b>\(h(label))</b>"] + (index < matrix.counts.count ? matrix.counts[index].map(String.init) : [])
                })
            }
        }

        if !report.gates.isEmpty {
            body += "<h2>Gates</h2>\n" + table(["gate", "kind", "result", "detail"], report.gates.map { gate in
                [h(gate.name), h(gate.kind.rawValue), nowrap(Format.mark(gate.status)), h(gate.detail)]
            })
        }

        if let hygiene = report.hygiene {
            body += "<h2>Data hygiene: \(h(HygieneRows.summary(hygiene)))</h2>\n"
            body += table(["", "what", "evidence"], HygieneRows.rows(hygiene).map { [$0.mark, h($0.subject), h($0.evidence)] })
        }

        if let drift = report.drift {
            body += "<h2>Drift: \(drift.driftedFeatures) of \(drift.totalFeatures) features drifted\(drift.datasetDrift ? " (dataset drift)" : "")</h2>\n"
            body += "<p>\(h(drift.reference)) → \(h(drift.current)); dataset drift at \(Format.percent(drift.driftShareThreshold)) of features\(drift.fromSketches ? "; computed from sketches" : "").</p>\n"
            let charts = drift.features.filter(\.drifted).compactMap { feature in feature.distribution.map { SVGCharts.distribution(feature, $0) } }
            if !charts.isEmpty { body += "<div class=\"charts\">" + charts.map { "<figure>\($0)</figure>" }.joined() + "</div>\n" }
            body += table(["feature", "kind", "method", "statistic", "p-value", "threshold", "missing ref → cur", "", "note"], drift.features.map { feature in
                [h(feature.name), h(feature.kind), h(feature.method.rawValue), Format.number(feature.statistic), Format.pValue(feature.pValue), Format.number(feature.threshold),
                 "\(Format.percent(feature.missingRateReference)) → \(Format.percent(feature.missingRateCurrent))", nowrap(feature.drifted ? "🔴 drift" : "🟢 stable"), h(feature.note ?? "")]
            })
        }

        if let validation = report.validation {
            body += "<h2>Validation of \(h(validation.file)): \(h(ValidationWording.line(validation)))</h2>\n"
            if !validation.errorsByType.isEmpty {
                body += table(["error type", "count"], validation.errorsByType.sorted { $0.key < $1.key }.map { [h($0.key), "\($0.value)"] })
            }
            if !validation.firstErrors.isEmpty {
                body += table(["row", "field", "type", "value", "message"], validation.firstErrors.map { issue in
                    [issue.row.map(String.init) ?? "–", h(issue.field ?? "–"), h(issue.type), h(issue.value ?? ""), h(issue.message)]
                })
            }
        }

        if !report.tests.isEmpty {
            body += "<h2>Tests</h2>\n" + table(["", "suite", "test", "message"], report.tests.map { test in
                [nowrap(Format.mark(test.status)), h(test.suite), h(test.name), h(test.message ?? "")]
            })
        }
        if !report.triggers.isEmpty {
            body += "<h2>Retraining triggers</h2>\n" + table(["trigger", "", "evidence"], report.triggers.map { [h($0.name), nowrap($0.fired ? "🔔 fired" : "– quiet"), h($0.evidence)] })
        }
        if !report.stages.isEmpty {
            body += "<h2>Stages</h2>\n" + table(["stage", "result", "time", "note"], report.stages.map { stage in
                [h(stage.name.rawValue), nowrap(Format.mark(stage.status)), Format.seconds(stage.durationSeconds), h(stage.message ?? "")
                    + (stage.logTail.map { "<pre>\(h($0))</pre>" } ?? "")]
            })
        }
        if let image = report.image {
            body += "<h2>Image</h2>\n<p><code>\(h(image.reference))</code> <code>\(h(image.digest))</code>\(image.pushed ? " pushed" : "")\(image.promotedTag.map { ", promoted to <code>\(h($0))</code>" } ?? "")</p>\n"
        }
        body += "<footer>sluice \(h(report.sluiceVersion)) · run \(h(report.runId)) · \(h(report.createdAt))</footer>\n"
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(h("Sluice report: \(headline.verdict)"))</title>
        <style>\(style)</style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    private static func lineage(_ lineage: Lineage, mlflow: MLflowSummary?) -> String {
        let h = Escape.html
        var items: [String] = []
        if let change = lineage.mergeRequest {
            let label = "!\(change.number)" + (change.title.map { " \(h($0))" } ?? "")
            items.append(Escape.url(change.url).map { "<a href=\"\(h($0))\">\(label)</a>" } ?? label)
        }
        if let commit = lineage.commit { items.append("commit <code>\(h(Format.shortCommit(commit) ?? ""))</code>") }
        if let branch = lineage.branch { items.append("\(h(branch))\(lineage.targetBranch.map { " → \(h($0))" } ?? "")") }
        if let job = lineage.jobName { items.append("job \(h(job))") }
        if let url = Escape.url(lineage.pipelineURL) { items.append("<a href=\"\(h(url))\">pipeline</a>") }
        if let url = Escape.url(mlflow?.runURL) { items.append("<a href=\"\(h(url))\">MLflow run</a>") }
        if let model = mlflow?.model, let version = mlflow?.version { items.append("registered \(h(model)) version \(h(version))") }
        var html = items.isEmpty ? "" : "<p class=\"lineage\">\(items.joined(separator: " · "))</p>\n"
        if !lineage.dataHashes.isEmpty || !lineage.parameters.isEmpty {
            html += "<details><summary>Lineage</summary>\n"
            html += table(["data", "sha256"], lineage.dataHashes.sorted { $0.key < $1.key }.map { [h($0.key), "<code>\(h($0.value))</code>"] })
            html += table(["parameter", "value"], lineage.parameters.sorted { $0.key < $1.key }.map { [h($0.key), h($0.value)] })
            html += "</details>\n"
        }
        return html
    }

    /// The target branch's history: a line chart and the change against its last run.
    private static func trendSection(_ report: RunReport, _ trend: Trend) -> String {
        let h = Escape.html
        var html = "<h2>Trend on \(h(trend.branch))</h2>\n"
        let rows = RunHistory.rows(report)
        guard !rows.isEmpty else {
            return html + "<p class=\"trend\">No history to compare with: \(h(trend.missing ?? "the last run of \(trend.branch) measured none of these metrics")).</p>\n"
        }
        let commits = trend.points.map { Format.shortCommit($0.commit) ?? String($0.createdAt.prefix(10)) }
        html += "<figure>\(SVGCharts.trend(rows, branch: trend.branch, commits: commits))</figure>\n"
        let last = trend.points.last.map { Format.shortCommit($0.commit) ?? $0.runId } ?? ""
        html += table(["metric", "\(h(trend.branch)) (\(h(last)))", "this run", "change"], rows.map { row in
            [h(row.name + (row.higherIsBetter ? " ↑" : " ↓")), Format.number(row.last), "<b>\(Format.number(row.current))</b>", Format.signed(row.change)]
        })
        return html + "<p class=\"trend\">The last \(trend.points.count) \(trend.points.count == 1 ? "run" : "runs") of \(h(trend.branch)), from \(h(trend.origin ?? "its history")).</p>\n"
    }

    /// A mark ("✅ passed") kept on one line.
    static func nowrap(_ mark: String) -> String {
        "<span class=\"nowrap\">\(Escape.html(mark))</span>"
    }

    /// A table from cells that are already HTML.
    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "" }
        var html = "<table><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows { html += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
        return html + "</tbody></table>\n"
    }

    private static let style = """
    body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\
    h1{font-size:1.6em}.reason{font-size:1.1em}.lineage{color:#555}\
    table{border-collapse:collapse;margin:.6em 0 1.2em}th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}\
    th{background:#f5f5f5}td:nth-child(n+2){font-variant-numeric:tabular-nums}\
    .charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5em;max-height:20em;overflow:auto}\
    footer{color:#777;font-size:.85em;margin-top:2em}.nowrap{white-space:nowrap}\
    td.worst{background:#fdecea;white-space:nowrap}.gated{font-size:.8em;color:#555;font-weight:normal}details summary{cursor:pointer;white-space:nowrap}\
    .charts svg{max-width:100%;height:auto}
    """
}
