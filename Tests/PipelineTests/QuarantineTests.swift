import Foundation
@testable import Pipeline
import Tabular
import TestSupport
import Validation
import XCTest

final class QuarantineTests: XCTestCase {
    func testValidAndInvalidRowsGoToTheirOwnFilesInOnePass() throws {
        let temp = try TemporaryDirectory()
        let data = try temp.write("d.csv", "id,amount,note\n1,10,\"a, b\"\n2,abc,x\n\n3,-5,y\n4,7,\"say \"\"hi\"\"\"\n")
        let schema = try TableSchema(json: Data("""
        {"fields": [{"name": "id", "type": "integer"}, {"name": "amount", "type": "number", "constraints": {"minimum": 0}}, {"name": "note", "type": "string"}]}
        """.utf8), source: "schema.json")
        let quarantine = Quarantine(validPath: temp.file("out/valid.csv"), rejectedPath: temp.file("out/rejected.csv"))
        let summary = try Validator(schema: schema).validate(TableSource(path: data), observers: [quarantine])
        XCTAssertFalse(summary.valid)
        XCTAssertEqual(try String(contentsOfFile: temp.file("out/valid.csv"), encoding: .utf8), "id,amount,note\n1,10,\"a, b\"\n4,7,\"say \"\"hi\"\"\"\n")
        XCTAssertEqual(try String(contentsOfFile: temp.file("out/rejected.csv"), encoding: .utf8), "id,amount,note\n2,abc,x\n3,-5,y\n")
        XCTAssertEqual(quarantine.validCount, 2)
        XCTAssertEqual(quarantine.rejectedCount, 2)
    }

    func testTrainingDataMatchesColumnsByName() throws {
        let temp = try TemporaryDirectory()
        let a = try temp.write("a.csv", "x,y,label\n1,2,0\n")
        let b = try temp.write("b.csv", "label,y,x,extra\n1,20,10,z\n")
        XCTAssertEqual(try TrainingData.concatenate([a, b], label: "label", into: temp.file("train.csv")), 2)
        XCTAssertEqual(try String(contentsOfFile: temp.file("train.csv"), encoding: .utf8), "x,y,label\n1,2,0\n10,20,1\n")
        let c = try temp.write("c.csv", "x,label\n1,0\n")
        XCTAssertThrowsError(try TrainingData.concatenate([a, c], label: "label", into: temp.file("bad.csv"))) { error in
            XCTAssertTrue("\(error)".contains("lacks the column(s) y"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp.file("bad.csv")), "no half-written training file")
        let unlabelled = try temp.write("reference.csv", "x,y,label\n1,2,0\n3,4,\n")
        XCTAssertThrowsError(try TrainingData.concatenate([unlabelled, b], label: "label", into: temp.file("t.csv"))) { error in
            XCTAssertEqual("\(error)", "\(unlabelled) line 3: no value in the label column 'label'; every training row needs its label", "the user's file, not the assembled copy")
        }
    }
}

final class HoldoutSplitTests: XCTestCase {
    func testRowsSplitByHashOnceAndTheSameEveryTime() throws {
        let temp = try TemporaryDirectory()
        let rows = (1...2000).map { "\($0),\($0 % 7),\($0 % 2)" }.joined(separator: "\n")
        let source = try temp.write("data.csv", "id,x,label\n" + rows + "\n")
        let split = HoldoutSplit(holdout: 0.25, by: "id")
        let held = try split.write(source, side: .holdout, to: temp.file("h/holdout.csv"))
        let kept = try split.write(source, side: .training, to: temp.file("h/train.csv"))
        XCTAssertEqual(held + kept, 2000, "every row on exactly one side")
        XCTAssertEqual(Double(held) / 2000, 0.25, accuracy: 0.03)
        XCTAssertEqual(try split.write(source, side: .holdout, to: temp.file("again.csv")), held)
        XCTAssertEqual(try String(contentsOfFile: temp.file("again.csv"), encoding: .utf8), try String(contentsOfFile: temp.file("h/holdout.csv"), encoding: .utf8), "deterministic")
        let trainIds = Set(try String(contentsOfFile: temp.file("h/train.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
        let heldIds = Set(try String(contentsOfFile: temp.file("h/holdout.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
        XCTAssertTrue(trainIds.isDisjoint(with: heldIds))
        XCTAssertThrowsError(try HoldoutSplit(holdout: 0.2, by: "nope").write(source, side: .holdout, to: temp.file("x.csv"))) {
            XCTAssertEqual("\($0)", "data.split.by: \(source) has no column 'nope'")
        }
    }
}
