import Foundation
import TestSupport
import XCTest

/// A small project like the example's: dependencies, code and a model, plus a base image
/// layout built with umoci (an independent tool) so the test does not trust Sluice to make it.
struct ExampleProject {
    let directory: TemporaryDirectory
    var path: String { directory.path }

    init() throws {
        directory = try TemporaryDirectory()
        try directory.write("deps/lib/requirements.lock", "numpy==2.1.0\nscikit-learn==1.5.2\n")
        try directory.write("src/app/serve.py", "print('serving')\n")
        try directory.write("model/model.json", #"{"coef": [0.1, 0.2]}"#)
        try directory.write("model/sub/thresholds.txt", "0.5\n")
        XCTAssertEqual(chmod(directory.file("model/sub/thresholds.txt"), 0o600), 0)
        XCTAssertEqual(chmod(directory.file("src/app/serve.py"), 0o755), 0)
        XCTAssertEqual(symlink("model.json", directory.file("model/current.json")), 0)
        try writeModel(seed: 1)
    }

    /// Rewrites the model weights; a different seed is a retrained model.
    func writeModel(seed: Int) throws {
        var bytes = [UInt8](repeating: 0, count: 300_000)
        var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        for i in bytes.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: directory.file("model/weights.bin")))
    }

    /// An OCI layout `base` (tag `latest`) with /etc/os-release, made by umoci.
    func makeBaseLayout() throws {
        let layout = directory.file("base")
        for arguments in [["init", "--layout", layout], ["new", "--image", "\(layout):latest"],
                          ["unpack", "--rootless", "--image", "\(layout):latest", directory.file("bundle")]] {
            let result = try runProcess("umoci", arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        try directory.write("bundle/rootfs/etc/os-release", "ID=sluice-test-base\n")
        let repack = try runProcess("umoci", ["repack", "--image", "\(layout):latest", directory.file("bundle")])
        XCTAssertEqual(repack.status, 0, repack.stderr)
        try FileManager.default.removeItem(atPath: directory.file("bundle"))
    }

    var layerFlags: [String] {
        ["--layer", "dependencies=deps:/opt/deps", "--layer", "code=src:/app/src", "--layer", "model=model:/app/model"]
    }
}

/// Decoded `--format json` output of package and promote.
struct SummaryJSON: Decodable {
    struct Layer: Decodable {
        var name: String
        var digest: String
        var size: Int
        var uploaded: Bool
    }

    var reference: String
    var digest: String
    var pushed: Bool
    var promotedTag: String?
    var layers: [Layer]
    var manifests: [String]?

    static func decode(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) throws -> SummaryJSON {
        XCTAssertEqual(result.status, 0, "stderr: \(result.stderr)", file: file, line: line)
        return try JSONDecoder().decode(SummaryJSON.self, from: Data(result.stdout.utf8))
    }
}
