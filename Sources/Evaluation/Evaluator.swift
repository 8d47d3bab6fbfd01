import Core
import Foundation
import ReportModel

/// Computes a candidate's metrics, and a champion's on the same holdout, from prediction files.
///
/// Sluice computes every metric itself from predictions and labels, so a training script
/// cannot report a flattering number; see docs/commands/evaluate.md for the metrics.
public enum Evaluator {
    /// Evaluates `candidate` (a predictions file) against `labels`, and compares with
    /// `champion`'s predictions when given (nil: the first run, comparisons not applicable).
    public static func evaluate(candidate: String, champion: String?, labels labelsPath: String, options: EvaluationOptions) throws -> EvaluationSummary {
        guard options.bootstrap >= 100 || champion == nil else {
            throw Failure.usage("--bootstrap must be at least 100 resamples for a meaningful interval (got \(options.bootstrap))")
        }
        guard options.bootstrap <= EvaluationOptions.maxBootstrap else {
            throw Failure.usage("--bootstrap must be at most \(EvaluationOptions.maxBootstrap) resamples (got \(options.bootstrap))")
        }
        guard options.confidence > 0, options.confidence < 1 else {
            throw Failure.usage("the confidence level must be between 0 and 1 (got \(options.confidence))")
        }
        let allLabels = try ColumnTable.read(labelsPath, required: Outcomes.labelColumns(options))
        guard allLabels.rowCount > 0 else { throw Failure.usage("\(labelsPath) has no rows to evaluate on") }
        let columns = Outcomes.predictionColumns(options)
        let tables = try eachModel(candidate, champion) { try ColumnTable.read($0, required: columns.required, optional: columns.optional, prefixed: columns.prefixed) }

        let models = Array(tables.indices)
        // Every row joins (so a prediction file still has to match the whole holdout); rows
        // whose label is not known yet are then left out of every metric.
        let joined = try eachModel(models) { try RowJoin.match(predictions: tables[$0], labels: allLabels, idColumn: options.idColumn) }
        let labelled = try Unlabelled.labelledRows(allLabels, column: options.labelColumn, missing: options.missingLabels)
        guard !labelled.isEmpty else {
            throw Failure.usage("\(labelsPath): none of its \(allLabels.rowCount) rows has a value in the label column '\(options.labelColumn)'; nothing to evaluate on")
        }
        let unlabelled = allLabels.rowCount - labelled.count
        let labels = unlabelled == 0 ? allLabels : allLabels.keeping(rows: labelled)
        let rows = unlabelled == 0 ? joined : joined.map { match in labelled.map { match[$0] } }

        let outcomes = Outcomes(labels: labels, options: options)
        let suites: [MetricSuite]
        var classes: [String] = []
        switch options.task {
        case .binary:
            classes = try outcomes.binaryClasses()
            suites = try eachModel(models) { [classes] in try outcomes.binary(tables[$0], rows: rows[$0], classes: classes) }
        case .multiclass:
            classes = outcomes.multiclassClasses(tables)
            suites = try eachModel(models) { [classes] in try outcomes.multiclass(tables[$0], rows: rows[$0], classes: classes) }
        case .regression:
            suites = try eachModel(models) { try outcomes.regression(tables[$0], rows: rows[$0]) }
        }

        var summary = EvaluationSummary(task: options.task.rawValue, holdout: labelsPath, rowCount: labels.rowCount, championAvailable: champion != nil, metrics: compare(suites, options), slices: slices(suites[0], labels, options))
        summary.unlabelledRows = unlabelled > 0 ? unlabelled : nil
        if let binary = suites[0] as? BinaryMetrics {
            summary.confusionMatrix = ConfusionMatrix(labels: classes, counts: binary.confusion(nil).map { $0.map { Int($0) } })
            if binary.scores != nil {
                var curves = ["candidate": rocPoints(binary)]
                if suites.count > 1, let championBinary = suites[1] as? BinaryMetrics { curves["champion"] = rocPoints(championBinary) }
                summary.rocCurves = curves
            }
        } else if let multiclass = suites[0] as? MulticlassMetrics {
            summary.confusionMatrix = ConfusionMatrix(labels: classes, counts: multiclass.confusion(nil).map { $0.map { Int($0) } })
        }
        return summary
    }

    /// `body` applied to the candidate's and the champion's item side by side (they are
    /// independent), in that order; a failure is the one a sequential run reports first.
    private static func eachModel<T, R>(_ candidate: T, _ champion: T?, _ body: (T) throws -> R) throws -> [R] {
        guard let champion else { return [try body(candidate)] }
        let (first, second) = try SideBySide.run({ try body(candidate) }, { try body(champion) })
        return [first, second]
    }

    private static func eachModel<R>(_ models: [Int], _ body: (Int) throws -> R) throws -> [R] {
        try eachModel(models[0], models.count > 1 ? models[1] : nil, body)
    }

    /// Each candidate metric with the champion's value, the delta, its interval and a verdict.
    static func compare(_ suites: [MetricSuite], _ options: EvaluationOptions) -> [MetricComparison] {
        let candidate = suites[0].metrics(nil)
        guard suites.count > 1 else {
            return candidate.map { MetricComparison(name: $0.name, higherIsBetter: MetricCatalog.higherIsBetter($0.name), candidate: $0.value, verdict: .notApplicable) }
        }
        let champion = Dictionary(suites[1].metrics(nil).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let intervals = PairedBootstrap.intervals(candidate: suites[0], champion: suites[1], resamples: options.bootstrap, seed: options.seed, confidence: options.confidence)
        return candidate.map { metric in
            let higher = MetricCatalog.higherIsBetter(metric.name)
            guard let other = champion[metric.name] else {
                return MetricComparison(name: metric.name, higherIsBetter: higher, candidate: metric.value, verdict: .notApplicable)
            }
            let interval = intervals[metric.name]
            var verdict = MetricComparison.Verdict.noSignificantDifference
            if let interval {
                if interval.low > 0 { verdict = higher ? .better : .worse }
                if interval.high < 0 { verdict = higher ? .worse : .better }
            }
            return MetricComparison(name: metric.name, higherIsBetter: higher, candidate: metric.value, champion: other, delta: metric.value - other, ciLow: interval?.low, ciHigh: interval?.high, verdict: verdict)
        }
    }

    /// The candidate's metrics on the rows of each value of each slice column.
    static func slices(_ suite: MetricSuite, _ labels: ColumnTable, _ options: EvaluationOptions) -> [SliceMetrics] {
        options.sliceBy.flatMap { column -> [SliceMetrics] in
            let values = labels.texts[column]!
            return values.texts.indices.sorted { values.texts[$0] < values.texts[$1] }.map { code in
                let weights = values.codes.map { $0 == Int32(code) ? 1.0 : 0.0 }
                let metrics = Dictionary(suite.metrics(weights).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                return SliceMetrics(column: column, value: values.texts[code], rowCount: Int(weights.reduce(0, +)), metrics: metrics)
            }
        }
    }

    /// ROC points as rates, thinned to at most 201 points so a big holdout keeps the report small.
    static func rocPoints(_ suite: BinaryMetrics) -> [CurvePoint] {
        guard let points = suite.ranking()?.points else { return [] }
        guard let last = points.last, last.fp > 0, last.tp > 0 else { return [] }
        let stride = max(1, (points.count + 199) / 200)
        var kept = Swift.stride(from: 0, to: points.count, by: stride).map { points[$0] }
        if kept.last.map({ $0 != last }) ?? true { kept.append(last) }
        return kept.map { CurvePoint(x: $0.fp / last.fp, y: $0.tp / last.tp) }
    }
}
