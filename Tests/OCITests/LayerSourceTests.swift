import Foundation
import OCI
import TestSupport
import XCTest

/// What `sluice package` puts in a layer is decided by where each path resolves, not its text.
final class LayerSourceTests: XCTestCase {
    func testASourceThatIsALinkOutsideIsRefused() throws {
        let project = try TemporaryDirectory()
        try project.write("m/model.json", "{}")
        XCTAssertEqual(symlink("/etc/passwd", project.file("m/passwd")), 0)
        XCTAssertThrowsError(try LayerContent([FileMapping(source: "m/passwd", target: "/model/passwd")], relativeTo: project.path, links: .refuse)) { error in
            XCTAssertTrue("\(error)".contains("resolves to /etc/passwd, outside"), "\(error)")
        }
        // A path with `..` that comes back inside is fine.
        try project.write("other/readme", "")
        let content = try LayerContent([FileMapping(source: "other/../m/model.json", target: "/model/model.json")], relativeTo: project.path, links: .refuse)
        XCTAssertEqual(content.items.map(\.entry.name), ["model", "model/model.json"])
    }

    func testChainedLinksThatEscapeAreRefused() throws {
        let project = try TemporaryDirectory()
        try project.write("secret", "s")
        try project.write("model/w.bin", "w")
        XCTAssertEqual(symlink(".", project.file("model/a")), 0)
        // Textually inside (a/a/.. is a), really model/.. = the project.
        XCTAssertEqual(symlink("a/a/../secret", project.file("model/b")), 0)
        XCTAssertThrowsError(try LayerContent([FileMapping(source: "model", target: "/app/model")], relativeTo: project.path, links: .refuse)) { error in
            XCTAssertTrue("\(error)".contains("model/b is a symbolic link"), "\(error)")
        }
    }
}
