import Core
@testable import Evaluation
import ReportModel
import TestSupport
import XCTest

/// A holdout row whose label is empty takes part in no metric: the evaluation equals the one
/// of the same files with those rows (and their predictions) deleted, and says how many.
final class UnlabelledRowsTests: XCTestCase {
    private func evaluate(_ options: EvaluationOptions, candidate: String, champion: String? = nil, labels: String, in directory: TemporaryDirectory, name: String) throws -> EvaluationSummary {
        try Evaluator.evaluate(candidate: try directory.write("\(name)-c.csv", candidate), champion: try champion.map { try directory.write("\(name)-k.csv", $0) },
                               labels: try directory.write("\(name)-l.csv", labels), options: options)
    }

    /// The summary without what differs between the two files: their names and the count.
    private func comparable(_ summary: EvaluationSummary) -> EvaluationSummary {
        var summary = summary
        summary.holdout = ""
        summary.unlabelledRows = nil
        return summary
    }

    func testBinaryByRowOrderEqualsTheHoldoutWithoutThoseRows() throws {
        let directory = try TemporaryDirectory()
        var options = EvaluationOptions(task: .binary)
        options.sliceBy = ["region"]
        options.bootstrap = 200
        let withBlanks = try evaluate(options,
            candidate: "score\n0.9\n0.2\n0.7\n0.4\n0.6\n0.1\n0.8\n",
            champion: "score\n0.6\n0.5\n0.4\n0.3\n0.7\n0.2\n0.9\n",
            labels: "label,region\n1,n\n0,s\n,n\n0,n\n  ,s\n0,s\n1,n\n", in: directory, name: "blanks")
        let without = try evaluate(options,
            candidate: "score\n0.9\n0.2\n0.4\n0.1\n0.8\n",
            champion: "score\n0.6\n0.5\n0.3\n0.2\n0.9\n",
            labels: "label,region\n1,n\n0,s\n0,n\n0,s\n1,n\n", in: directory, name: "clean")
        XCTAssertEqual(withBlanks.rowCount, 5)
        XCTAssertEqual(withBlanks.unlabelledRows, 2)
        XCTAssertNil(without.unlabelledRows, "none left out: the field stays out of the JSON")
        XCTAssertEqual(comparable(withBlanks), comparable(without), "metrics, intervals, slices and the confusion matrix as if the rows were not there")
        XCTAssertEqual(withBlanks.confusionMatrix?.labels, ["0", "1"], "an empty label is not a class")
        XCTAssertTrue(EvaluationText.render(withBlanks).hasPrefix("binary evaluation on \(directory.path)/blanks-l.csv (5 rows; 2 without a label left out), champion: yes"), EvaluationText.render(withBlanks))
    }

    func testRegressionByIdLeavesOutEmptyLabelsButNotTextThatIsNoNumber() throws {
        let directory = try TemporaryDirectory()
        var options = EvaluationOptions(task: .regression)
        options.idColumn = "id"
        let withBlanks = try evaluate(options, candidate: "id,prediction\nc,3.5\na,1.5\nb,2.5\nd,9\n", labels: "id,label\na,1\nb,\nc,3\nd,4\n", in: directory, name: "r")
        let without = try evaluate(options, candidate: "id,prediction\nc,3.5\na,1.5\nd,9\n", labels: "id,label\na,1\nc,3\nd,4\n", in: directory, name: "r2")
        XCTAssertEqual(withBlanks.unlabelledRows, 1)
        XCTAssertEqual(comparable(withBlanks), comparable(without))
        XCTAssertThrowsError(try evaluate(options, candidate: "id,prediction\na,1\nb,2\nc,3\n", labels: "id,label\na,\nb,n/a\nc,3\n", in: directory, name: "r3")) { error in
            XCTAssertEqual("\(error)", "\(directory.path)/r3-l.csv line 3: label is not a finite number ('n/a')", "the line of the file, counted past the left-out row")
        }
    }

    func testErrorsAfterALeftOutRowNameTheirOwnLine() throws {
        let directory = try TemporaryDirectory()
        XCTAssertThrowsError(try evaluate(EvaluationOptions(task: .binary), candidate: "score\n0.1\n0.2\nNaN\n", labels: "label,w\n0,x\n,y\n1,z\n", in: directory, name: "e")) { error in
            XCTAssertEqual("\(error)", "\(directory.path)/e-c.csv line 4: score is not a finite number ('NaN')")
        }
    }

    func testMulticlassLeavesOutEmptyLabels() throws {
        let directory = try TemporaryDirectory()
        let withBlanks = try evaluate(EvaluationOptions(task: .multiclass), candidate: "prediction\na\nb\nc\na\n", labels: "label,w\na,x\n,y\nc,z\nb,x\n", in: directory, name: "m")
        let without = try evaluate(EvaluationOptions(task: .multiclass), candidate: "prediction\na\nc\na\n", labels: "label\na\nc\nb\n", in: directory, name: "m2")
        XCTAssertEqual(withBlanks.unlabelledRows, 1)
        XCTAssertEqual(comparable(withBlanks).metrics, comparable(without).metrics)
    }

    func testTheSchemasMissingValuesAreNoLabelEither() throws {
        let directory = try TemporaryDirectory()
        var options = EvaluationOptions(task: .binary)
        options.missingLabels = ["", "NA"]
        let withMissing = try evaluate(options, candidate: "score\n0.9\n0.2\n0.7\n0.4\n", labels: "label,w\n1,a\nNA,b\n0,c\n,d\n", in: directory, name: "na")
        let without = try evaluate(options, candidate: "score\n0.9\n0.7\n", labels: "label,w\n1,a\n0,c\n", in: directory, name: "na2")
        XCTAssertEqual(withMissing.unlabelledRows, 2)
        XCTAssertEqual(comparable(withMissing), comparable(without))
    }

    func testAHoldoutWithoutAnyLabelIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        XCTAssertThrowsError(try evaluate(EvaluationOptions(task: .binary), candidate: "score\n0.1\n0.2\n", labels: "label,w\n,x\n ,y\n", in: directory, name: "n")) { error in
            XCTAssertEqual((error as? SluiceError)?.exitStatus, .usage)
            XCTAssertEqual("\(error)", "\(directory.path)/n-l.csv: none of its 2 rows has a value in the label column 'label'; nothing to evaluate on")
        }
    }
}
