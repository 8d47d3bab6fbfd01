import Core
import ReportModel
import TestSupport
@testable import Validation
import XCTest

final class DataHygieneTests: XCTestCase {
    private let example = Fixtures.repo("templates/example/reference.csv")

    private func leakage(_ training: String, _ options: HygieneOptions) throws -> (findings: [LeakageFinding], checked: Int) {
        let summary = try DataHygiene.check(training: training, holdout: nil, options: options)
        return (summary.leakage, summary.columnsChecked)
    }

    private func overlap(_ holdout: String, exclude: [String]) throws -> HoldoutOverlap {
        try XCTUnwrap(DataHygiene.check(training: example, holdout: holdout, options: HygieneOptions(label: "label", labelIsNumeric: false, exclude: exclude)).holdoutOverlap)
    }

    /// The seaborn titanic data (891 rows) carries `alive` (yes/no), a relabelling of
    /// `survived`; nothing else in it gives survival away.
    func testTitanicsAliveColumnIsTheLabelRenamed() throws {
        let (findings, checked) = try leakage(Fixtures.path("validation/titanic.csv"), HygieneOptions(label: "survived", labelIsNumeric: false))
        XCTAssertEqual(checked, 14)
        XCTAssertEqual(findings, [LeakageFinding(column: "alive", kind: .determines, rows: 891,
                                                 evidence: "each of its 2 values goes with one 'survived' value in all 891 rows: 'no' → '0', 'yes' → '1'")])
    }

    func testTheExampleHasNoLeakAndACopiedLabelIsFound() throws {
        let clean = try leakage(example, HygieneOptions(label: "label", labelIsNumeric: false, exclude: ["customer_id"]))
        XCTAssertEqual(clean.findings, [], "no column of the example gives the label away")
        XCTAssertEqual(clean.checked, 13)

        // A copy of the label, a number per class in ranges that do not overlap, and a
        // regression label with an exact linear twin.
        let directory = try TemporaryDirectory()
        var lines = ["x,leak,score,label,price,twin"]
        for row in 0..<40 {
            let label = row % 2
            lines.append("\(row % 7),\(label),\(label == 1 ? 10 + row : row - 50),\(label),\(Double(row) * 1.5),\(3 * Double(row) * 1.5 + 2)")
        }
        let data = try directory.write("leaky.csv", lines.joined(separator: "\n") + "\n")
        let classes = try leakage(data, HygieneOptions(label: "label", labelIsNumeric: false))
        XCTAssertEqual(classes.findings.map(\.column), ["leak", "score"])
        XCTAssertEqual(classes.findings.first?.kind, .identical)
        XCTAssertEqual(classes.findings.first?.evidence, "equal to 'label' in all 40 rows")
        XCTAssertEqual(classes.findings.last?.kind, .separates)
        XCTAssertEqual(classes.findings.last?.evidence, "its ranges per 'label' class do not overlap in 40 rows: '0' -50…-12, '1' 11…49")
        let regression = try leakage(data, HygieneOptions(label: "price", labelIsNumeric: true))
        XCTAssertEqual(regression.findings.map(\.column), ["twin"])
        XCTAssertEqual(regression.findings.first?.kind, .linear)
        XCTAssertEqual(regression.findings.first?.evidence, "a linear function of 'price': correlation 1.000000 over 40 rows")
    }

    /// Cells are read from bytes but compared as their trimmed `String`s: white space
    /// (including a no-break space) around a value is not part of it, and canonically
    /// equivalent texts (é precomposed and decomposed) are one value.
    func testValuesCompareAsTrimmedStrings() throws {
        let directory = try TemporaryDirectory()
        var lines = ["drink,label"]
        for row in 0..<20 {
            lines.append(row % 2 == 1 ? "\" tea\t\",\u{A0}0" : row % 4 == 0 ? "caf\u{E9},1" : "cafe\u{301},1 ")
        }
        let data = try directory.write("drinks.csv", lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(try leakage(data, HygieneOptions(label: "label", labelIsNumeric: false)).findings, [
            LeakageFinding(column: "drink", kind: .determines, rows: 20,
                           evidence: "each of its 2 values goes with one 'label' value in all 20 rows: 'caf\u{E9}' → '1', 'tea' → '0'"),
        ])
    }

    func testFewRowsAreNotJudged() throws {
        let directory = try TemporaryDirectory()
        let data = try directory.write("small.csv", "x,label\n1,1\n0,0\n1,1\n")
        XCTAssertEqual(try leakage(data, HygieneOptions(label: "label", labelIsNumeric: false)).findings, [])
    }

    func testHoldoutRowsCopiedFromTheTrainingDataAreFoundWithTheirLines() throws {
        let clean = try overlap(Fixtures.repo("templates/example/holdout.csv"), exclude: ["customer_id"])
        XCTAssertEqual(clean.overlappingRows, 0)
        XCTAssertEqual(clean.holdoutRows, 1000)
        XCTAssertEqual(clean.trainingRows, 4000)
        XCTAssertFalse(clean.columns.contains("customer_id"))

        // Three training rows (lines 2, 11 and 4001) copied into the holdout under new ids.
        let directory = try TemporaryDirectory()
        let training = try String(contentsOfFile: example, encoding: .utf8).split(separator: "\n")
        var holdout = try String(contentsOfFile: Fixtures.repo("templates/example/holdout.csv"), encoding: .utf8).split(separator: "\n").prefix(21).map(String.init)
        for line in [2, 11, 4001] {
            holdout.append("X\(line)" + training[line - 1].drop { $0 != "," })
        }
        let path = try directory.write("holdout.csv", holdout.joined(separator: "\n") + "\n")
        let found = try overlap(path, exclude: ["customer_id"])
        XCTAssertEqual(found.overlappingRows, 3)
        XCTAssertEqual(found.holdoutRows, 23)
        XCTAssertEqual(found.trainingRows, 4000)
        XCTAssertEqual(found.examples, [.init(holdoutLine: 22, trainingLine: 2), .init(holdoutLine: 23, trainingLine: 11), .init(holdoutLine: 24, trainingLine: 4001)])
        XCTAssertEqual(found.fraction, 3.0 / 23.0, accuracy: 1e-12)
        // With the id compared too, the copies are new rows.
        XCTAssertEqual(try overlap(path, exclude: []).overlappingRows, 0)
    }

    func testMissingLabelColumnIsAUsageError() throws {
        XCTAssertThrowsError(try DataHygiene.check(training: example, holdout: nil, options: HygieneOptions(label: "churned", labelIsNumeric: false))) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
            XCTAssertTrue("\(error)".contains("has no label column 'churned'"), "\(error)")
        }
    }
}
