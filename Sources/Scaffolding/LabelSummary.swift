import Core
import Evaluation
import Foundation
import Tabular

/// What a label column's values say about the learning task, so that `sluice init` can
/// write the `task`, the built-in trainer and the gates that fit it.
///
/// Two distinct values make a binary task; numbers that are not a handful of whole numbers
/// make a regression; up to `maxClasses` values make a multiclass task.
struct LabelSummary: Equatable {
    var task: EvaluationTask
    /// The distinct values of a classification label, sorted; empty for a regression.
    var classes: [String]
    /// A binary task's positive class when the evaluator cannot tell it by itself (the
    /// values are not 0/1 or true/false): the rarer class, by convention the one of interest.
    var positiveLabel: String?
    /// Rows with no value in the label column: training and evaluation leave them out.
    var unlabelled = 0

    /// The most classes a text label may have before it is not a label Sluice can model.
    static let maxClasses = 20
    /// Whole numbers with at most this many values are classes (ratings, codes), not a quantity.
    static let maxNumericClasses = 10

    /// Reads the `column` of `source` in one pass. Throws `Failure.usage` (exit 2) when the
    /// column is absent or its values fit no task, `TableReadError` when the file is unreadable.
    static func inspect(_ source: TableSource, column: String) throws -> LabelSummary {
        let reader = try TableReader(source)
        guard let index = reader.header.firstIndex(of: column) else {
            throw Failure.usage("\(source.path): no column '\(column)' to use as the label (columns: \(reader.header.joined(separator: ", "))); name the label with --label")
        }
        var counts: [String: Int] = [:]
        var tooMany = false
        var allNumbers = true
        var allWholeNumbers = true
        var present = 0, unlabelled = 0
        while try reader.next() {
            guard reader.fieldCount > 0 else { continue }
            let bytes = index < reader.fieldCount ? reader.field(index) : UnsafeBufferPointer(start: nil, count: 0)
            if CellBytes.trimmed(bytes, \.isEmpty) {
                unlabelled += 1
                continue
            }
            present += 1
            let value = String(decoding: bytes, as: UTF8.self)
            if allNumbers {
                if let number = Double(value), number.isFinite {
                    if number.rounded() != number { allWholeNumbers = false }
                } else {
                    allNumbers = false
                }
            }
            if !tooMany {
                counts[value, default: 0] += 1
                if counts.count > maxClasses { tooMany = true }
            }
        }
        let place = "\(source.path): label column '\(column)'"
        guard present > 0 else { throw Failure.usage("\(place) has no values") }
        let classes = counts.keys.sorted()
        if !tooMany && classes.count == 1 {
            throw Failure.usage("\(place) has one value ('\(classes[0])') only: there is nothing to learn; choose another --label")
        }
        if !tooMany && classes.count == 2 {
            return LabelSummary(task: .binary, classes: classes, positiveLabel: positiveLabel(counts), unlabelled: unlabelled)
        }
        if allNumbers && (tooMany || !allWholeNumbers || classes.count > maxNumericClasses) {
            return LabelSummary(task: .regression, classes: [], positiveLabel: nil, unlabelled: unlabelled)
        }
        guard !tooMany else {
            throw Failure.usage("\(place) has more than \(maxClasses) distinct text values: not a class label (binary, multiclass) nor a number (regression); choose another --label")
        }
        return LabelSummary(task: .multiclass, classes: classes, positiveLabel: nil, unlabelled: unlabelled)
    }

    /// nil when the evaluator's own rule (`1`, or `true` beside `false`) names the positive
    /// class; otherwise the rarer value (on a tie, the later one in sorted order).
    static func positiveLabel(_ counts: [String: Int]) -> String? {
        let values = Set(counts.keys)
        if values == ["0", "1"] || Set(values.map { $0.lowercased() }) == ["true", "false"] { return nil }
        return counts.sorted { ($0.value, $1.key) < ($1.value, $0.key) }.first!.key
    }
}
