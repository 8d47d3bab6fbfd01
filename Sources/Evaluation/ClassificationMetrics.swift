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
    /// Rows by descending score, computed once so that every resample is a linear pass.
    let byScore: [Int]

    init(classes: [String], truth: [Bool], predicted: [Bool], scores: [Double]?) {
        self.classes = classes
        self.truth = truth
        self.predicted = predicted
        self.scores = scores
        self.byScore = scores.map { s in (0..<s.count).sorted { s[$0] > s[$1] } } ?? []
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
        guard let scores else { return result }
        let curve = ranking(scores, weights)
        if let auc = curve.rocAUC { result.append(("roc_auc", auc)) }
        if let ap = curve.averagePrecision { result.append(("pr_auc", ap)) }
        var logLoss = 0.0, brier = 0.0, total = 0.0
        for row in 0..<truth.count {
            let w = weight(weights, row)
            guard w > 0 else { continue }
            let p = scores[row], y = truth[row] ? 1.0 : 0.0
            logLoss -= w * log(clipProbability(truth[row] ? p : 1 - p))
            brier += w * (p - y) * (p - y)
            total += w
        }
        result.append(("log_loss", logLoss / total))
        result.append(("brier", brier / total))
        return result
    }

    /// The ROC curve's area and points and the average precision, from one pass over the
    /// rows by descending score; tied scores form one step, as in scikit-learn.
    func ranking(_ scores: [Double], _ weights: [Double]?) -> (rocAUC: Double?, averagePrecision: Double?, points: [(fp: Double, tp: Double)]) {
        var tp = 0.0, fp = 0.0, area = 0.0, ap = 0.0
        var points: [(fp: Double, tp: Double)] = [(0, 0)]
        let positives = (0..<truth.count).reduce(0.0) { $0 + (truth[$1] ? weight(weights, $1) : 0) }
        var index = 0
        while index < byScore.count {
            let threshold = scores[byScore[index]]
            let (previousTP, previousFP) = (tp, fp)
            while index < byScore.count, scores[byScore[index]] == threshold {
                let row = byScore[index]
                if truth[row] { tp += weight(weights, row) } else { fp += weight(weights, row) }
                index += 1
            }
            if tp == previousTP, fp == previousFP { continue }
            area += (fp - previousFP) * (tp + previousTP) / 2
            if positives > 0 { ap += (tp - previousTP) / positives * (tp / (tp + fp)) }
            points.append((fp, tp))
        }
        let negatives = fp
        return (positives > 0 && negatives > 0 ? area / (positives * negatives) : nil,
                positives > 0 ? ap : nil,
                points)
    }
}

/// Multiclass outcomes: class indices of truth and prediction, and probabilities when given.
struct MulticlassMetrics: MetricSuite {
    let classes: [String]
    let truth: [Int]
    let predicted: [Int]
    /// Row-major `rowCount × classes.count` probabilities, in `classes` order.
    let probabilities: [Double]?

    var rowCount: Int { truth.count }

    func confusion(_ weights: [Double]?) -> [[Double]] {
        var counts = [[Double]](repeating: [Double](repeating: 0, count: classes.count), count: classes.count)
        for row in 0..<truth.count { counts[truth[row]][predicted[row]] += weight(weights, row) }
        return counts
    }

    func metrics(_ weights: [Double]?) -> [(name: String, value: Double)] {
        var result = ClassAverages(counts: confusion(weights)).metrics
        guard let probabilities else { return result }
        let k = classes.count
        var loss = 0.0, total = 0.0
        for row in 0..<truth.count {
            let w = weight(weights, row)
            guard w > 0 else { continue }
            loss -= w * log(clipProbability(probabilities[row * k + truth[row]]))
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
