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
}

/// Sums over weighted rows: `weights` nil means every row counts once.
@inline(__always)
func weight(_ weights: [Double]?, _ row: Int) -> Double { weights?[row] ?? 1 }
