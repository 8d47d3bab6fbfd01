import Stats
import XCTest

/// Expected values from scipy 1.17.1 (numpy 2.4.6), printed by
/// Tests/Fixtures/drift/expected_values.py and pasted here.
final class ReferenceValueTests: XCTestCase {
    private func assertClose(_ actual: Double, _ expected: Double, relative: Double = 1e-9, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        if expected == 0 {
            XCTAssertEqual(actual, 0, accuracy: 1e-300, message, file: file, line: line)
        } else {
            XCTAssertEqual(actual, expected, accuracy: abs(expected) * relative, message, file: file, line: line)
        }
    }

    func testKolmogorovSurvivalMatchesScipyKstwoInEveryRegion() {
        // scipy.stats.kstwo.sf(d, n), scipy 1.17.1: Durbin matrix, Pomeranz, Pelz-Good and
        // Smirnov regions, small and large n.
        let cases: [(Int, Double, Double)] = [
            (150, 0.02, 0.9999999260281685), (150, 0.05, 0.8290828416799794), (150, 0.1, 0.09292132232164585),
            (150, 0.2, 9.805366045892556e-06), (150, 0.6, 3.62982061841626e-52),
            (500, 0.02, 0.9859871786857471), (500, 0.05, 0.15866260223815387), (500, 0.1, 8.342293067263533e-05),
            (500, 0.2, 5.256835361945869e-18), (500, 0.6, 1.1934763993433721e-172),
            (2000, 0.02, 0.3953133626892045), (2000, 0.05, 8.74309579589503e-05), (2000, 0.1, 7.300241819807517e-18),
            (2000, 0.2, 1.3550654457041708e-70), (2000, 0.6, 0),
            (50000, 0.02, 8.35587873542047e-18), (50000, 0.05, 4.497854714253647e-109), (50000, 0.1, 0),
            (200000, 0.02, 6.339001082043132e-70),
            (20, 0.1, 0.976255094592155), (20, 0.3, 0.04306706665851623), (60, 0.05, 0.9965119852877966),
            (60, 0.15, 0.12110534950589669), (60, 0.3, 2.7617543388165356e-05), (140, 0.07, 0.4776228287946577),
            (140, 0.2, 2.1981563302200222e-05), (1000, 0.01, 0.9999496745370611), (1000, 0.012, 0.9984464668620097),
            (200000, 0.003, 0.0545369786611305), (200000, 0.0025, 0.16380630168585164), (30000, 0.008, 0.042757007670178426),
            (3, 0.4, 0.5946666666666665), (10, 0.05, 1.0),
        ]
        for (n, d, expected) in cases {
            assertClose(Kolmogorov.survival(n: n, x: d), expected, "kstwo.sf(\(d), \(n))")
        }
    }

    func testTwoSampleKSMatchesScipyOnAwkwardSamples() {
        // scipy.stats.ks_2samp(a, b) statistic and p-value, scipy 1.17.1.
        let cases: [(String, [Double], [Double], Double, Double)] = [
            ("ties", [1, 1, 2, 2, 2, 3, 3, 3, 3], [2, 2, 3, 3, 4, 4, 4], 0.42857142857142855, 0.368006993006993),
            ("equal sizes", [0.1, 0.5, 0.9, 1.3, 2.2], [0.4, 0.6, 1.1, 1.8, 2.5], 0.2, 1.0),
            ("one row", [1.0], [2.0], 1.0, 1.0),
            ("constant", [5, 5, 5, 5], [5, 5, 5], 0.0, 1.0),
            ("disjoint", (0..<50).map(Double.init), (100..<140).map(Double.init), 1.0, 3.340520538602392e-26),
        ]
        for (name, a, b, statistic, p) in cases {
            let result = KolmogorovSmirnov.test(WeightedSample(exact: a), WeightedSample(exact: b))!
            assertClose(result.statistic, statistic, name)
            assertClose(result.pValue, p, name)
            // With equal sizes and d = 1/n the exact formula exceeds 1, so scipy (and Sluice)
            // fall back to the asymptotic p-value.
            XCTAssertEqual(result.exact, name != "equal sizes", name)
        }
    }

    func testWassersteinMatchesScipy() {
        // scipy.stats.wasserstein_distance(a, b), scipy 1.17.1.
        let cases: [([Double], [Double], Double)] = [
            ([1, 1, 2, 2, 2, 3, 3, 3, 3], [2, 2, 3, 3, 4, 4, 4], 0.9206349206349207),
            ([0.1, 0.5, 0.9, 1.3, 2.2], [0.4, 0.6, 1.1, 1.8, 2.5], 0.28),
            ([1.0], [2.0], 1.0),
            ([5, 5, 5, 5], [5, 5, 5], 0.0),
            ((0..<50).map(Double.init), (100..<140).map(Double.init), 95.0),
        ]
        for (a, b, expected) in cases {
            assertClose(Distances.wasserstein(WeightedSample(exact: a), WeightedSample(exact: b)), expected)
        }
    }

    func testChiSquareAndSpecialFunctionsMatchScipy() {
        // scipy.stats.chisquare and chi2.sf / norm.cdf, scipy 1.17.1.
        let first = ChiSquare.test(observed: [10, 20, 30, 40], expected: [25, 25, 25, 25])
        assertClose(first.statistic, 20.0)
        assertClose(first.pValue, 0.00016974243555282632)
        let second = ChiSquare.test(observed: [5, 0, 7], expected: [4, 4, 4])
        assertClose(second.statistic, 6.5)
        assertClose(second.pValue, 0.03877420783172202)
        assertClose(SpecialFunctions.chiSquareSurvival(3.5, degreesOfFreedom: 1), 0.0613688291394023)
        assertClose(SpecialFunctions.chiSquareSurvival(250, degreesOfFreedom: 200), 0.009379131668826098)
        assertClose(SpecialFunctions.chiSquareSurvival(80, degreesOfFreedom: 10), 5.020464318829132e-13)
        assertClose(SpecialFunctions.normalCDF(-3.2), 0.0006871379379158471)
        assertClose(SpecialFunctions.normalCDF(1.7), 0.955434537241457)
        let unseen = ChiSquare.test(observed: [3, 4], expected: [7, 0])
        XCTAssertEqual(unseen.statistic, .infinity, "a category unseen in the reference")
        XCTAssertEqual(unseen.pValue, 0)
    }

    func testJensenShannonAndEntropyMatchScipy() {
        // scipy.spatial.distance.jensenshannon and scipy.stats.entropy, scipy 1.17.1.
        assertClose(Distances.jensenShannon([0.1, 0.4, 0.5], [0.3, 0.3, 0.4]), 0.18035965602712561)
        assertClose(Distances.jensenShannon([1, 0], [0, 1]), 0.8325546111576977)
        assertClose(Distances.jensenShannon([0.2, 0.8], [0.5, 0.5], base: 2), 0.27037752852596664)
        assertClose(Distances.kullbackLeibler([0.1, 0.4, 0.5], [0.3, 0.3, 0.4]), 0.11678337577100631)
    }

    func testZeroBinRuleFollowsEvidently() {
        XCTAssertEqual(Distances.fillingZeros([0.5, 0, 0.5]), [0.5, 0.0001, 0.5])
        XCTAssertEqual(Distances.fillingZeros([0.99995, 0.00005, 0]), [0.99995, 0.00005, 0.00005 / 1_000_000])
    }

    func testSturgesEdgesAndHistogramCountsFollowNumpy() {
        // numpy.histogram_bin_edges(range(1, 101), bins="sturges"): 8 bins of width 12.375.
        let edges = Binning.sturgesEdges(minimum: 1, maximum: 100, size: 100)
        XCTAssertEqual(edges.count, 9)
        XCTAssertEqual(edges[1], 13.375, accuracy: 1e-12)
        let counts = Binning.counts(WeightedSample(exact: (1...100).map(Double.init)), edges: edges)
        // numpy.histogram(range(1, 101), edges)[0]
        XCTAssertEqual(counts, [13, 12, 13, 12, 12, 13, 12, 13])
        XCTAssertEqual(Binning.sturgesEdges(minimum: 5, maximum: 5, size: 10), [4.5, 5.5], "an empty range gets one bin ±0.5")
    }
}
