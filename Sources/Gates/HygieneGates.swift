import Core
import Foundation
import ReportModel

extension GateEvaluator {
    /// `check: leakage` fails when any feature leaks the label; `check: holdout_overlap`
    /// when more than `max` (a fraction, default 0) of the holdout rows are training rows.
    static func hygieneGate(_ spec: GateSpec, check: GateSpec.Check, _ hygiene: HygieneSummary?, place: String) throws -> GateResult {
        guard let hygiene else {
            throw Failure.usage("\(place): the \(check.rawValue) check needs the training data and the label (train.data, evaluate.holdout)")
        }
        switch check {
        case .leakage:
            guard spec.min == nil, spec.max == nil else { throw Failure.usage("\(place): a leakage check takes no min or max") }
            let leaks = hygiene.leakage
            let detail = leaks.isEmpty
                ? "none of \(hygiene.columnsChecked) features gives '\(hygiene.label)' away on \(hygiene.trainingData)"
                : leaks.prefix(3).map { "'\($0.column)' \($0.evidence)" }.joined(separator: "; ") + (leaks.count > 3 ? "; and \(leaks.count - 3) more" : "")
            return GateResult(name: spec.name ?? "no feature leaks the label", kind: .leakage, status: leaks.isEmpty ? .passed : .failed,
                              detail: detail, observed: Double(leaks.count), threshold: 0)
        case .holdoutOverlap:
            guard spec.min == nil else { throw Failure.usage("\(place): a holdout_overlap check takes max (a fraction of the holdout rows), not min") }
            let allowed = spec.max ?? 0
            guard (0...1).contains(allowed) else { throw Failure.usage("\(place): max of a holdout_overlap check is a fraction from 0 to 1 (got \(allowed))") }
            let name = spec.name ?? (allowed == 0 ? "no holdout row is a training row" : "holdout rows in the training data <= \(format(allowed))")
            guard let overlap = hygiene.holdoutOverlap else {
                return GateResult(name: name, kind: .holdoutOverlap, status: .notApplicable, detail: "no holdout data to compare", threshold: allowed)
            }
            let holds = overlap.fraction <= allowed
            var detail = "\(overlap.overlappingRows) of \(overlap.holdoutRows) holdout rows (\(String(format: "%.2f", overlap.fraction * 100))%) are training rows"
            if let first = overlap.examples.first {
                detail += ", e.g. \(hygiene.holdoutData ?? "holdout") line \(first.holdoutLine) = \(hygiene.trainingData) line \(first.trainingLine)"
            }
            return GateResult(name: name, kind: .holdoutOverlap, status: holds ? .passed : .failed, detail: detail, observed: overlap.fraction, threshold: allowed)
        }
    }
}
