import Foundation
import Tabular
import TestSupport
import XCTest

final class CSVWriterTests: XCTestCase {
    /// Records written whole, field by field and from a reader are the same RFC 4180 text,
    /// quoted only where a field needs it; the file appears only when closed.
    func testRecordsWholeFieldByFieldAndFromAReader() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/out.csv"
        let writer = try CSVWriter(path: path, header: ["id", "note"])
        try writer.write(["a", "x,y"])
        var bytes = Array("b".utf8)
        bytes.withUnsafeBufferPointer { writer.field($0) }
        writer.field("say \"hi\"")
        try writer.endRecord()
        let source = try directory.write("in.csv", "id,note,extra\nc,\"line\nbreak\",z\n")
        let reader = try TableReader(TableSource(path: source))
        XCTAssertTrue(try reader.next())
        try writer.write(reader, columns: [0, 1, 5])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        try writer.close()
        XCTAssertEqual(writer.recordCount, 3)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "id,note\na,\"x,y\"\nb,\"say \"\"hi\"\"\"\nc,\"line\nbreak\",\n")
    }
}
