import Foundation
import ReportModel
@testable import Reports
import XCTest

/// Numbers on axes read for people, titles wrap, and the slices table marks one worst slice.
final class ReadableChartsTests: XCTestCase {
    func testAxisLabelsUseSeparatorsSuffixesAndThreeSignificantDigits() {
        XCTAssertEqual(Format.axis(0), "0")
        XCTAssertEqual(Format.axis(0.012345), "0.0123")
        XCTAssertEqual(Format.axis(12.345), "12.3")
        XCTAssertEqual(Format.axis(7480), "7,480")
        XCTAssertEqual(Format.axis(21_000), "21k")
        XCTAssertEqual(Format.axis(123_456), "123k")
        XCTAssertEqual(Format.axis(999_700), "1M", "rounding up moves to the next suffix")
        XCTAssertEqual(Format.axis(2_345_000_000), "2.35G")
        XCTAssertEqual(Format.axis(-1_500_000), "−1.5M")
        XCTAssertEqual(Format.axisLabels([7480, 30_000, 723_000]), ["7.48k", "30k", "723k"], "one style per axis")
        XCTAssertEqual(Format.axisLabels([12, 31.9, 237]), ["12", "31.9", "237"])
        XCTAssertEqual(Format.axisShare(0.025), "2.5%")
    }

    func testTitlesWrapAtWordsAndUnderscores() {
        XCTAssertEqual(Chart.wrap("monthly_charges: reference vs current", width: 464, size: 13), ["monthly_charges: reference vs current"])
        let lines = Chart.wrap("annual_household_income_reported_by_the_customer_at_signup: reference vs current", width: 300, size: 13)
        XCTAssertEqual(lines, ["annual_household_income_reported_by_", "the_customer_at_signup: reference vs", "current"])
        XCTAssertTrue(lines.allSatisfy { Chart.textWidth($0, size: 13) <= 300 })
    }

    private func evaluation(recall: [Double]) -> EvaluationSummary {
        let slices = recall.enumerated().map { index, value in
            SliceMetrics(column: "region", value: "r\(index)", rowCount: 100 + index, metrics: ["recall": value, "accuracy": 0.8, "f1": 0.5, "brier": 0.2])
        }
        return EvaluationSummary(task: "binary", holdout: "holdout.csv", rowCount: 500, championAvailable: false,
                                 metrics: [MetricComparison(name: "accuracy", higherIsBetter: true, candidate: 0.8, champion: nil, delta: nil, ciLow: nil, ciHigh: nil, verdict: .notApplicable),
                                           MetricComparison(name: "f1", higherIsBetter: true, candidate: 0.5, champion: nil, delta: nil, ciLow: nil, ciHigh: nil, verdict: .notApplicable),
                                           MetricComparison(name: "recall", higherIsBetter: true, candidate: 0.4, champion: nil, delta: nil, ciLow: nil, ciHigh: nil, verdict: .notApplicable),
                                           MetricComparison(name: "brier", higherIsBetter: false, candidate: 0.2, champion: nil, delta: nil, ciLow: nil, ciHigh: nil, verdict: .notApplicable)],
                                 slices: slices)
    }

    func testSlicesTableGatedColumnsFirstAndOneWorstSlice() {
        let gate = GateResult(name: "recall >= 0.3 on every region", kind: .slice, status: .passed, detail: "all hold", threshold: 0.3, metric: "recall", sliceColumn: "region")
        let table = SliceTable(evaluation(recall: [0.5, 0.31, 0.6, 0.31]), gates: [gate])
        XCTAssertEqual(table.columns.map(\.name), ["recall", "accuracy", "f1"], "gated first, then two headline metrics")
        XCTAssertEqual(table.otherColumns, ["brier"])
        XCTAssertEqual(table.rows.map { $0.worst[0] }, [false, true, false, false], "the first slice with the worst value")
        XCTAssertEqual(table.gates.map(\.name), ["recall >= 0.3 on every region"])
        let tied = SliceTable(evaluation(recall: [0, 0, 0]), gates: [gate])
        XCTAssertFalse(tied.rows.contains { $0.worst[0] }, "no worst slice when all are equal")
    }

    func testMermaidHistogramUsesOnlyXYChartBetaStatements() throws {
        let feature = FeatureDrift(name: "annual_income", kind: "numeric", method: .measured(.wasserstein), statistic: 0.5, pValue: nil, threshold: 0.1, drifted: true,
                                   missingRateReference: 0, missingRateCurrent: 0,
                                   distribution: Distribution(bins: ["a", "b"], reference: [0.5, 0.5], current: [0.2, 0.8], edges: [7480, 30_000, 723_000], binning: .referenceDeciles))
        let chart = try XCTUnwrap(MermaidCharts.histogram(feature))
        XCTAssertEqual(chart, """
        ```mermaid
        xychart-beta
            title "annual_income: % of rows per bin"
            x-axis ["7.48k–30k", "30k–723k"]
            y-axis "% of rows" 0 --> 80
            bar [20.00, 80.00]
            line [50.00, 50.00]
        ```
        """)
    }
}
