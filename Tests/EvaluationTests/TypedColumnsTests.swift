import Core
@testable import Evaluation
import ReportModel
import TestSupport
import XCTest

/// Evaluation reads its columns typed (ids as fingerprints, labels and slices as codes,
/// scores as numbers) and must give exactly what comparing the cells' trimmed `String`s gave.
final class TypedColumnsTests: XCTestCase {
    private func fixture(_ name: String) -> String { Fixtures.path("evaluation/\(name)") }

    /// Canonically equivalent ids join (é precomposed and decomposed, the Kelvin sign and
    /// K), spaces and tabs around ids, labels and slice values are not part of them, and a
    /// shuffled predictions file joins to the same rows.
    func testIdsLabelsAndSlicesCompareAsTrimmedStrings() throws {
        let directory = try TemporaryDirectory()
        let labels = try directory.write("l.csv", "id,region,label\ncaf\u{E9},north,1\n\u{212A}7,\" south\",0\n b ,north\t, 1\nc,south,0\n")
        let predictions = try directory.write("p.csv", "id,score\nc,0.4\ncafe\u{301},0.8\n\tb,0.3\nK7,0.6\n")
        var options = EvaluationOptions(task: .binary)
        options.idColumn = "id"
        options.sliceBy = ["region"]
        let summary = try Evaluator.evaluate(candidate: predictions, champion: nil, labels: labels, options: options)
        let plain = try directory.write("plain-l.csv", "region,label\nnorth,1\nsouth,0\nnorth,1\nsouth,0\n")
        let ordered = try directory.write("plain-p.csv", "score\n0.8\n0.6\n0.3\n0.4\n")
        options.idColumn = nil
        let expected = try Evaluator.evaluate(candidate: ordered, champion: nil, labels: plain, options: options)
        XCTAssertEqual(summary.metrics, expected.metrics)
        XCTAssertEqual(summary.slices, expected.slices)
        XCTAssertEqual(summary.slices.map(\.value), ["north", "south"])
        XCTAssertEqual(summary.confusionMatrix, ConfusionMatrix(labels: ["0", "1"], counts: [[1, 1], [1, 1]]))
    }

    /// Messages name a cell's text, read again from the file (the table keeps no texts).
    func testMessagesQuoteTheCellText() throws {
        let directory = try TemporaryDirectory()
        var options = EvaluationOptions(task: .binary)
        options.idColumn = "id"
        func message(_ predictions: String, _ labels: String) throws -> String {
            do {
                _ = try Evaluator.evaluate(candidate: try directory.write("p.csv", predictions), champion: nil, labels: try directory.write("l.csv", labels), options: options)
                XCTFail("expected an error")
                return ""
            } catch let error as SluiceError {
                return error.description.replacingOccurrences(of: directory.path + "/", with: "")
            }
        }
        let ids = (1...7).map { "id\($0)" }
        XCTAssertEqual(try message("id,score\nx,0.5\n", "id,label\n" + ids.map { "\($0),1\n" }.joined() + "x,0\n"),
                       "p.csv has no prediction for 7 id(s) of l.csv: 'id1', 'id2', 'id3', 'id4', 'id5', ...")
        XCTAssertEqual(try message("id,score\n a ,0.5\nb,0.5\n a,0.2\n", "id,label\na,1\nb,0\n"),
                       "p.csv line 4: id 'a' appears twice (first at line 2)")
        XCTAssertEqual(try message("id,score\na,0.5\nb,0.5\n", "id,label\na,1\nb,0\n\ncafe\u{301},1\ncaf\u{E9},0\n"),
                       "l.csv line 6: id 'caf\u{E9}' appears twice")
        XCTAssertEqual(try message("id,score\na,0.5\n", "id,label\na,1\nz,0\nz,1\n"),
                       "l.csv line 4: id 'z' appears twice")
        XCTAssertEqual(try message("id,score\nb, 1.25 \na,0.5\n", "id,label\na,1\nb,0\n"),
                       "p.csv line 2: score 1.25 is not a probability in [0, 1]")
        XCTAssertEqual(try message("id,score\nb,0.5\na,\n", "id,label\na,1\nb,0\n"),
                       "p.csv line 3: score is not a finite number ('')")
    }

    /// Regression labels and predictions are numbers read as `Double(String)` reads them.
    func testRegressionNumbersAndTheirErrors() throws {
        let directory = try TemporaryDirectory()
        let labels = try directory.write("l.csv", "y\n 1.5\n2e1\n-0.25\n")
        let predictions = try directory.write("p.csv", "prediction\n1.0\n\t20\n-.5\n")
        var options = EvaluationOptions(task: .regression)
        options.labelColumn = "y"
        let summary = try Evaluator.evaluate(candidate: predictions, champion: nil, labels: labels, options: options)
        let mae = try XCTUnwrap(summary.metrics.first { $0.name == "mae" })
        XCTAssertEqual(mae.candidate, (0.5 + 0 + 0.25) / 3, accuracy: 1e-15)
        let bad = try directory.write("bad.csv", "y\n1\ninf\n3\n")
        XCTAssertThrowsError(try Evaluator.evaluate(candidate: predictions, champion: nil, labels: bad, options: options)) { error in
            XCTAssertEqual((error as? SluiceError)?.description.replacingOccurrences(of: directory.path + "/", with: ""), "bad.csv line 3: y is not a finite number ('inf')")
        }
    }

    /// Eight resamples scored in one batch give, lane by lane, exactly the metrics of
    /// each resample's counts given as weights (the single-resample passes): tied scores
    /// (summed run by run) and continuous ones (looked up row by row in rank order),
    /// counts up to 255, lanes left empty.
    func testABatchOfResamplesEqualsEachResampleAlone() throws {
        var generator = SplitMix64(seed: 3)
        let rows = 1_003
        let truth = (0..<rows).map { _ in generator.next(below: 3) == 0 }
        let continuous = (0..<rows).map { _ in Double(generator.next(below: 1 << 30)) / Double(1 << 30) }
        let tied = (0..<rows).map { _ in Double(generator.next(below: 20)) / 20 }
        for scores in [continuous, tied] {
            let suite = BinaryMetrics(classes: ["0", "1"], truth: truth, predicted: scores.map { $0 >= 0.5 }, scores: scores)
            XCTAssertEqual(suite.ranked?.runSlots == nil, scores == continuous, "the tied scores' 20 runs are summed run by run")
            var lanes = (0..<7).map { _ in (0..<rows).map { _ in UInt8(generator.next(below: 4)) } }
            lanes[2][17] = 255
            lanes.append([UInt8](repeating: 0, count: rows))
            let buffers = lanes.map { lane -> UnsafeBufferPointer<UInt8> in
                let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: rows)
                _ = buffer.initialize(from: lane)
                return UnsafeBufferPointer(buffer)
            }
            let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: rows)
            defer {
                buffers.forEach { $0.deallocate() }
                words.deallocate()
            }
            ResampleBatch.pack(buffers, into: words)
            XCTAssertEqual(words[17] >> 16 & 0xFF, 255, "lane 2 in byte 2")
            let batched = suite.metrics(batch: ResampleBatch(lanes: buffers, words: UnsafeBufferPointer(words)))
            XCTAssertEqual(batched.count, 8)
            for lane in 0..<7 {
                let alone = suite.metrics(lanes[lane].map(Double.init))
                XCTAssertEqual(batched[lane].map(\.name), alone.map(\.name))
                XCTAssertEqual(batched[lane].map(\.value), alone.map(\.value), "lane \(lane): equal to the bit")
            }
            XCTAssertFalse(batched[7].contains { $0.name == "roc_auc" }, "an empty lane has no ROC area")
        }
    }

    /// The bootstrap's intervals do not depend on how many threads draw the resamples.
    func testBootstrapIntervalsDoNotDependOnThreads() throws {
        var options = EvaluationOptions(task: .binary)
        options.idColumn = "id"
        let labels = try ColumnTable.read(fixture("binary-labels.csv"), required: Outcomes.labelColumns(options))
        let outcomes = Outcomes(labels: labels, options: options)
        let columns = Outcomes.predictionColumns(options)
        let suites = try ["binary-candidate.csv", "binary-champion.csv"].map { name -> BinaryMetrics in
            let table = try ColumnTable.read(fixture(name), required: columns.required, optional: columns.optional, prefixed: columns.prefixed)
            return try outcomes.binary(table, rows: try RowJoin.match(predictions: table, labels: labels, idColumn: "id"), classes: outcomes.binaryClasses())
        }
        let one = PairedBootstrap.intervals(candidate: suites[0], champion: suites[1], resamples: 150, seed: 11, confidence: 0.9, threads: 1)
        XCTAssertEqual(one.count, 15)
        for threads in [2, 3, 8] {
            let many = PairedBootstrap.intervals(candidate: suites[0], champion: suites[1], resamples: 150, seed: 11, confidence: 0.9, threads: threads)
            XCTAssertEqual(many.keys.sorted(), one.keys.sorted())
            for (name, interval) in one {
                XCTAssertEqual(many[name]!.low, interval.low, "\(name) with \(threads) threads")
                XCTAssertEqual(many[name]!.high, interval.high, "\(name) with \(threads) threads")
            }
        }
    }
}
