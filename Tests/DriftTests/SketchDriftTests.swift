import Drift
import Foundation
import ReportModel
import Stats
import Tabular
import TestSupport
import XCTest

/// Beyond the exact-value limit, or from profiles, methods work from sketches, say so, and
/// stay within the stated bounds.
final class SketchDriftTests: XCTestCase {
    private let reference = Fixtures.path("drift/reference_large.csv")
    private let current = Fixtures.path("drift/current_large.csv")

    private func profileSide(_ path: String, k: Int) throws -> DriftSide {
        let options = ProfileOptions(sketches: SketchSettings(quantileK: k))
        return DriftSide(path: path, profile: try Profiler.profile(TableSource(path: path), options: options).0)
    }

    func testProfilesGiveKSWithinTheSketchBoundAndTheSameVerdicts() throws {
        let options = DriftOptions(method: .ks)
        let exact = try DriftDetector.compare(reference: reference, current: current, options: options)
        // k = 64 forces compaction on these 5000-row files.
        let sketched = DriftDetector.compare(try profileSide(reference, k: 64), try profileSide(current, k: 64), options: options)
        XCTAssertFalse(exact.fromSketches)
        XCTAssertTrue(sketched.fromSketches)
        let bound = 2 * KLLSketch.rankErrorBound(k: 64)
        for feature in exact.features where feature.kind == "numeric" {
            let other = try XCTUnwrap(sketched.features.first { $0.name == feature.name })
            XCTAssertEqual(other.statistic!, feature.statistic!, accuracy: bound, feature.name)
            XCTAssertEqual(other.drifted, feature.drifted, feature.name)
            if feature.name == "income" {
                XCTAssertTrue(other.note?.hasPrefix("from quantile sketches (reference and current") == true, other.note ?? "no note")
            } else {
                // age, score and rating have at most 1024 distinct values: their exact counts travel in the profile.
                XCTAssertEqual(other.statistic, feature.statistic, feature.name)
                XCTAssertNil(other.note, feature.name)
            }
        }
    }

    func testExactValueLimitSwitchesToSketchesAndKeepsTheVerdicts() throws {
        let exact = try DriftDetector.compare(reference: reference, current: current)
        let limited = try DriftDetector.compare(reference: reference, current: current, options: DriftOptions(exactValueLimit: 1000))
        XCTAssertTrue(limited.fromSketches)
        for feature in exact.features {
            let other = try XCTUnwrap(limited.features.first { $0.name == feature.name })
            XCTAssertEqual(other.method, feature.method)
            XCTAssertEqual(other.drifted, feature.drifted, feature.name)
            if feature.method == .measured(.wasserstein) {
                XCTAssertEqual(other.statistic!, feature.statistic!, accuracy: feature.statistic! * 0.05, feature.name)
            }
        }
        // Whole numbers with few distinct values stay exact from their value counts.
        let age = try XCTUnwrap(limited.features.first { $0.name == "age" })
        XCTAssertEqual(age.statistic!, 0.2543155956080671, accuracy: 0.2543155956080671 * 1e-9, "Evidently's value")
        XCTAssertNil(age.note)
    }

    func testProfilesGiveWassersteinWithinTheStatedBound() throws {
        let options = DriftOptions(method: .wasserstein)
        let exact = try DriftDetector.compare(reference: reference, current: current, options: options)
        let sketched = DriftDetector.compare(try profileSide(reference, k: 64), try profileSide(current, k: 64), options: options)
        let income = try XCTUnwrap(sketched.features.first { $0.name == "income" })
        let note = try XCTUnwrap(income.note)
        let stated = try XCTUnwrap(note.range(of: #"within ±([0-9.]+)"#, options: .regularExpression).map { Double(note[$0].dropFirst("within ±".count))! })
        let truth = try XCTUnwrap(exact.features.first { $0.name == "income" }?.statistic)
        XCTAssertGreaterThan(stated, 0)
        XCTAssertLessThanOrEqual(abs(income.statistic! - truth), stated, "the sketch result \(income.statistic!) is within the stated bound of scipy-exact \(truth)")
    }

    func testColumnsOnOneSideAndTypeChangesAreReported() throws {
        let directory = try TemporaryDirectory()
        let before = try directory.write("ref.csv", "a,b,c\n1,x,1\n2,y,2\n3,z,3\n")
        let after = try directory.write("cur.csv", "a,c,d\n1,one,5\n2,two,6\n4,three,7\n")
        let summary = try DriftDetector.compare(reference: before, current: after)
        let byName = Dictionary(uniqueKeysWithValues: summary.features.map { ($0.name, $0) })
        XCTAssertEqual(byName["b"]?.note, "column only in the reference data")
        XCTAssertEqual(byName["d"]?.note, "column only in the current data")
        XCTAssertEqual(byName["c"]?.method, .typeChange)
        XCTAssertEqual(byName["c"]?.note, "type changed: numeric in reference, categorical in current")
        XCTAssertEqual(byName["a"]?.method, .measured(.chisquare), "four distinct values: Evidently's few-valued rule")
        XCTAssertEqual(summary.totalFeatures, 4)
        XCTAssertTrue(summary.datasetDrift)
    }

    func testOneRowPerSideAndAConstantColumn() throws {
        let directory = try TemporaryDirectory()
        let before = try directory.write("ref.csv", "x,k\n1.5,7\n")
        let after = try directory.write("cur.csv", "x,k\n2.5,7\n")
        let summary = try DriftDetector.compare(reference: before, current: after, options: DriftOptions(columnMethods: ["x": .ks]))
        // scipy.stats.ks_2samp([1.5], [2.5]): statistic 1.0, p-value 1.0 (scipy 1.17.1).
        let x = try XCTUnwrap(summary.features.first { $0.name == "x" })
        XCTAssertEqual(x.statistic, 1)
        XCTAssertEqual(x.pValue, 1)
        XCTAssertFalse(x.drifted)
        let k = try XCTUnwrap(summary.features.first { $0.name == "k" })
        XCTAssertEqual(k.method, .measured(.z))
        XCTAssertEqual(k.pValue, 1, "Evidently: one shared value on both sides gives p = 1")
    }

    /// run.json keeps each method's name, measured or not, and reads it back as the same case.
    func testMethodsKeepTheirNamesInRunJSON() throws {
        let names: [(FeatureDrift.Method, String)] = [(.measured(.jsDivergence), "js_divergence"), (.measured(.ks), "ks"), (.none, "none"), (.typeChange, "type_change"), (.missingColumn, "missing_column")]
        for (method, name) in names {
            let data = try JSONEncoder().encode([method])
            XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"\(name)\"]")
            XCTAssertEqual(try JSONDecoder().decode([FeatureDrift.Method].self, from: data), [method])
        }
        XCTAssertThrowsError(try JSONDecoder().decode([FeatureDrift.Method].self, from: Data(#"["kss"]"#.utf8)), "an unknown name is refused")
    }
}
