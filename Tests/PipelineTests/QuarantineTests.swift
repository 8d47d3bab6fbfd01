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
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp.file("out/valid.csv")), "the files are in place only once the stage keeps them")
        try quarantine.keep()
        XCTAssertEqual(try String(contentsOfFile: temp.file("out/valid.csv"), encoding: .utf8), "id,amount,note\n1,10,\"a, b\"\n4,7,\"say \"\"hi\"\"\"\n")
        XCTAssertEqual(try String(contentsOfFile: temp.file("out/rejected.csv"), encoding: .utf8), "id,amount,note\n2,abc,x\n3,-5,y\n")
        XCTAssertEqual(quarantine.validCount, 2)
        XCTAssertEqual(quarantine.rejectedCount, 2)
    }

    /// A pass whose stage fails (the reference, validated beside it, is invalid) leaves nothing.
    func testADiscardedQuarantineLeavesNoFiles() throws {
        let temp = try TemporaryDirectory()
        let data = try temp.write("d.csv", "id\n1\nx\n")
        let schema = try TableSchema(json: Data(#"{"fields": [{"name": "id", "type": "integer"}]}"#.utf8), source: "schema.json")
        let quarantine = Quarantine(validPath: temp.file("valid.csv"), rejectedPath: temp.file("rejected.csv"))
        _ = try Validator(schema: schema).validate(TableSource(path: data), observers: [quarantine])
        quarantine.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temp.path).sorted(), ["d.csv"])
    }

    func testTrainingDataMatchesColumnsByName() throws {
        let temp = try TemporaryDirectory()
        let a = try temp.write("a.csv", "x,y,label\n1,2,0\n")
        let b = try temp.write("b.csv", "label,y,x,extra\n1,20,10,z\n")
        XCTAssertEqual(try TrainingData.concatenate([a, b], label: "label", missingValues: [""], into: temp.file("train.csv")), .init(rows: 2, unlabelled: 0))
        XCTAssertEqual(try String(contentsOfFile: temp.file("train.csv"), encoding: .utf8), "x,y,label\n1,2,0\n10,20,1\n")
        let c = try temp.write("c.csv", "x,label\n1,0\n")
        XCTAssertThrowsError(try TrainingData.concatenate([a, c], label: "label", missingValues: [""], into: temp.file("bad.csv"))) { error in
            XCTAssertTrue("\(error)".contains("lacks the column(s) y"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: temp.file("bad.csv")), "no half-written training file")
    }

    func testTrainingDataLeavesOutRowsWhoseLabelIsMissing() throws {
        let temp = try TemporaryDirectory()
        let reference = try temp.write("reference.csv", "x,y,label\n1,2,0\n3,4,\n5,6, \n7,8,NA\n")
        let current = try temp.write("current.csv", "label,y,x\n1,20,10\nNA,40,30\n")
        XCTAssertEqual(try TrainingData.concatenate([reference, current], label: "label", missingValues: ["", "NA"], into: temp.file("t.csv")), .init(rows: 2, unlabelled: 4))
        XCTAssertEqual(try String(contentsOfFile: temp.file("t.csv"), encoding: .utf8), "x,y,label\n1,2,0\n10,20,1\n")
        XCTAssertEqual(try TrainingData.concatenate([reference], label: "label", missingValues: [""], into: temp.file("u.csv")), .init(rows: 2, unlabelled: 2), "NA is a class when the schema does not call it missing")
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
