import Core
import Foundation
import ReportModel

/// The report's formats.
public enum ReportFormat: String, CaseIterable, Sendable {
    case markdown, html, junit, metrics, json

    /// The file name each format is written under in a report directory.
    public var fileName: String {
        switch self {
        case .markdown: return "report.md"
        case .html: return "report.html"
        case .junit: return "junit.xml"
        case .metrics: return "metrics.txt"
        case .json: return "run.json"
        }
    }
}

/// Renders and writes a run's report files: the library call `sluice run` and
/// `sluice report render --format all` share.
public enum ReportFiles {
    /// GitHub's job summary holds 1 MiB per step.
    public static let jobSummaryLimit = 1_048_576

    /// How to render.
    public struct Options: Sendable {
        /// A Mustache template replacing the built-in Markdown one.
        public var template: String?
        /// The report key (job, matrix cell) shown in the Markdown.
        public var key: String?
        /// Where the full files can be browsed, for "N more rows" links.
        public var artifactsURL: String?
        /// Where the HTML report opens in one click, linked at the top of the Markdown.
        public var reportURL: String?

        public init(template: String? = nil, key: String? = nil, artifactsURL: String? = nil, reportURL: String? = nil) {
            self.template = template
            self.key = key
            self.artifactsURL = artifactsURL
            self.reportURL = reportURL
        }
    }

    /// The text of one format.
    public static func render(_ report: RunReport, as format: ReportFormat, options: Options = Options(), budget: Int? = nil, measure: @escaping (String) -> Int = Budget.length) throws -> String {
        switch format {
        case .markdown: return try MarkdownReport.render(report, template: options.template, budget: budget, measure: measure, key: options.key, artifactsURL: options.artifactsURL, reportURL: options.reportURL)
        case .html: return HTMLReport.render(report)
        case .junit: return JUnitReport.render(report)
        case .metrics: return OpenMetricsReport.render(report)
        case .json: return try JSONOutput.string(report)
        }
    }

    /// Writes every format into `directory` (atomically, each under `ReportFormat.fileName`)
    /// and returns the paths written.
    @discardableResult
    public static func write(_ report: RunReport, to directory: String, options: Options = Options(), formats: [ReportFormat] = ReportFormat.allCases) throws -> [String] {
        var written: [String] = []
        for format in formats {
            let path = (directory as NSString).appendingPathComponent(format.fileName)
            try AtomicFile.write(try render(report, as: format, options: options), to: path)
            written.append(path)
        }
        return written
    }

    /// Appends the Markdown report to GitHub's job summary when `GITHUB_STEP_SUMMARY` names
    /// the file; returns its path, or nil outside GitHub Actions.
    @discardableResult
    public static func appendJobSummary(_ report: RunReport, options: Options = Options(), environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return nil }
        // The limit is in bytes, and the file may already hold earlier steps' summaries.
        let used = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        let markdown = try render(report, as: .markdown, options: options, budget: max(1000, jobSummaryLimit - used - 1), measure: { $0.utf8.count })
        guard let handle = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else {
            throw Failure.runtime("cannot write GitHub's job summary at \(path) (GITHUB_STEP_SUMMARY)")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((markdown + "\n").utf8))
        } catch {
            throw Failure.runtime("cannot write GitHub's job summary at \(path) (GITHUB_STEP_SUMMARY): \(error.localizedDescription)")
        }
        return path
    }
}
