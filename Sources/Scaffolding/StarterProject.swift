import Core
import Foundation
import Tabular
import Validation

/// The files `sluice init` writes into a repository: a starter `sluice.yml` filled in from
/// the reference data and its label, the Table Schema inferred from that data, and the CI
/// file for the chosen system. Nothing is written until every file is known to be new (or
/// `force` allows replacing it).
public struct StarterProject {
    /// What `sluice init` was asked for.
    public struct Request: Sendable {
        /// The repository root the files go into.
        public var directory: String
        /// The reference data file (as the user named it, relative to the working directory);
        /// nil adds a CI file to a repository that has its `sluice.yml` already.
        public var data: String?
        /// The label column; nil picks `label` or `target` when the data has one.
        public var label: String?
        public var ci: CISystem?

        public init(directory: String, data: String?, label: String?, ci: CISystem?) {
            self.directory = directory
            self.data = data
            self.label = label
            self.ci = ci
        }
    }

    /// One file to write: its path relative to the repository root, its text, and what it is.
    public struct File: Sendable {
        public var path: String
        public var text: String
        public var description: String
        /// Lines added to the file when it exists (`.gitignore`), instead of replacing it.
        public var mergesLines = false
    }

    /// The `.gitignore` lines Sluice needs: its working directory holds runs, data copies,
    /// models and the cache, none of which belong in the repository.
    static let ignoredLines = ["# Sluice: runs, working copies of data, models and the run cache", ".sluice/"]

    /// Column names taken for the label when `--label` is not given.
    static let conventionalLabels = ["label", "target"]

    public let directory: String
    public let files: [File]
    /// What the user does next, in order.
    public let nextSteps: [String]
    /// Warnings about the request, such as reference data outside the repository.
    public let warnings: [String]

    /// The paths `request` would create or replace, relative to its directory (`.gitignore`
    /// is merged into, never replaced, so it is not among them).
    public static func paths(_ request: Request) -> [String] {
        (request.data == nil ? [] : ["sluice.yml", "schema.json"]) + (request.ci.map { [$0.path] } ?? [])
    }

    /// Reads the data (schema inference, then the label column) and renders every file.
    /// Throws `Failure.usage` (exit 2) for a missing or unusable label and the data's own
    /// read errors (exit 3).
    public init(_ request: Request) throws {
        directory = request.directory
        let gitignore = File(path: ".gitignore", text: Self.ignoredLines.joined(separator: "\n") + "\n", description: "keeps .sluice/ (runs, data copies, cache) out of git", mergesLines: true)
        guard let data = request.data else {
            // A second CI system for a repository `sluice init` set up already.
            guard let ci = request.ci else { throw Failure.usage("sluice init needs --data FILE (or --ci SYSTEM to add a CI file beside an existing sluice.yml)") }
            files = [File(path: ci.path, text: ci.text, description: ci.description), gitignore]
            nextSteps = ci.setup + ["commit \(ci.path)"]
            warnings = []
            return
        }
        let source = TableSource(path: data)
        let schema = try SchemaInference.infer(source)
        let columns = schema.fields.map(\.name)
        guard let label = request.label ?? Self.conventionalLabels.first(where: columns.contains) else {
            throw Failure.usage("\(data): name the label column with --label (columns: \(columns.joined(separator: ", ")))")
        }
        let summary = try LabelSummary.inspect(source, column: label)
        // A feature that gives the label away would make the first model look perfect: it is
        // left out of the features from the start, and a gate refuses any that appears later.
        let idColumn = schema.primaryKey.count == 1 ? schema.primaryKey : []
        let leaking = try DataHygiene.check(training: data, holdout: nil, options: HygieneOptions(
            label: label, labelIsNumeric: summary.task == .regression, exclude: idColumn, missingValues: Set(schema.missingValues))).leakage

        let reference = RelativePath.from(directory, to: data)
        let current = Self.sibling(of: reference, named: "current"), holdout = Self.sibling(of: reference, named: "holdout")
        let missing = [current, holdout].filter { !FileManager.default.fileExists(atPath: (request.directory as NSString).appendingPathComponent($0)) }
        // Nothing beside the data: a config that runs on the one file as it is. Either file
        // there: the user is setting batches up, so both are named.
        let oneFile = missing.count == 2
        let config = StarterConfig(reference: reference, batches: oneFile ? .oneFile : .files(current: current, holdout: holdout), label: label, summary: summary, leaking: leaking)
        var files = [
            File(path: "sluice.yml", text: config.text, description: "the run configuration: label '\(label)', \(summary.task.rawValue) task" + (summary.unlabelled > 0 ? "; \(summary.unlabelled) rows without a label, left out of training and evaluation" : "")),
            File(path: "schema.json", text: try schema.jsonString(), description: "\(schema.fields.count) fields inferred from \(data)"),
        ]
        if let ci = request.ci { files.append(File(path: ci.path, text: ci.text, description: ci.description)) }
        files.append(gitignore)
        self.files = files

        var steps: [String] = []
        if !oneFile, !missing.isEmpty {
            steps.append("add \(missing.joined(separator: " and ")) (the newest labelled batch; labelled rows never trained on), with the columns of \(reference)")
        }
        for finding in leaking {
            steps.append("\(finding.column) gives '\(label)' away (\(finding.evidence)): sluice.yml leaves it out of the features (train.exclude); keep it out unless it is known before the label is")
        }
        steps.append("review schema.json (tighten types, enums and bounds), then `sluice config check`")
        steps += request.ci?.setup ?? []
        if oneFile {
            steps.append("`sluice run` works now: it trains on \(reference) less 20% of its rows, held out by hash to evaluate and gate, and packages the first model locally (with no champion yet, the first run always trains); commit the files")
            steps.append("later, put a newer labelled batch in \(current) and a holdout file in \(holdout) as the comments in sluice.yml's data section say")
        } else {
            steps.append("`sluice run` trains, evaluates, gates and packages the first model locally (with no champion yet, the first run always trains; later runs retrain when a trigger fires); commit the files")
        }
        nextSteps = steps
        warnings = reference.hasPrefix("../")
            ? ["\(data) is outside \(directory): sluice.yml refers to it as \(reference), which a CI checkout will not have; move the data into the repository and run sluice init again"]
            : []
    }

    /// The files among `paths` that exist in `directory` already.
    public static func existing(_ paths: [String], in directory: String) -> [String] {
        paths.filter { FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) }
    }

    /// Writes every file atomically; a file that merges lines keeps what it has and gains
    /// the lines it lacks.
    public func write() throws {
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file.path)
            guard file.mergesLines, let existing = try? String(contentsOfFile: path, encoding: .utf8) else {
                try AtomicFile.write(file.text, to: path)
                continue
            }
            let present = Set(existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            let missing = file.text.split(separator: "\n").map(String.init).filter { !present.contains($0) }
            guard missing.contains(where: { !$0.hasPrefix("#") }) else { continue }
            let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
            try AtomicFile.write(existing + separator + missing.joined(separator: "\n") + "\n", to: path)
        }
    }

    /// `data/reference.csv` -> `data/current.csv`: the same directory and format.
    static func sibling(of path: String, named name: String) -> String {
        let fileName = (path as NSString).lastPathComponent
        let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
        // Keep the format's extensions: `.csv`, `.jsonl`, `.csv.gz`.
        let kept = parts.count > 2 && parts.last == "gz" ? 2 : min(1, parts.count - 1)
        let extensions = parts.suffix(kept).map { "." + $0 }.joined()
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? name + extensions : (directory as NSString).appendingPathComponent(name + extensions)
    }
}

/// Paths relative to a directory, as `sluice.yml` writes them.
enum RelativePath {
    /// `path` as seen from `directory`; both may be relative to the working directory.
    static func from(_ directory: String, to path: String) -> String {
        let base = components(directory)
        let target = components(path)
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        return (up + target[common...]).joined(separator: "/")
    }

    private static func components(_ path: String) -> [String] {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().pathComponents.filter { $0 != "/" }
    }
}
