/// A model's outcomes on the holdout that can be scored on any weighting of its rows.
///
/// Weights make one code path serve three jobs: all rows once (`nil`), one slice (1 inside,
/// 0 outside) and a bootstrap resample (how often each row was drawn). Every formula matches
/// scikit-learn's on the data the weights describe.
protocol MetricSuite {
    var rowCount: Int { get }
    /// Metric values, in report order; a metric that is undefined on the rows is left out.
    func metrics(_ weights: [Double]?) -> [(name: String, value: Double)]
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
