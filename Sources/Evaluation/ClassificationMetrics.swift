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
    /// `truth` and `predicted` as class masks, for the confusion matrix's integer sums.
    let truthMask: [Int8]
    let predictedMask: [Int8]
    /// Per-row terms computed once, so a resample only sums them with its weights.
    let ranked: RankedRows?
    let logLossTerms: [Double]
    let brierTerms: [Double]

    init(classes: [String], truth: [Bool], predicted: [Bool], scores: [Double]?) {
        self.classes = classes
        self.truth = truth
        self.predicted = predicted
        self.scores = scores
        truthMask = truth.map(classMask)
        predictedMask = predicted.map(classMask)
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

    func confusion<W: RowWeights>(_ weights: W) -> [[Double]] {
        // Four integer sums without a branch per row (each row adds its weight masked by
        // its truth and prediction), which the compiler vectorises. The counts are whole
        // numbers, so they equal the floating-point sums exactly.
        var total = 0, actual = 0, predicted = 0, both = 0
        truthMask.withUnsafeBufferPointer { truth in
            predictedMask.withUnsafeBufferPointer { predictions in
                for row in 0..<truth.count {
                    let w = weights.count(row), t = Int(truth[row]), p = Int(predictions[row])
                    total &+= w
                    actual &+= w & t
                    predicted &+= w & p
                    both &+= w & t & p
                }
            }
        }
        return Self.confusionMatrix(total: total, actual: actual, predicted: predicted, both: both)
    }

    /// The confusion matrix from its weighted sums: all rows, positive rows, rows predicted
    /// positive and rows both.
    static func confusionMatrix(total: Int, actual: Int, predicted: Int, both: Int) -> [[Double]] {
        [[Double(total - actual - predicted + both), Double(predicted - both)], [Double(actual - both), Double(both)]]
    }

    private func scored<W: RowWeights>(_ weights: W) -> [(name: String, value: Double)] {
        let counts = confusion(weights)
        // The confusion matrix already counted the weighted positives (a whole number:
        // exact, as the sums over rows were).
        let curve = ranked.map { Ranking($0, weights, positives: Int(counts[1][0] + counts[1][1])) }
        return report(counts: counts, curve: curve.map { ($0.rocAUC, $0.averagePrecision) }, termSums: ranked == nil ? nil : termSums(weights))
    }

    /// The metrics from a weighting's confusion matrix, ROC area and average precision (nil
    /// without scores) and log-loss and Brier term sums (nil without scores).
    func report(counts: [[Double]], curve: (rocAUC: Double?, averagePrecision: Double?)?, termSums: (logLoss: Double, brier: Double)?) -> [(name: String, value: Double)] {
        let tp = counts[1][1], fp = counts[0][1], fn = counts[1][0]
        var result = ClassAverages(counts: counts).metrics
        result.insert(contentsOf: [
            ("precision", tp + fp > 0 ? tp / (tp + fp) : 0),
            ("recall", tp + fn > 0 ? tp / (tp + fn) : 0),
            ("f1", 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0),
        ], at: 2)
        guard let curve, let termSums else { return result }
        if let auc = curve.rocAUC { result.append(("roc_auc", auc)) }
        if let ap = curve.averagePrecision { result.append(("pr_auc", ap)) }
        // The weighted total, a whole number: exact, as the sums over rows were.
        let total = counts.joined().reduce(0, +)
        result.append(("log_loss", termSums.logLoss / total))
        result.append(("brier", termSums.brier / total))
        return result
    }

    /// The weighted sums of the per-row log-loss and Brier terms, each in four partial sums
    /// (rows 4k, 4k+1, ...): one running sum waits a floating-point addition per row, four
    /// overlap. The result differs from a row-by-row sum only in the last bits (the
    /// recorded evaluations hold to 1e-12).
    func termSums<W: RowWeights>(_ weights: W) -> (logLoss: Double, brier: Double) {
        var logLoss = SIMD4<Double>(), brier = SIMD4<Double>()
        logLossTerms.withUnsafeBufferPointer { logLossTerms in
            brierTerms.withUnsafeBufferPointer { brierTerms in
                let whole = logLossTerms.count - logLossTerms.count % 4
                var row = 0
                while row < whole {
                    let w = SIMD4(weights[row], weights[row + 1], weights[row + 2], weights[row + 3])
                    logLoss += w * SIMD4(logLossTerms[row], logLossTerms[row + 1], logLossTerms[row + 2], logLossTerms[row + 3])
                    brier += w * SIMD4(brierTerms[row], brierTerms[row + 1], brierTerms[row + 2], brierTerms[row + 3])
                    row += 4
                }
                while row < logLossTerms.count {
                    logLoss[0] += weights[row] * logLossTerms[row]
                    brier[0] += weights[row] * brierTerms[row]
                    row += 1
                }
            }
        }
        return ((logLoss[0] + logLoss[1]) + (logLoss[2] + logLoss[3]), (brier[0] + brier[1]) + (brier[2] + brier[3]))
    }

    /// The candidate's ROC curve on all rows.
    func ranking() -> Ranking? { ranked?.ranking(nil) }
}

/// Rows sorted once by descending score, with their truth in that order and where each
/// run of tied scores ends, so that every weighted ROC/PR pass reads sequentially.
struct RankedRows {
    /// Row indices by descending score, 32 bits each: the pass streams them and the flags
    /// while it looks up each row's weight at random, and the less it streams, the more
    /// of the cache stays with the weights (a resample's million draw counts fill 1 MiB).
    let order: [UInt32]
    /// In rank order: bit 0 set for a positive row, bit 1 for the last row of a run of
    /// equal scores.
    let flags: [UInt8]
    /// `truth` as class masks in row order.
    let positiveByRow: [Int8]
    let positiveCount: Int
    /// When the scores fall in few runs (at most `maxRunSlots / 2`, and eight rows or more
    /// a run on average), each row's slot in row order: `2 · run + 0` for a positive row,
    /// `2 · run + 1` for a negative one, runs numbered in rank order. A pass can then sum
    /// the weights of each run's positive and negative rows reading the rows in order,
    /// and step through the runs, instead of looking every row's weight up at random.
    let runSlots: [UInt16]?
    static let maxRunSlots = 8192

    init(scores: [Double], truth: [Bool]) {
        let sorted = scores.indices.sorted { scores[$0] > scores[$1] }
        order = sorted.map { UInt32($0) }
        flags = sorted.indices.map { index in
            RankedRows.flags(positive: truth[sorted[index]], end: index == sorted.count - 1 || scores[sorted[index + 1]] != scores[sorted[index]])
        }
        positiveByRow = truth.map(classMask)
        positiveCount = truth.reduce(0) { $0 + ($1 ? 1 : 0) }
        let runs = flags.reduce(0) { $0 + Int($1 >> 1) }
        if runs * 2 <= Self.maxRunSlots, runs * 8 <= scores.count {
            var slots = [UInt16](repeating: 0, count: scores.count)
            var run: UInt16 = 0
            for (index, row) in sorted.enumerated() {
                slots[row] = 2 * run + (truth[row] ? 0 : 1)
                run += UInt16(flags[index] >> 1)
            }
            runSlots = slots
        } else {
            runSlots = nil
        }
    }

    static func flags(positive: Bool, end: Bool) -> UInt8 { (positive ? 1 : 0) | (end ? 2 : 0) }

    /// Runs `pass` over the rows in rank order: each row's weight (looked up by its row
    /// index) and its flags. Rows are taken in blocks: first the block's weights are
    /// fetched (loads that do not wait for one another, so their cache misses overlap),
    /// then the block is stepped through from that small buffer. The pass is a struct
    /// passed `inout`, so its sums stay in registers through the loop.
    @inline(__always)
    func visit<Pass: RankedPass>(_ pass: inout Pass) {
        let blockSize = 2048
        let block = UnsafeMutablePointer<Pass.Weight>.allocate(capacity: blockSize)
        defer { block.deallocate() }
        order.withUnsafeBufferPointer { order in
            flags.withUnsafeBufferPointer { flags in
                var start = 0
                while start < order.count {
                    let end = min(start + blockSize, order.count)
                    for index in start..<end { (block + index - start).initialize(to: pass.weight(row: Int(order[index]))) }
                    for index in start..<end { pass.step(flags: flags[index], weight: block[index - start]) }
                    start = end
                }
            }
        }
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

    /// One weighting's pass (all rows, a slice; the bootstrap's is `BatchRanking`, each of
    /// whose lanes equals this to the bit). Weights are whole numbers (see
    /// `RowWeights`), so true and false positives are counted as integers, each row adding
    /// its weight masked by its class (no branch, a one-cycle dependency from row to row);
    /// the area and the average precision take a step at each run's last row, with the
    /// same floating-point terms in the same order as a sum over every row that adds 0
    /// elsewhere, so every value is what summing run by run gives. The branch at run ends
    /// is predictable on both common shapes: nearly every row ends a run (continuous
    /// scores), or few do (scores of a few thousand distinct values).
    /// `positives`: the weighted count of positive rows when the caller has it already.
    init<W: RowWeights>(_ rows: RankedRows, _ weights: W, positives known: Int? = nil) {
        var positives = 0
        if let known {
            positives = known
        } else if weights.isUnit {
            positives = rows.positiveCount
        } else {
            // In row order: reads the weights sequentially.
            rows.positiveByRow.withUnsafeBufferPointer { mask in
                for row in 0..<mask.count { positives &+= weights.count(row) & Int(mask[row]) }
            }
        }
        var sums = RankingSums(weights: weights, divisor: Double(max(positives, 1)))
        rows.visit(&sums)
        let (area, ap, fp) = (sums.area, sums.ap, sums.fp)
        if weights.isUnit {
            var tp = 0.0, fp = 0.0
            for flag in rows.flags {
                if flag & 1 != 0 { tp += 1 } else { fp += 1 }
                if flag & 2 != 0 { points.append((fp, tp)) }
            }
        }
        rocAUC = positives > 0 && fp > 0 ? area / (Double(positives) * Double(fp)) : nil
        // Both need two classes: with no negatives every threshold's precision is 1 (the sum
        // only approaches it in floating point), which says nothing about the model.
        averagePrecision = positives > 0 && fp > 0 ? ap : nil
    }
}

/// One pass over ranked rows (`RankedRows.visit`): the weight it looks up for a row, and
/// its step for each row in rank order.
protocol RankedPass {
    associatedtype Weight
    func weight(row: Int) -> Weight
    mutating func step(flags: UInt8, weight: Weight)
}

/// `Ranking`'s sums: weighted true and false positives, the ROC area and the average
/// precision.
private struct RankingSums<W: RowWeights>: RankedPass {
    let weights: W
    /// Equal to the weighted positives and `tp + fp` wherever those are used (at least 1
    /// there), and never a division by zero elsewhere.
    let divisor: Double
    var tp = 0, fp = 0, runTP = 0, runFP = 0
    var area = 0.0, ap = 0.0

    func weight(row: Int) -> Int { weights.count(row) }

    @inline(__always)
    mutating func step(flags flag: UInt8, weight w: Int) {
        let t = -Int(flag & 1)
        tp &+= w & t
        fp &+= w & ~t
        guard flag & 2 != 0 else { return }
        let (tpValue, fpValue, runTPValue, runFPValue) = (Double(tp), Double(fp), Double(runTP), Double(runFP))
        area += (fpValue - runFPValue) * (tpValue + runTPValue) / 2
        ap += (tpValue - runTPValue) / divisor * (tpValue / max(tpValue + fpValue, 1))
        // The counts at the run's end become the next run's start.
        runTP = tp
        runFP = fp
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
