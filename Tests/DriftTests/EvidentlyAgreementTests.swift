import Drift
import ReportModel
import Stats
import TestSupport
import XCTest

/// The drift table agrees with Evidently 0.7.23 (legacy DataDriftTable, pandas 2.3.3,
/// scipy 1.17.1) on the fixtures in Tests/Fixtures/drift, within 1e-9 relative.
/// Values printed by Tests/Fixtures/drift/expected_values.py.
final class EvidentlyAgreementTests: XCTestCase {
    private func compare(_ pair: String, _ options: DriftOptions = DriftOptions()) throws -> DriftSummary {
        try DriftDetector.compare(reference: Fixtures.path("drift/reference_\(pair).csv"), current: Fixtures.path("drift/current_\(pair).csv"), options: options)
    }

    private func feature(_ summary: DriftSummary, _ name: String) throws -> FeatureDrift {
        try XCTUnwrap(summary.features.first { $0.name == name }, "no feature \(name)")
    }

    private func assertClose(_ actual: Double?, _ expected: Double, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("\(message): no value", file: file, line: line) }
        XCTAssertEqual(actual, expected, accuracy: max(abs(expected) * 1e-9, 1e-300), message, file: file, line: line)
    }

    func testSmallReferenceUsesTestsLikeEvidently() throws {
        let summary = try compare("small")
        // Evidently: (method, drift score, drifted)
        let expected: [String: (String, Double, Bool)] = [
            "binary": ("z", 1.1434334821869285e-05, true),
            "constant": ("z", 1.0, false),
            "few": ("chisquare", 2.2387944266245883e-15, true),
            "num_same": ("ks", 0.7756488366747679, false),
            "num_shift": ("ks", 2.4081700760951523e-05, true),
            "with_missing": ("ks", 0.6252150481243236, false),
            "cat": ("chisquare", 0.0, true),
            "yes_no": ("z", 0.543314739395131, false),
        ]
        for (name, (method, score, drifted)) in expected {
            let result = try feature(summary, name)
            XCTAssertEqual(result.method.rawValue, method, name)
            assertClose(result.pValue, score, name)
            XCTAssertEqual(result.drifted, drifted, name)
        }
        // scipy.stats.ks_2samp statistic of the same columns.
        assertClose(try feature(summary, "num_shift").statistic, 0.202, "num_shift D")
        assertClose(try feature(summary, "with_missing").statistic, 0.07041590933390356, "with_missing D")
        XCTAssertFalse(summary.fromSketches)
    }

    func testInfinitiesAreDroppedAndTheColumnStaysNumeric() throws {
        // Issue 15: without a schema, inf/-inf/Infinity/INF made the column categorical and a
        // type change. pandas 3.1.1 reads them as floats and Evidently drops infinities; scipy
        // 1.17.1 ks_2samp on the 58 and 47 finite values gives these.
        let summary = try compare("infinities")
        let x = try feature(summary, "x")
        XCTAssertEqual(x.method, .measured(.ks))
        assertClose(x.statistic, 0.13793103448275862, "x D")
        assertClose(x.pValue, 0.6403850051622101, "x p")
        XCTAssertFalse(x.drifted)
        XCTAssertEqual(x.missingRateReference, 2.0 / 60, accuracy: 1e-12)
        XCTAssertEqual(x.missingRateCurrent, 3.0 / 50, accuracy: 1e-12)
    }

    func testAwkwardColumnsAreReportedNotCrashedOn() throws {
        let summary = try compare("small")
        let gone = try feature(summary, "gone")
        XCTAssertNil(gone.statistic)
        XCTAssertFalse(gone.drifted)
        XCTAssertEqual(gone.missingRateCurrent, 1)
        XCTAssertEqual(gone.note, "no values in the current data after dropping missing values")
        let missing = try feature(summary, "with_missing")
        XCTAssertEqual(missing.missingRateReference, 65.0 / 300, accuracy: 1e-12)
        XCTAssertEqual(summary.totalFeatures, 8, "the untestable column is left out of the share")
        XCTAssertEqual(summary.driftedFeatures, 4)
        XCTAssertTrue(summary.datasetDrift, "4 of 8 reaches the default share 0.5")
        let category = try feature(summary, "cat")
        XCTAssertEqual(category.statistic, .infinity, "a category present only in current")
        XCTAssertEqual(category.distribution?.bins.contains("e"), true)
    }

    func testLargeReferenceUsesDistancesLikeEvidently() throws {
        let summary = try compare("large")
        let expected: [String: (String, Double, Bool)] = [
            "age": ("wasserstein", 0.2543155956080671, true),
            "income": ("wasserstein", 0.6863547704433808, true),
            "rating": ("jensenshannon", 0.01791613612610322, false),
            "score": ("wasserstein", 0.1826731140483364, true),
            "city": ("jensenshannon", 0.18298068602985038, true),
            "flag": ("jensenshannon", 0.005374052882504284, false),
        ]
        for (name, (method, score, drifted)) in expected {
            let result = try feature(summary, name)
            XCTAssertEqual(result.method.rawValue, method, name)
            assertClose(result.statistic, score, name)
            XCTAssertNil(result.pValue)
            XCTAssertEqual(result.drifted, drifted, name)
        }
        XCTAssertEqual(summary.driftedFeatures, 4)
        XCTAssertTrue(summary.datasetDrift)
    }

    func testEveryMethodByNameMatchesItsReference() throws {
        // jensenshannon, kl_div, hellinger: Evidently's stattest functions; js_divergence and
        // l_infinity: scipy/numpy on Evidently's bins; psi: numpy on reference deciles.
        let expected: [String: [DriftMethod: Double]] = [
            "income": [.jensenshannon: 0.2018102813021545, .klDiv: 0.16321007161317852, .hellinger: 0.19937101903344026,
                       .jsDivergence: 0.05875720306090535, .lInfinity: 0.22009999999999993, .psi: 0.35957170257711607],
            "score": [.jensenshannon: 0.07635601414438557, .klDiv: 0.024628915828192505, .hellinger: 0.07071769793825917,
                      .jsDivergence: 0.008411259627872633, .lInfinity: 0.02210000000000001, .psi: 0.03679390271302823],
            "city": [.jensenshannon: 0.18298068602985038, .klDiv: 0.13883833174457522, .hellinger: 0.18385893350258806,
                     .jsDivergence: 0.04830421647666078, .lInfinity: 0.21085, .psi: 0.27307150015529474],
        ]
        for method in [DriftMethod.jensenshannon, .klDiv, .hellinger, .jsDivergence, .lInfinity, .psi] {
            let summary = try compare("large", DriftOptions(method: method, columns: ["income", "score", "city"]))
            for (name, values) in expected {
                let result = try feature(summary, name)
                XCTAssertEqual(result.method, .measured(method))
                XCTAssertEqual(result.threshold, 0.1)
                assertClose(result.statistic, values[method]!, "\(name) \(method.rawValue)")
            }
        }
    }

    func testKSOnLargeSamplesUsesScipysAsymptoticPValue() throws {
        // scipy.stats.ks_2samp on the large pair (exact: at most 10 000 values per side).
        let large = try compare("large", DriftOptions(method: .ks, columns: ["income", "score"]))
        assertClose(try feature(large, "income").pValue, 3.951949863324734e-108, "income")
        assertClose(try feature(large, "score").pValue, 2.3817843590524584e-09, "score")
        let asymptotic = try compare("asymp", DriftOptions(method: .ks))
        let x = try feature(asymptotic, "x")
        XCTAssertEqual(x.note, "asymptotic p-value (a sample has more than 10000 values)")
        // scipy 1.17.1: ks_2samp(reference_asymp.x, current_asymp.x)
        assertClose(x.statistic, 0.043166666666666687, "asymptotic D")
        assertClose(x.pValue, 0.00025286421526246003, "asymptotic p")
    }

    func testCategoricalMethodRejectsNothingAndNumericOnlyMethodSaysWhy() throws {
        let summary = try compare("large", DriftOptions(columnMethods: ["city": .ks]))
        let city = try feature(summary, "city")
        XCTAssertEqual(city.note, "ks needs a numeric column; this one is categorical")
        XCTAssertFalse(city.drifted)
    }
}
