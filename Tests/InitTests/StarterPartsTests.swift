import Evaluation
@testable import Scaffolding
import TestSupport
import Tabular
import XCTest
import Yams

/// The pieces of `sluice init`: reading the label, quoting YAML, paths.
final class StarterPartsTests: XCTestCase {
    private func summary(_ csv: String) throws -> LabelSummary {
        let directory = try TemporaryDirectory()
        let path = try directory.write("data.csv", csv)
        return try LabelSummary.inspect(TableSource(path: path), column: "y")
    }

    func testLabelValuesChooseTheTask() throws {
        XCTAssertEqual(try summary("y\n0\n1\n1\n\n").task, .binary, "a missing label is not a third class")
        XCTAssertNil(try summary("y\n0\n1\n1\n").positiveLabel)
        XCTAssertNil(try summary("y\nFalse\nTrue\n").positiveLabel)
        XCTAssertEqual(try summary("y\nstay\nleave\nstay\n").positiveLabel, "leave", "the rarer class")
        XCTAssertEqual(try summary("y\nb\na\n").positiveLabel, "b", "a tie: the later one")
        XCTAssertEqual(try summary("y\n1\n2\n3\n2\n").task, .multiclass, "a few whole numbers are classes")
        XCTAssertEqual(try summary("y\n1.5\n2\n3\n").task, .regression, "fractions are a quantity")
        let many = "y\n" + (1...11).map(String.init).joined(separator: "\n") + "\n"
        XCTAssertEqual(try summary(many).task, .regression, "more than ten whole numbers are a quantity")
        let words = "y\n" + (1...21).map { "w\($0)" }.joined(separator: "\n") + "\n"
        XCTAssertThrowsError(try summary(words)) { XCTAssertTrue("\($0)".contains("more than 20 distinct text values"), "\($0)") }
        XCTAssertThrowsError(try summary("y\n\n\n")) { XCTAssertTrue("\($0)".contains("has no values"), "\($0)") }
        let gaps = try summary("x,y\na,0\nb,\nc,1\nd, \t\ne\n")
        XCTAssertEqual(gaps.unlabelled, 3, "empty, blank and absent labels: rows the loop leaves out")
        XCTAssertEqual(gaps.classes, ["0", "1"])
    }

    func testScalarsReadBackAsTheSameText() throws {
        for value in ["label", "data/reference.csv", "yes", "No", "null", "1", "0.5", "two words", "a: b", "#x", "../data/x.csv", "/abs/x", ".5", ".inf", ".NaN", "quote\"back\\slash", "-", ""] {
            let yaml = "key: \(YAMLScalar.text(value))\n"
            XCTAssertEqual(try Yams.load(yaml: yaml) as? [String: String], ["key": value], "\(yaml) reads back as the same text, not a number or a boolean")
        }
    }

    func testSiblingsKeepTheFormat() {
        XCTAssertEqual(StarterProject.sibling(of: "data/reference.csv", named: "current"), "data/current.csv")
        XCTAssertEqual(StarterProject.sibling(of: "train.csv.gz", named: "holdout"), "holdout.csv.gz")
        XCTAssertEqual(StarterProject.sibling(of: "a/b/rows.jsonl", named: "current"), "a/b/current.jsonl")
        XCTAssertEqual(StarterProject.sibling(of: "rows", named: "current"), "current")
    }

    func testRelativePaths() {
        XCTAssertEqual(RelativePath.from("/repo", to: "/repo/data/x.csv"), "data/x.csv")
        XCTAssertEqual(RelativePath.from("/repo/model", to: "/repo/data/x.csv"), "../data/x.csv")
        XCTAssertEqual(RelativePath.from("/repo/", to: "/repo/./x.csv"), "x.csv")
    }
}
