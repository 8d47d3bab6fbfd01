import Core
@testable import Evaluation
import TestSupport
import XCTest

final class JoinErrorTests: XCTestCase {
    private func message(task: EvaluationTask = .binary, id: String? = nil, predictions: String, champion: String? = nil, labels: String, positive: String? = nil) throws -> String {
        let directory = try TemporaryDirectory()
        var options = EvaluationOptions(task: task)
        options.idColumn = id
        options.positiveLabel = positive
        do {
            _ = try Evaluator.evaluate(candidate: try directory.write("p.csv", predictions), champion: try champion.map { try directory.write("c.csv", $0) },
                                       labels: try directory.write("l.csv", labels), options: options)
            XCTFail("expected an error")
            return ""
        } catch let error as SluiceError {
            XCTAssertEqual(error.exitStatus, .usage)
            return error.description.replacingOccurrences(of: directory.path + "/", with: "")
        }
    }

    func testRowCountMismatchByOrder() throws {
        XCTAssertEqual(try message(predictions: "score\n0.1\n0.9\n", labels: "label\n0\n1\n1\n"),
                       "p.csv has 2 rows but l.csv has 3; joined by row order they must match (or join with --id-column)")
    }

    func testMissingAndExtraAndDuplicateIds() throws {
        XCTAssertEqual(try message(id: "id", predictions: "id,score\na,0.1\nb,0.9\n", labels: "id,label\na,0\nb,1\nc,1\n"),
                       "p.csv has no prediction for 1 id(s) of l.csv: 'c'")
        XCTAssertEqual(try message(id: "id", predictions: "id,score\na,0.1\nb,0.9\nz,0.3\n", labels: "id,label\na,0\nb,1\n"),
                       "p.csv has 1 id(s) that l.csv does not: 'z'")
        XCTAssertEqual(try message(id: "id", predictions: "id,score\na,0.1\na,0.9\n", labels: "id,label\na,0\n"),
                       "p.csv line 3: id 'a' appears twice (first at line 2)")
    }

    func testNaNScoresAndUnknownLabels() throws {
        XCTAssertEqual(try message(predictions: "score\n0.1\nNaN\n", labels: "label\n0\n1\n"),
                       "p.csv line 3: score is not a finite number ('NaN')")
        XCTAssertEqual(try message(predictions: "prediction\n0\n2\n", labels: "label\n0\n1\n"),
                       "p.csv line 3: unknown class label '2' in 'prediction' (classes: 0, 1)")
        XCTAssertEqual(try message(predictions: "score\n0.1\n0.2\n", labels: "label\nspam\nham\n"),
                       "l.csv: cannot tell the positive class of 'label' (values: ham, spam); set --positive-label")
        XCTAssertEqual(try message(predictions: "score\n0.1\n0.2\n0.3\n", labels: "label\nspam\nham\neggs\n", positive: "spam"),
                       "l.csv: the binary task needs two classes in 'label' but found 3 (eggs, ham, spam); use --task multiclass")
        XCTAssertEqual(try message(predictions: "score\n0.1\n1.5\n", labels: "label\n0\n1\n"),
                       "p.csv line 3: score 1.5 is not a probability in [0, 1]")
    }

    func testMissingColumnsNameTheFileAndItsColumns() throws {
        XCTAssertEqual(try message(predictions: "score\n0.1\n", labels: "target\n0\n"),
                       "l.csv has no column 'label' (its columns: target)")
        XCTAssertEqual(try message(predictions: "p\n0.1\n", labels: "label\n0\n"),
                       "p.csv has neither 'score' nor 'prediction' (its columns: p)")
        XCTAssertEqual(try message(task: .multiclass, predictions: "proba_a,proba_b\n0.1,0.9\n", labels: "label\nc\n"),
                       "p.csv has no probability column 'proba_c' for class 'c'")
    }

    /// Candidate and champion are read, joined and scored side by side; the error reported
    /// is still the one a sequential run meets first, whichever thread fails first.
    func testCandidateErrorsComeBeforeTheChampions() throws {
        let labels = "id,label\na,0\nb,1\n"
        XCTAssertEqual(try message(id: "id", predictions: "id,p\na,0.1\nb,0.9\n", champion: "id,q\na,0.1\nb,0.9\n", labels: labels),
                       "p.csv has neither 'score' nor 'prediction' (its columns: id, p)")
        XCTAssertEqual(try message(id: "id", predictions: "id,score\na,0.1\nb,0.9\n", champion: "id,q\na,0.1\nb,0.9\n", labels: labels),
                       "c.csv has neither 'score' nor 'prediction' (its columns: id, q)")
        // Joining comes before scoring for both models: the champion's join error wins over
        // the candidate's score error.
        XCTAssertEqual(try message(id: "id", predictions: "id,score\na,0.1\nb,1.5\n", champion: "id,score\na,0.1\n", labels: labels),
                       "c.csv has no prediction for 1 id(s) of l.csv: 'b'")
        XCTAssertEqual(try message(id: "id", predictions: "id,score\na,0.1\nb,1.5\n", champion: "id,score\na,0.1\nb,2\n", labels: labels),
                       "p.csv line 3: score 1.5 is not a probability in [0, 1]")
    }
}
