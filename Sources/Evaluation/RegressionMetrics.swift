import Foundation

/// Regression outcomes: true and predicted values.
struct RegressionMetrics: MetricSuite {
    let truth: [Double]
    let predicted: [Double]

    var rowCount: Int { truth.count }

    func metrics(_ weights: [Double]?) -> [(name: String, value: Double)] {
        var total = 0.0, absolute = 0.0, squared = 0.0, percentage = 0.0, sum = 0.0
        for row in 0..<truth.count {
            let w = weight(weights, row)
            let error = truth[row] - predicted[row]
            total += w
            absolute += w * abs(error)
            squared += w * error * error
            // scikit-learn's MAPE divides by max(|y|, eps) and does not multiply by 100.
            percentage += w * abs(error) / max(abs(truth[row]), Double.ulpOfOne)
            sum += w * truth[row]
        }
        let mean = sum / total
        var spread = 0.0
        for row in 0..<truth.count {
            spread += weight(weights, row) * (truth[row] - mean) * (truth[row] - mean)
        }
        // scikit-learn's r2_score with force_finite: a constant truth scores 1 if fitted exactly, else 0.
        let r2 = spread > 0 ? 1 - squared / spread : (squared == 0 ? 1 : 0)
        return [
            ("mae", absolute / total),
            ("rmse", (squared / total).squareRoot()),
            ("r2", r2),
            ("mape", percentage / total),
        ]
    }
}
