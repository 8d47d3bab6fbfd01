/// A model's outcomes on the holdout that can be scored on any weighting of its rows.
///
/// Weights make one code path serve three jobs: all rows once (`nil`), one slice (1 inside,
/// 0 outside) and a bootstrap resample (how often each row was drawn). Every formula matches
/// scikit-learn's on the data the weights describe.
protocol MetricSuite {
    var rowCount: Int { get }
    /// Metric values, in report order; a metric that is undefined on the rows is left out.
    func metrics(_ weights: [Double]?) -> [(name: String, value: Double)]
    /// The metrics of each of a batch's eight bootstrap resamples (lane `k` drew row `r`
    /// `lanes[k][r]` times): exactly `metrics` with each lane's counts as weights.
    func metrics(batch: ResampleBatch) -> [[(name: String, value: Double)]]
}

extension MetricSuite {
    func metrics(batch: ResampleBatch) -> [[(name: String, value: Double)]] {
        batch.lanes.map { metrics($0.map(Double.init)) }
    }
}

/// How much each row counts in a sum. Every weight is a whole number (1, a slice's 0 or 1,
/// a resample's draw count), so a sum of weights alone is exact in any order, and sums of
/// weights are taken as integers (`count`), which are exact and fast.
protocol RowWeights {
    /// Whether every row counts once.
    var isUnit: Bool { get }
    subscript(row: Int) -> Double { get }
    /// The row's weight as the whole number it is.
    func count(_ row: Int) -> Int
}

/// Every row once.
struct UnitWeights: RowWeights {
    var isUnit: Bool { true }
    subscript(row: Int) -> Double { 1 }
    func count(_ row: Int) -> Int { 1 }
}

/// Weights given as numbers (whole numbers: a slice's 0 and 1, recounted draws).
struct GivenWeights: RowWeights {
    let values: UnsafeBufferPointer<Double>
    var isUnit: Bool { false }
    subscript(row: Int) -> Double { values[row] }
    func count(_ row: Int) -> Int { Int(values[row]) }
}

/// A bootstrap resample's draw counts.
struct DrawCounts: RowWeights {
    let counts: UnsafeBufferPointer<UInt8>
    var isUnit: Bool { false }
    subscript(row: Int) -> Double { Double(counts[row]) }
    func count(_ row: Int) -> Int { Int(counts[row]) }
}

/// A row's class as a mask for branch-free whole-number sums: `weight & mask` is the
/// weight for a row of the class (mask -1, all bits) and 0 for any other (mask 0).
func classMask(_ isClass: Bool) -> Int8 { isClass ? -1 : 0 }

/// Calls `body` with `weights` (nil: every row once) as the `RowWeights` it is. One
/// function per weight kind, so each sum compiles to a loop without optionals.
func withRowWeights<R>(_ weights: [Double]?, unit: (UnitWeights) -> R, given: (GivenWeights) -> R) -> R {
    guard let weights else { return unit(UnitWeights()) }
    return weights.withUnsafeBufferPointer { given(GivenWeights(values: $0)) }
}

/// Facts about each metric's direction, for verdicts and gates.
public enum MetricCatalog {
    /// Metrics where a smaller value is better; all others are better when larger.
    public static let lowerIsBetter: Set<String> = ["log_loss", "brier", "mae", "rmse", "mape"]

    public static func higherIsBetter(_ name: String) -> Bool { !lowerIsBetter.contains(name) }

    /// Every metric Sluice computes for `task` (those needing scores only when scores are given).
    public static func names(for task: EvaluationTask) -> [String] {
        let averaged = ["accuracy", "balanced_accuracy", "precision_macro", "recall_macro", "f1_macro", "precision_weighted", "recall_weighted", "f1_weighted"]
        switch task {
        case .binary: return averaged + ["precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss", "brier"]
        case .multiclass: return averaged + ["roc_auc", "log_loss"]
        case .regression: return ["mae", "rmse", "r2", "mape"]
        }
    }
}

/// Sums over weighted rows: `weights` nil means every row counts once.
@inline(__always)
func weight(_ weights: [Double]?, _ row: Int) -> Double { weights?[row] ?? 1 }
