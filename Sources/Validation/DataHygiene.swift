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
/// that are also training rows. The holdout is read first (a fingerprint per row), then the
/// training data once for both checks, cells taken from the reader's byte views (no
/// `String` per cell). Memory: per feature its distinct values up to
/// `LeakageEvidence.maxDistinct`, and 16 bytes per holdout row.
public enum DataHygiene {
    /// How many overlapping rows are shown with their lines.
    static let maxExamples = 5

    public static func check(training: String, holdout: String?, options: HygieneOptions) throws -> HygieneSummary {
        let reader = try TableReader(TableSource(path: training))
        var leakage = try LeakageScan(training: training, header: reader.header, options: options)
        var overlap = try holdout.map { try OverlapScan(holdout: $0, training: training, trainingHeader: reader.header, exclude: options.exclude) }
        while try reader.next() {
            leakage.add(reader)
            overlap?.addTrainingRow(reader)
        }
        return HygieneSummary(trainingData: training, holdoutData: holdout, label: options.label, columnsChecked: leakage.features.count,
                              leakage: leakage.findings(), holdoutOverlap: overlap?.result())
    }
}

/// The leakage check over the training data's rows: each feature's evidence against the label.
struct LeakageScan {
    let header: [String]
    let options: HygieneOptions
    let labelIndex: Int
    /// The columns examined: all but the label and the excluded ones.
    let features: [Int]
    private let missing: CellTexts
    private var evidence: [LeakageEvidence]

    init(training: String, header: [String], options: HygieneOptions) throws {
        guard let labelIndex = header.firstIndex(of: options.label) else {
            throw Failure.usage("\(training) has no label column '\(options.label)' (its columns: \(header.joined(separator: ", ")))")
        }
        self.header = header
        self.options = options
        self.labelIndex = labelIndex
        features = header.indices.filter { $0 != labelIndex && !options.exclude.contains(header[$0]) }
        missing = CellTexts(Array(options.missingValues))
        evidence = features.map { _ in LeakageEvidence(labelIsNumeric: options.labelIsNumeric) }
    }

    /// Adds the reader's current row. Cells are trimmed of white space and compared as
    /// their `String`s would be (`CellBytes`).
    mutating func add(_ reader: TableReader) {
        guard labelIndex < reader.fieldCount else { return }
        CellBytes.trimmed(reader.field(labelIndex)) { label in
            if missing.contains(label) { return }
            let labelNumber = options.labelIsNumeric ? CellBytes.number(label) : nil
            let labelKey = CellBytes.textFingerprint(label)
            for (slot, column) in features.enumerated() where column < reader.fieldCount {
                CellBytes.trimmed(reader.field(column)) { value in
                    if missing.contains(value) { return }
                    evidence[slot].add(value, label: label, labelKey: labelKey, labelNumber: labelNumber)
                }
            }
        }
    }

    /// Each feature that gives the label away.
    func findings() -> [LeakageFinding] {
        zip(features, evidence).compactMap { column, seen in
            seen.finding(column: header[column], label: options.label, minRows: options.minRows)
        }
    }
}

/// The holdout-overlap check: holdout rows that are also rows of the training data,
/// compared over the columns both files have (less the excluded ones) by 64-bit
/// fingerprints of the cells' bytes.
struct OverlapScan {
    let columns: [String]
    private let trainingIndices: [Int?]
    private let holdoutFingerprints: [UInt64]
    private let holdoutLines: [Int]
    /// Each holdout fingerprint with the first training line that has it (0: none yet).
    private var firstTrainingLine: [UInt64: Int] = [:]
    private var trainingRows = 0

    /// Reads the holdout's fingerprints.
    init(holdout: String, training: String, trainingHeader: [String], exclude: [String]) throws {
        let reader = try TableReader(TableSource(path: holdout))
        columns = reader.header.filter { trainingHeader.contains($0) && !exclude.contains($0) }
        guard !columns.isEmpty else {
            throw Failure.usage("\(holdout) and \(training) have no column in common to compare rows by")
        }
        let indices = columns.map { reader.header.firstIndex(of: $0) }
        var fingerprints: [UInt64] = [], lines: [Int] = []
        while try reader.next() {
            if reader.fieldCount == 0 { continue }
            let fingerprint = Self.fingerprint(reader, indices)
            fingerprints.append(fingerprint)
            lines.append(reader.line)
            firstTrainingLine[fingerprint] = 0
        }
        holdoutFingerprints = fingerprints
        holdoutLines = lines
        trainingIndices = columns.map { trainingHeader.firstIndex(of: $0) }
    }

    mutating func addTrainingRow(_ reader: TableReader) {
        if reader.fieldCount == 0 { return }
        trainingRows += 1
        if let index = firstTrainingLine.index(forKey: Self.fingerprint(reader, trainingIndices)), firstTrainingLine.values[index] == 0 {
            firstTrainingLine.values[index] = reader.line
        }
    }

    /// The overlap, with the first holdout rows found in the training data as examples.
    func result() -> HoldoutOverlap {
        var overlapping = 0
        var examples: [HoldoutOverlap.Example] = []
        for (fingerprint, line) in zip(holdoutFingerprints, holdoutLines) {
            guard let trainingLine = firstTrainingLine[fingerprint], trainingLine > 0 else { continue }
            overlapping += 1
            if examples.count < DataHygiene.maxExamples { examples.append(.init(holdoutLine: line, trainingLine: trainingLine)) }
        }
        return HoldoutOverlap(columns: columns, holdoutRows: holdoutFingerprints.count, trainingRows: trainingRows, overlappingRows: overlapping, examples: examples)
    }

    /// The current record's fingerprint over the cells at `indices` (nil: absent, as empty).
    private static func fingerprint(_ reader: TableReader, _ indices: [Int?]) -> UInt64 {
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        var fingerprint: UInt64 = 0
        for index in indices {
            let cell = index.map { $0 < reader.fieldCount ? reader.field($0) : empty } ?? empty
            fingerprint = Fingerprint.combine(fingerprint, Fingerprint.of(cell))
        }
        return fingerprint
    }
}

/// What one feature column showed against the label, gathered row by row. Values and
/// labels are told apart as their `String`s are: values by `TextCodes`, labels by
/// `CellBytes.textFingerprint`, with each label's text kept where a finding may show it.
struct LeakageEvidence {
    /// A column with more distinct values is not examined for a value → label mapping.
    static let maxDistinct = 10_000
    /// Class ranges are kept for at most this many classes.
    static let maxClasses = 100

    let labelIsNumeric: Bool
    /// Rows where both the feature and the label have a value.
    private(set) var rows = 0
    private var identical = true
    /// The distinct values seen, while `mapping` lasts.
    private var values = TextCodes()
    /// Each value's (by code) one label; nil once a value has met two labels or there are too many values.
    private var mapping: [(key: UInt64, text: String)]? = []
    /// Numeric features: each class's [min, max] and row count; nil once a value is not a number.
    private var ranges: [(key: UInt64, text: String, low: Double, high: Double, rows: Int)]? = []
    /// Regression: co-moments of feature and label (Welford), for the correlation.
    private var meanX = 0.0, meanY = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0, paired = 0
    private var allNumbers = true

    init(labelIsNumeric: Bool) { self.labelIsNumeric = labelIsNumeric }

    /// Adds a row's trimmed value and label; `labelKey` is the label's text fingerprint.
    mutating func add(_ value: UnsafeBufferPointer<UInt8>, label: UnsafeBufferPointer<UInt8>, labelKey: UInt64, labelNumber: Double?) {
        rows += 1
        if identical, !CellBytes.textsEqual(value, label) { identical = false }
        if mapping != nil {
            let known = values.texts.count
            let code = Int(values.code(of: value))
            if code < known {
                if mapping![code].key != labelKey { stopMapping() }
            } else if known >= Self.maxDistinct {
                stopMapping()
            } else {
                mapping!.append((labelKey, CellBytes.text(label)))
            }
        }
        guard allNumbers, let x = CellBytes.number(value), x.isFinite else {
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
            if let index = ranges!.firstIndex(where: { $0.key == labelKey }) {
                ranges![index].low = min(ranges![index].low, x)
                ranges![index].high = max(ranges![index].high, x)
                ranges![index].rows += 1
            } else if ranges!.count >= Self.maxClasses {
                ranges = nil
            } else {
                ranges!.append((labelKey, CellBytes.text(label), x, x, 1))
            }
        }
    }

    private mutating func stopMapping() {
        mapping = nil
        values = TextCodes()
    }

    /// The strongest leak this column shows, if any.
    func finding(column: String, label: String, minRows: Int) -> LeakageFinding? {
        guard rows >= minRows else { return nil }
        if identical {
            return LeakageFinding(column: column, kind: .identical, rows: rows, evidence: "equal to '\(label)' in all \(rows) rows")
        }
        if let mapping, mapping.count >= 2, mapping.count * 2 <= rows, Set(mapping.map(\.key)).count >= 2 {
            let pairs = zip(values.texts, mapping.map(\.text)).sorted { $0.0 < $1.0 }
            let shown = pairs.prefix(3).map { "'\($0.0)' → '\($0.1)'" }.joined(separator: ", ")
            return LeakageFinding(column: column, kind: .determines, rows: rows,
                                  evidence: "each of its \(mapping.count) values goes with one '\(label)' value in all \(rows) rows: \(shown)\(mapping.count > 3 ? ", ..." : "")")
        }
        if let ranges, ranges.count >= 2, ranges.allSatisfy({ $0.rows >= minRows }) {
            let ordered = ranges.sorted { $0.low < $1.low }
            if zip(ordered, ordered.dropFirst()).allSatisfy({ $0.high < $1.low }) {
                let shown = ordered.map { "'\($0.text)' \(Self.number($0.low))…\(Self.number($0.high))" }.joined(separator: ", ")
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
