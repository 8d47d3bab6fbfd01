import Core
import Foundation
import Mustache
import ReportModel

/// The Markdown report: a merge request comment, a job summary, `report.md`.
public enum MarkdownReport {
    /// Renders `report` with the built-in template or `template` (Mustache text), in at most
    /// `budget` characters when one is given.
    ///
    /// Over budget, it steps down: charts and the long `<details>` contents go first, then
    /// tables are trimmed with "N more rows in the job artifacts" and a link to
    /// `artifactsURL` (else the pipeline), and as a last resort the text is cut with a
    /// note. It never fails for size.
    ///
    /// `measure` counts the size the budget is in: characters as the forges count them by
    /// default, UTF-8 bytes for limits in bytes.
    public static func render(_ report: RunReport, template: String? = nil, budget: Int? = nil, measure: @escaping (String) -> Int = Budget.length,
                              key: String? = nil, artifactsURL: String? = nil, reportURL: String? = nil) throws -> String {
        let compiled = try compile(template ?? DefaultTemplates.comment)
        var last = ""
        for layout in MarkdownLayout.steps {
            last = tidy(compiled.render(MarkdownView.build(report, layout: layout, key: key, artifactsURL: artifactsURL, reportURL: reportURL)))
            guard let budget else { return last }
            if measure(last) <= budget { return last }
        }
        return Budget.cut(last, to: budget ?? Int.max, measure: measure, artifactsURL: artifactsURL ?? report.lineage.pipelineURL)
    }

    /// Parses a template; the view's strings are already escaped, so the template renders
    /// them as they are (`{{x}}` and `{{{x}}}` alike).
    static func compile(_ text: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
        } catch {
            throw Failure.usage("the Markdown template does not parse: \(error)")
        }
    }

    /// Collapses runs of blank lines that skipped sections leave behind.
    static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        var blank = 0
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.trimmingCharacters(in: .whitespaces).isEmpty {
                blank += 1
                if blank > 1 { continue }
            } else {
                blank = 0
            }
            lines.append(line)
        }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Comment size limits are counted in characters by the forges (Ruby string length);
/// UTF-16 code units are never fewer, so counting them is safe.
public enum Budget {
    public static func length(_ text: String) -> Int { text.utf16.count }

    /// The last resort: `text` cut at a line boundary to fit `budget`, with a note saying so.
    static func cut(_ text: String, to budget: Int, measure: (String) -> Int = length, artifactsURL: String?) -> String {
        let link = Escape.url(artifactsURL).map { " ([open](\($0)))" } ?? ""
        let note = "\n\n_… the report was cut to fit the comment size limit; the full report is in the job artifacts\(link)._\n"
        guard measure(text) > budget else { return text }
        let room = max(0, budget - measure(note))
        var kept = ""
        var used = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let cost = measure(String(line)) + 1
            if used + cost > room { break }
            kept += line + "\n"
            used += cost
        }
        return kept + note
    }
}
