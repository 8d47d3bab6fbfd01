import Foundation

/// Accuracy and per-class averages from a (weighted) confusion matrix, as scikit-learn
/// computes them: classes that occur in neither truth nor prediction are left out of macro
/// averages, a zero denominator gives 0, balanced accuracy averages recall over the
/// classes present in the truth.
struct ClassAverages {
    /// `counts[actual][predicted]`.
    let counts: [[Double]]

    var metrics: [(name: String, value: Double)] {
        let k = counts.count
        let total = counts.joined().reduce(0, +)
        var correct = 0.0
        var precision = [Double](), recall = [Double](), f1 = [Double](), support = [Double]()
        var recallWhereTrue = [Double]()
        for c in 0..<k {
            let tp = counts[c][c]
            let actual = counts[c].reduce(0, +)
            let predicted = (0..<k).reduce(0.0) { $0 + counts[$1][c] }
            correct += tp
            guard actual > 0 || predicted > 0 else { continue }
            let p = predicted > 0 ? tp / predicted : 0
            let r = actual > 0 ? tp / actual : 0
            let denominator = 2 * tp + (predicted - tp) + (actual - tp)
            precision.append(p)
            recall.append(r)
            f1.append(denominator > 0 ? 2 * tp / denominator : 0)
            support.append(actual)
            if actual > 0 { recallWhereTrue.append(r) }
        }
        let supportTotal = support.reduce(0, +)
        func macro(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        func weighted(_ values: [Double]) -> Double { zip(values, support).reduce(0) { $0 + $1.0 * $1.1 } / supportTotal }
        return [
            ("accuracy", correct / total),
            ("balanced_accuracy", macro(recallWhereTrue)),
            ("precision_macro", macro(precision)),
            ("recall_macro", macro(recall)),
            ("f1_macro", macro(f1)),
            ("precision_weighted", weighted(precision)),
            ("recall_weighted", weighted(recall)),
            ("f1_weighted", weighted(f1)),
        ]
    }
}

/// Binary classification outcomes: truth, hard prediction and, when given, the score.
struct BinaryMetrics: MetricSuite {
    /// Class names for the confusion matrix: negative first.
    let classes: [String]
    let truth: [Bool]
    let predicted: [Bool]
    let scores: [Double]?
    /// Per-row terms computed once, so a resample only sums them with its weights.
    private let ranked: RankedRows?
    private let logLossTerms: [Double]
    private let brierTerms: [Double]

    init(classes: [String], truth: [Bool], predicted: [Bool], scores: [Double]?) {
        self.classes = classes
        self.truth = truth
        self.predicted = predicted
        self.scores = scores
        ranked = scores.map { RankedRows(scores: $0, truth: truth) }
        logLossTerms = scores.map { s in truth.indices.map { -log(clipProbability(truth[$0] ? s[$0] : 1 - s[$0])) } } ?? []
        brierTerms = scores.map { s in truth.indices.map { (s[$0] - (truth[$0] ? 1 : 0)) * (s[$0] - (truth[$0] ? 1 : 0)) } } ?? []
    }

    var rowCount: Int { truth.count }

    func confusion(_ weights: [Double]?) -> [[Double]] {
        withRowWeights(weights, unit: confusion, given: confusion)
    }

    func metrics(_ weights: [Double]?) -> [(name: String, value: Double)] {
        withRowWeights(weights, unit: scored, given: scored)
    }

    func metrics(counts: [UInt8]) -> [(name: String, value: Double)] {
        counts.withUnsafeBufferPointer { scored(DrawCounts(counts: $0)) }
    }

    private func confusion<W: RowWeights>(_ weights: W) -> [[Double]] {
        // Four sums, each over its own rows in row order, without a branch per row: each
        // row adds its weight to its cell and an exact 0 to the others (whole numbers).
        var negative = (0.0, 0.0), positive = (0.0, 0.0)
        for row in 0..<truth.count {
            let w = weights[row], t = truth[row] ? 1.0 : 0.0, p = predicted[row] ? 1.0 : 0.0
            let wt = w * t, wp = w * p, both = wt * p
            positive.1 += both
            positive.0 += wt - both
            negative.1 += wp - both
            negative.0 += (w - wt) - (wp - both)
        }
        return [[negative.0, negative.1], [positive.0, positive.1]]
    }

    private func scored<W: RowWeights>(_ weights: W) -> [(name: String, value: Double)] {
        let counts = confusion(weights)
        let tp = counts[1][1], fp = counts[0][1], fn = counts[1][0]
        var result = ClassAverages(counts: counts).metrics
        result.insert(contentsOf: [
            ("precision", tp + fp > 0 ? tp / (tp + fp) : 0),
            ("recall", tp + fn > 0 ? tp / (tp + fn) : 0),
            ("f1", 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0),
        ], at: 2)
        guard let ranked else { return result }
        let curve = Ranking(ranked, weights)
        if let auc = curve.rocAUC { result.append(("roc_auc", auc)) }
        if let ap = curve.averagePrecision { result.append(("pr_auc", ap)) }
        var logLoss = 0.0, brier = 0.0, total = 0.0
        for row in 0..<truth.count {
            let w = weights[row]
            logLoss += w * logLossTerms[row]
            brier += w * brierTerms[row]
            total += w
        }
        result.append(("log_loss", logLoss / total))
        result.append(("brier", brier / total))
        return result
    }

    /// The candidate's ROC curve on all rows.
    func ranking() -> Ranking? { ranked?.ranking(nil) }
}

/// Rows sorted once by descending score, with their truth in that order and where each
/// run of tied scores ends, so that every weighted ROC/PR pass reads sequentially.
struct RankedRows {
    let order: [Int]
    let scores: [Double]
    let truth: [Bool]
    /// `truth` as 1 and 0, in rank order and in row order, for sums without branches.
    let positive: [Double]
    let positiveByRow: [Double]
    /// 1 at the last row of each run of equal scores, else 0, in rank order.
    let runEnds: [Double]
    let positiveCount: Int

    init(scores: [Double], truth: [Bool]) {
        order = scores.indices.sorted { scores[$0] > scores[$1] }
        self.scores = order.map { scores[$0] }
        self.truth = order.map { truth[$0] }
        positive = self.truth.map { $0 ? 1 : 0 }
        positiveByRow = truth.map { $0 ? 1 : 0 }
        let ranked = self.scores
        runEnds = ranked.indices.map { $0 == ranked.count - 1 || ranked[$0 + 1] != ranked[$0] ? 1 : 0 }
        positiveCount = truth.reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    func ranking(_ weights: [Double]?) -> Ranking {
        withRowWeights(weights, unit: { Ranking(self, $0) }, given: { Ranking(self, $0) })
    }
}

/// The ROC curve (area and points) and the average precision of scores against a binary
/// truth, from one pass over the ranked rows; tied scores form one step, as in scikit-learn.
struct Ranking {
    var rocAUC: Double?
    var averagePrecision: Double?
    /// Cumulative (false positives, true positives) at each distinct score, from (0, 0);
    /// only for unweighted rows (the reported curve).
    var points: [(fp: Double, tp: Double)] = [(0, 0)]

    /// The bootstrap runs this pass twice per resample, and runs of tied scores are short
    /// and irregular, so it has no branch per row: each row adds its weight times 1 or 0
    /// to the true and false positives, and each row adds its run's step to the area and
    /// the average precision times 1 at the run's last row and 0 elsewhere. Weights are
    /// whole numbers (see `RowWeights`), so true and false positive counts are exact, a
    /// step of a run whose weights are all 0 is exactly 0 (what skipping it gives), and
    /// every value equals the one summing run by run gives.
    init<W: RowWeights>(_ rows: RankedRows, _ weights: W) {
        var positives = 0.0
        if weights.isUnit {
            positives = Double(rows.positiveCount)
        } else {
            // In row order: reads the weights sequentially.
            for row in 0..<rows.positiveByRow.count { positives += weights[row] * rows.positiveByRow[row] }
        }
        // Equal to `positives` and `tp + fp` wherever those are used (they are whole
        // numbers, at least 1 there), and never a division by zero elsewhere.
        let divisor = max(positives, 1)
        var tp = 0.0, fp = 0.0, runTP = 0.0, runFP = 0.0, area = 0.0, ap = 0.0
        rows.order.withUnsafeBufferPointer { order in
            rows.positive.withUnsafeBufferPointer { positive in
                rows.runEnds.withUnsafeBufferPointer { runEnds in
                    for index in 0..<order.count {
                        let w = weights[order[index]], t = positive[index], end = runEnds[index]
                        tp += w * t
                        fp += w - w * t
                        area += end * ((fp - runFP) * (tp + runTP) / 2)
                        ap += end * ((tp - runTP) / divisor * (tp / max(tp + fp, 1)))
                        // The counts at the run's end become the next run's start.
                        runTP = end * tp + (1 - end) * runTP
                        runFP = end * fp + (1 - end) * runFP
                    }
                }
            }
        }
        if weights.isUnit {
            var tp = 0.0, fp = 0.0
            for index in rows.order.indices {
                if rows.truth[index] { tp += 1 } else { fp += 1 }
                if rows.runEnds[index] == 1 { points.append((fp, tp)) }
            }
        }
        rocAUC = positives > 0 && fp > 0 ? area / (positives * fp) : nil
        // Both need two classes: with no negatives every threshold's precision is 1 (the sum
        // only approaches it in floating point), which says nothing about the model.
        averagePrecision = positives > 0 && fp > 0 ? ap : nil
    }
}

/// Multiclass outcomes: class indices of truth and prediction, and probabilities when given.
struct MulticlassMetrics: MetricSuite {
    let classes: [String]
    let truth: [Int]
    let predicted: [Int]
    let hasProbabilities: Bool
    /// One-vs-rest rankings of each class's probability, and each row's log-loss term.
    private let perClass: [RankedRows]
    private let logLossTerms: [Double]

    /// `probabilities` is row-major `rowCount × classes.count`, in `classes` order.
    init(classes: [String], truth: [Int], predicted: [Int], probabilities: [Double]?) {
        self.classes = classes
        self.truth = truth
        self.predicted = predicted
        hasProbabilities = probabilities != nil
        let k = classes.count
        perClass = probabilities.map { matrix in
            classes.indices.map { c in RankedRows(scores: truth.indices.map { matrix[$0 * k + c] }, truth: truth.map { $0 == c }) }
        } ?? []
        logLossTerms = probabilities.map { matrix in truth.indices.map { -log(clipProbability(matrix[$0 * k + truth[$0]])) } } ?? []
    }

    var rowCount: Int { truth.count }

    func confusion(_ weights: [Double]?) -> [[Double]] {
        var counts = [[Double]](repeating: [Double](repeating: 0, count: classes.count), count: classes.count)
        for row in 0..<truth.count { counts[truth[row]][predicted[row]] += weight(weights, row) }
        return counts
    }

    func metrics(_ weights: [Double]?) -> [(name: String, value: Double)] {
        var result = ClassAverages(counts: confusion(weights)).metrics
        guard hasProbabilities else { return result }
        // scikit-learn's roc_auc_score(multi_class="ovr", average="macro"): undefined
        // when a class has no positive or no negative row.
        let areas = perClass.map { $0.ranking(weights).rocAUC }
        if areas.allSatisfy({ $0 != nil }) {
            result.append(("roc_auc", areas.reduce(0) { $0 + $1! } / Double(areas.count)))
        }
        var loss = 0.0, total = 0.0
        for row in 0..<truth.count {
            let w = weight(weights, row)
            loss += w * logLossTerms[row]
            total += w
        }
        result.append(("log_loss", loss / total))
        return result
    }
}

/// scikit-learn clips probabilities to [eps, 1 - eps] before taking logarithms.
func clipProbability(_ p: Double) -> Double {
    min(max(p, Double.ulpOfOne), 1 - Double.ulpOfOne)
}
