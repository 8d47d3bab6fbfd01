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
        var counts = [[0.0, 0.0], [0.0, 0.0]]
        for row in 0..<truth.count {
            counts[truth[row] ? 1 : 0][predicted[row] ? 1 : 0] += weight(weights, row)
        }
        return counts
    }

    func metrics(_ weights: [Double]?) -> [(name: String, value: Double)] {
        let counts = confusion(weights)
        let tp = counts[1][1], fp = counts[0][1], fn = counts[1][0]
        var result = ClassAverages(counts: counts).metrics
        result.insert(contentsOf: [
            ("precision", tp + fp > 0 ? tp / (tp + fp) : 0),
            ("recall", tp + fn > 0 ? tp / (tp + fn) : 0),
            ("f1", 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0),
        ], at: 2)
        guard let ranked else { return result }
        let curve = ranked.ranking(weights)
        if let auc = curve.rocAUC { result.append(("roc_auc", auc)) }
        if let ap = curve.averagePrecision { result.append(("pr_auc", ap)) }
        var logLoss = 0.0, brier = 0.0, total = 0.0
        for row in 0..<truth.count {
            let w = weight(weights, row)
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

/// Rows sorted once by descending score, with their truth in that order, so that every
/// weighted ROC/PR pass reads sequentially.
struct RankedRows {
    let order: [Int]
    let scores: [Double]
    let truth: [Bool]

    init(scores: [Double], truth: [Bool]) {
        order = scores.indices.sorted { scores[$0] > scores[$1] }
        self.scores = order.map { scores[$0] }
        self.truth = order.map { truth[$0] }
    }

    func ranking(_ weights: [Double]?) -> Ranking { Ranking(self, weights) }
}

/// The ROC curve (area and points) and the average precision of scores against a binary
/// truth, from one pass over the ranked rows; tied scores form one step, as in scikit-learn.
struct Ranking {
    var rocAUC: Double?
    var averagePrecision: Double?
    /// Cumulative (false positives, true positives) at each distinct score, from (0, 0).
    var points: [(fp: Double, tp: Double)] = [(0, 0)]

    init(_ rows: RankedRows, _ weights: [Double]?) {
        var positives = 0.0
        for i in 0..<rows.order.count where rows.truth[i] { positives += weight(weights, rows.order[i]) }
        var tp = 0.0, fp = 0.0, area = 0.0, ap = 0.0
        var index = 0
        let count = rows.order.count
        while index < count {
            let threshold = rows.scores[index]
            let (previousTP, previousFP) = (tp, fp)
            while index < count, rows.scores[index] == threshold {
                let w = weight(weights, rows.order[index])
                if rows.truth[index] { tp += w } else { fp += w }
                index += 1
            }
            if tp == previousTP, fp == previousFP { continue }
            area += (fp - previousFP) * (tp + previousTP) / 2
            if positives > 0 { ap += (tp - previousTP) / positives * (tp / (tp + fp)) }
            if weights == nil { points.append((fp, tp)) }
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
