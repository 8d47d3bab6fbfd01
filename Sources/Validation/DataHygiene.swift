import Core
import Foundation
import ReportModel
import Tabular

/// What the hygiene checks look at.
public struct HygieneOptions: Equatable, Sendable {
    /// The label column.
    public var label: String
    /// Whether the label is a number (regression) rather than a class.
    public var labelIsNumeric: Bool
    /// Columns left out of both checks: the id column above all, whose unique values
    /// would "predict" any label and would make every copied row look new, and the
    /// columns the trainer leaves out.
    public var exclude: [String]
    /// Cell texts that mean "missing" (the schema's `missingValues`).
    public var missingValues: Set<String>
    /// A rule is judged only on at least this many rows (and, for class ranges, this many
    /// rows of each class), so that a handful of rows cannot look like a leak.
    public var minRows = 10

    public init(label: String, labelIsNumeric: Bool, exclude: [String] = [], missingValues: Set<String> = [""]) {
        self.label = label
        self.labelIsNumeric = labelIsNumeric
        self.exclude = exclude
        self.missingValues = missingValues
    }
}

/// Checks the training data for features that leak the label and the holdout for rows
/// that are also training rows, streaming each file (memory: per feature its distinct
/// values up to `LeakageEvidence.maxDistinct`, and 8 bytes per training row).
public enum DataHygiene {
    /// How many overlapping rows are shown with their lines.
    static let maxExamples = 5

    public static func check(training: String, holdout: String?, options: HygieneOptions) throws -> HygieneSummary {
        let (findings, checked) = try leakage(training: training, options: options)
        return HygieneSummary(trainingData: training, holdoutData: holdout, label: options.label, columnsChecked: checked, leakage: findings,
                              holdoutOverlap: try holdout.map { try overlap(training: training, holdout: $0, exclude: options.exclude) })
    }

    /// Each feature of `training` that gives the label away, with the number of features examined.
    static func leakage(training: String, options: HygieneOptions) throws -> (findings: [LeakageFinding], checked: Int) {
        let reader = try TableReader(TableSource(path: training))
        guard let labelIndex = reader.header.firstIndex(of: options.label) else {
            throw Failure.usage("\(training) has no label column '\(options.label)' (its columns: \(reader.header.joined(separator: ", ")))")
        }
        let features = reader.header.indices.filter { $0 != labelIndex && !options.exclude.contains(reader.header[$0]) }
        var evidence = features.map { _ in LeakageEvidence(labelIsNumeric: options.labelIsNumeric) }
        while try reader.next() {
            guard labelIndex < reader.fieldCount else { continue }
            let label = reader.string(labelIndex).trimmingCharacters(in: .whitespaces)
            if options.missingValues.contains(label) { continue }
            let labelNumber = options.labelIsNumeric ? Double(label) : nil
            for (slot, column) in features.enumerated() where column < reader.fieldCount {
                let value = reader.string(column).trimmingCharacters(in: .whitespaces)
                if options.missingValues.contains(value) { continue }
                evidence[slot].add(value, label: label, labelNumber: labelNumber)
            }
        }
        let findings = zip(features, evidence).compactMap { column, seen in
            seen.finding(column: reader.header[column], label: options.label, minRows: options.minRows)
        }
        return (findings, features.count)
    }

    /// Holdout rows that are also rows of the training data, compared over the columns both
    /// files have (less `exclude`) by 64-bit fingerprints of the cells' text.
    static func overlap(training: String, holdout: String, exclude: [String]) throws -> HoldoutOverlap {
        let holdoutReader = try TableReader(TableSource(path: holdout))
        let trainingHeader = try TableReader(TableSource(path: training)).header
        let columns = holdoutReader.header.filter { trainingHeader.contains($0) && !exclude.contains($0) }
        guard !columns.isEmpty else {
            throw Failure.usage("\(holdout) and \(training) have no column in common to compare rows by")
        }
        var trainingRows = 0
        var seen = Set<UInt64>()
        try eachFingerprint(training, columns: columns) { fingerprint, _ in
            trainingRows += 1
            seen.insert(fingerprint)
        }
        var holdoutRows = 0, overlapping = 0
        var found: [(line: Int, fingerprint: UInt64)] = []
        try eachFingerprint(holdout, columns: columns) { fingerprint, line in
            holdoutRows += 1
            guard seen.contains(fingerprint) else { return }
            overlapping += 1
            if found.count < maxExamples { found.append((line, fingerprint)) }
        }
        // A second look at the training data names the line of each example.
        var trainingLines: [UInt64: Int] = [:]
        if !found.isEmpty {
            let wanted = Set(found.map(\.fingerprint))
            try eachFingerprint(training, columns: columns) { fingerprint, line in
                if wanted.contains(fingerprint), trainingLines[fingerprint] == nil { trainingLines[fingerprint] = line }
            }
        }
        return HoldoutOverlap(columns: columns, holdoutRows: holdoutRows, trainingRows: trainingRows, overlappingRows: overlapping,
                              examples: found.map { .init(holdoutLine: $0.line, trainingLine: trainingLines[$0.fingerprint] ?? 0) })
    }

    /// Calls `body` with each record's fingerprint over `columns` (in that order) and its line.
    private static func eachFingerprint(_ path: String, columns: [String], _ body: (UInt64, Int) throws -> Void) throws {
        let reader = try TableReader(TableSource(path: path))
        let indices = columns.map { reader.header.firstIndex(of: $0) }
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        while try reader.next() {
            if reader.fieldCount == 0 { continue }
            var fingerprint: UInt64 = 0
            for index in indices {
                let cell = index.map { $0 < reader.fieldCount ? reader.field($0) : empty } ?? empty
                fingerprint = Fingerprint.combine(fingerprint, Fingerprint.of(cell))
            }
            try body(fingerprint, reader.line)
        }
    }
}

/// What one feature column showed against the label, gathered row by row.
struct LeakageEvidence {
    /// A column with more distinct values is not examined for a value → label mapping.
    static let maxDistinct = 10_000
    /// Class ranges are kept for at most this many classes.
    static let maxClasses = 100

    let labelIsNumeric: Bool
    /// Rows where both the feature and the label have a value.
    private(set) var rows = 0
    private var identical = true
    /// Each value's one label; nil once a value has met two labels or there are too many values.
    private var mapping: [String: String]? = [:]
    /// Numeric features: each class's [min, max] and row count; nil once a value is not a number.
    private var ranges: [String: (low: Double, high: Double, rows: Int)]? = [:]
    /// Regression: co-moments of feature and label (Welford), for the correlation.
    private var meanX = 0.0, meanY = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0, paired = 0
    private var allNumbers = true

    init(labelIsNumeric: Bool) { self.labelIsNumeric = labelIsNumeric }

    mutating func add(_ value: String, label: String, labelNumber: Double?) {
        rows += 1
        if identical, value != label { identical = false }
        if mapping != nil {
            if let known = mapping![value] {
                if known != label { mapping = nil }
            } else if mapping!.count >= Self.maxDistinct {
                mapping = nil
            } else {
                mapping![value] = label
            }
        }
        guard allNumbers, let x = Double(value), x.isFinite else {
            allNumbers = false
            ranges = nil
            return
        }
        if labelIsNumeric {
            guard let y = labelNumber, y.isFinite else { return }
            paired += 1
            let n = Double(paired), dx = x - meanX, dy = y - meanY
            meanX += dx / n
            meanY += dy / n
            sxx += dx * (x - meanX)
            syy += dy * (y - meanY)
            sxy += dx * (y - meanY)
        } else if ranges != nil {
            if let range = ranges![label] {
                ranges![label] = (min(range.low, x), max(range.high, x), range.rows + 1)
            } else if ranges!.count >= Self.maxClasses {
                ranges = nil
            } else {
                ranges![label] = (x, x, 1)
            }
        }
    }

    /// The strongest leak this column shows, if any.
    func finding(column: String, label: String, minRows: Int) -> LeakageFinding? {
        guard rows >= minRows else { return nil }
        if identical {
            return LeakageFinding(column: column, kind: .identical, rows: rows, evidence: "equal to '\(label)' in all \(rows) rows")
        }
        if let mapping, mapping.count >= 2, mapping.count * 2 <= rows, Set(mapping.values).count >= 2 {
            let shown = mapping.sorted { $0.key < $1.key }.prefix(3).map { "'\($0.key)' → '\($0.value)'" }.joined(separator: ", ")
            return LeakageFinding(column: column, kind: .determines, rows: rows,
                                  evidence: "each of its \(mapping.count) values goes with one '\(label)' value in all \(rows) rows: \(shown)\(mapping.count > 3 ? ", ..." : "")")
        }
        if let ranges, ranges.count >= 2, ranges.values.allSatisfy({ $0.rows >= minRows }) {
            let ordered = ranges.sorted { $0.value.low < $1.value.low }
            if zip(ordered, ordered.dropFirst()).allSatisfy({ $0.value.high < $1.value.low }) {
                let shown = ordered.map { "'\($0.key)' \(Self.number($0.value.low))…\(Self.number($0.value.high))" }.joined(separator: ", ")
                return LeakageFinding(column: column, kind: .separates, rows: rows,
                                      evidence: "its ranges per '\(label)' class do not overlap in \(rows) rows: \(shown)")
            }
        }
        if labelIsNumeric, allNumbers, paired >= minRows, sxx > 0, syy > 0 {
            let r = sxy / (sxx * syy).squareRoot()
            if abs(r) >= 1 - 1e-9 {
                return LeakageFinding(column: column, kind: .linear, rows: rows,
                                      evidence: "a linear function of '\(label)': correlation \(String(format: "%.6f", r)) over \(paired) rows")
            }
        }
        return nil
    }

    private static func number(_ value: Double) -> String { String(format: "%g", value) }
}
