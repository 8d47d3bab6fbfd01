import Core
import Foundation
import TestSupport
import XCTest

/// `sluice package --runtime` images, started by real runc from a bundle umoci unpacked:
/// they serve the example's model, on scratch and on a busybox base, and their digests do
/// not depend on where the project lives.
final class RuntimeImageEndToEndTests: XCTestCase {
    /// A copy of the example with a trained model, in `directory`.
    private func trainedExample(in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["reference.csv", "holdout.csv", "schema.json", "sluice.yml"] {
            try FileManager.default.copyItem(atPath: Fixtures.repo("templates/example/\(name)"), toPath: (directory as NSString).appendingPathComponent(name))
        }
        let trained = try SluiceBinary.run(["train"], in: directory)
        XCTAssertEqual(trained.status, 0, trained.stderr)
    }

    private func package(_ extra: [String], in directory: String) throws -> SummaryJSON {
        try SummaryJSON.decode(SluiceBinary.run(["package", "--runtime", "--model", ".sluice/model", "--layout", "image", "--tag", "t", "--format", "json"] + extra, in: directory))
    }

    /// The image's config blob, parsed.
    private func config(layout: String, digest: String) throws -> (config: [String: Any], text: String) {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(layout)/blobs/sha256/\(digest.dropFirst(7))"))) as! [String: Any]
        let configDigest = ((manifest["config"] as! [String: Any])["digest"] as! String).dropFirst(7)
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(layout)/blobs/sha256/\(configDigest)"))
        return (try JSONSerialization.jsonObject(with: data) as! [String: Any], String(decoding: data, as: UTF8.self))
    }

    /// Unpacks with umoci, runs with runc on the host network with the port changed, and
    /// returns the answer to one inference request of the holdout's first rows.
    private func runAndInfer(layout: String, scratch: TemporaryDirectory, checkRoot: (String) throws -> Void = { _ in }) throws -> String {
        let bundle = scratch.file("bundle-\(UUID().uuidString.prefix(6))")
        let unpack = try runProcess("umoci", ["unpack", "--image", "\(layout):t", bundle])
        XCTAssertEqual(unpack.status, 0, unpack.stderr)
        try checkRoot(bundle + "/rootfs")
        let port = try FreePort.pick()
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle + "/config.json"))) as! [String: Any]
        var process = config["process"] as! [String: Any]
        XCTAssertEqual((process["user"] as? [String: Any])?["uid"] as? Int, 65532, "a non-root user")
        process["terminal"] = false
        var args = process["args"] as! [String]
        args[args.firstIndex(of: "--port")! + 1] = String(port)
        process["args"] = args
        config["process"] = process
        var linux = config["linux"] as! [String: Any]
        linux["namespaces"] = (linux["namespaces"] as! [[String: Any]]).filter { $0["type"] as? String != "network" }
        config["linux"] = linux
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: bundle + "/config.json"))
        let id = "sluice-test-\(UUID().uuidString.prefix(8).lowercased())"
        let state = scratch.file("runc-state")
        let server = try BackgroundProcess("/usr/sbin/runc", ["--root", state, "run", "--bundle", bundle, id])
        defer {
            _ = try? runProcess("/usr/sbin/runc", ["--root", state, "kill", id, "TERM"])
            XCTAssertEqual(server.stop(signal: SIGTERM), 0, "sluice serve stops cleanly on SIGTERM: \(server.stderr)")
            _ = try? runProcess("/usr/sbin/runc", ["--root", state, "delete", "--force", id])
        }
        XCTAssertTrue(ContainerTools.waitUntilAnswering("http://127.0.0.1:\(port)/v2/health/ready"), server.stderr)
        let rows = try String(contentsOfFile: Fixtures.repo("templates/example/holdout.csv"), encoding: .utf8).split(separator: "\n").prefix(6)
        let header = rows.first!.split(separator: ",").map(String.init)
        let elements = try rows.dropFirst().map { line in
            String(decoding: try JSONSerialization.data(withJSONObject: Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))), as: UTF8.self)
        }
        let body = try JSONSerialization.data(withJSONObject: ["inputs": [["name": "rows", "datatype": "BYTES", "shape": [5], "data": elements]]])
        try body.write(to: URL(fileURLWithPath: scratch.file("body.json")))
        let answer = try runProcess("curl", ["-sS", "--data-binary", "@" + scratch.file("body.json"), "http://127.0.0.1:\(port)/v2/models/model/infer"])
        return answer.stdout + answer.stderr
    }

    /// The scores `sluice predict` writes for the holdout's first five rows.
    private func expectedScores(in directory: String) throws -> [Double] {
        let predicted = try SluiceBinary.run(["predict", "--model", ".sluice/model/model.json", "--data", "holdout.csv", "--out", "p.csv"], in: directory)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        return try String(contentsOfFile: (directory as NSString).appendingPathComponent("p.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(5).map { Double($0.split(separator: ",")[2])! }
    }

    func testScratchImageWithTheRuntimeLayerServesUnderRunc() throws {
        try ContainerTools.require()
        let scratch = try TemporaryDirectory()
        try trainedExample(in: scratch.path)
        let summary = try package([], in: scratch.path)
        XCTAssertEqual(summary.layers.map(\.name), ["runtime", "code", "model"], "the example's code layer, then the model last, as the run packages it")
        let (config, text) = try config(layout: scratch.file("image"), digest: summary.digest)
        let container = config["config"] as! [String: Any]
        XCTAssertEqual((container["Entrypoint"] as? [String])?.suffix(2), ["/usr/local/bin/sluice", "serve"])
        XCTAssertEqual(container["Cmd"] as? [String], ["--model", "/model", "--port", "8080"])
        XCTAssertEqual(container["User"] as? String, "65532:65532")
        XCTAssertNotNil((container["ExposedPorts"] as? [String: Any])?["8080/tcp"])
        XCTAssertFalse(text.contains(scratch.path), "no host path in the config or history: \(text)")
        let answer = try runAndInfer(layout: scratch.file("image"), scratch: scratch) { rootfs in
            XCTAssertTrue(FileManager.default.fileExists(atPath: rootfs + "/etc/ssl/certs/ca-certificates.crt"))
            let passwd = (try? String(contentsOfFile: rootfs + "/etc/passwd", encoding: .utf8)) ?? ""
            XCTAssertTrue(passwd.contains("sluice:x:65532:65532:"), passwd)
            let libraries = (try? FileManager.default.contentsOfDirectory(atPath: rootfs + "/usr/local/lib/sluice")) ?? []
            XCTAssertTrue(libraries.contains("libc.so.6"), "\(libraries)")
            XCTAssertTrue(libraries.contains { $0.hasPrefix("libcurl") }, "\(libraries)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: rootfs + "/bin/sh"), "scratch has no shell")
        }
        XCTAssertEqual(InferenceAnswer.parse(answer).scores.map(\.bitPattern), try expectedScores(in: scratch.path).map(\.bitPattern), "\(answer)")
    }

    /// The base-image path (a Python model's route): busybox's layer stays, its shell works,
    /// the runtime and model layers go on top, and /etc/passwd is the base's business.
    func testBusyboxBaseImageWithTheRuntimeLayerServesUnderRunc() throws {
        try ContainerTools.require()
        let scratch = try TemporaryDirectory()
        try trainedExample(in: scratch.path)
        try ContainerTools.makeBusyboxLayout(at: scratch.file("base"), scratch: scratch.path)
        let summary = try package(["--base", "oci:base:latest"], in: scratch.path)
        XCTAssertEqual(summary.layers.map(\.name), ["base", "runtime", "code", "model"])
        let answer = try runAndInfer(layout: scratch.file("image"), scratch: scratch) { rootfs in
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: rootfs + "/bin/busybox"))
            XCTAssertFalse(FileManager.default.fileExists(atPath: rootfs + "/etc/passwd"), "a base keeps its own accounts")
        }
        XCTAssertEqual(InferenceAnswer.parse(answer).scores.map(\.bitPattern), try expectedScores(in: scratch.path).map(\.bitPattern), "\(answer)")
    }

    /// Two checkouts of the same project in different directories give the same digest.
    func testTwoCheckoutsInDifferentDirectoriesGiveTheSameDigest() throws {
        let scratch = try TemporaryDirectory()
        let first = scratch.file("ci/builds/a/project"), second = scratch.file("elsewhere/project-copy")
        try trainedExample(in: first)
        try FileManager.default.createDirectory(atPath: (second as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: first, toPath: second)
        // Flags' paths are made absolute, so each history would name its own directory.
        let one = try package(["--layer", "code=schema.json:/app/schema.json"], in: first)
        let two = try package(["--layer", "code=schema.json:/app/schema.json"], in: second)
        XCTAssertEqual(one.digest, two.digest)
        XCTAssertEqual(one.layers.map(\.digest), two.layers.map(\.digest))
    }

    /// `sluice package` keeps the compressed runtime layer in the run cache as `sluice run`
    /// does: packaging again takes the very file from there, and a damaged copy is not used
    /// but compressed again.
    func testTheRuntimeLayerIsCompressedOnceIntoTheRunCache() throws {
        let scratch = try TemporaryDirectory()
        let project = scratch.file("project")
        try trainedExample(in: project)
        let first = try package([], in: project)
        let runtime = try XCTUnwrap(first.layers.first { $0.name == "runtime" })
        let cached = (project as NSString).appendingPathComponent(".sluice/cache/layers/blobs/sha256/\(runtime.digest.dropFirst(7))")
        let inode = { try FileManager.default.attributesOfItem(atPath: cached)[.systemFileNumber] as? UInt64 }
        let stored = try XCTUnwrap(try inode(), "the first packaging stored the runtime layer in the run cache")
        let second = try package([], in: project)
        XCTAssertEqual(second.digest, first.digest)
        XCTAssertEqual(try inode(), stored, "the second packaging used the cached file, not a new compression")
        try Data("damaged".utf8).write(to: URL(fileURLWithPath: cached))
        let third = try package([], in: project)
        XCTAssertEqual(third.digest, first.digest, "a damaged cache entry is compressed again, not used")
        XCTAssertEqual(try FileDigest.sha256(path: cached), String(runtime.digest.dropFirst(7)), "and replaced")
    }

    /// A push writes KServe and Kubernetes manifests that name the pushed digest.
    func testPushWritesManifestsForThePushedDigest() throws {
        let registry = try TestRegistry.address()
        let scratch = try TemporaryDirectory()
        try trainedExample(in: scratch.path)
        let target = "\(registry)/\(TestRegistry.repository("serve"))/churn:candidate"
        let summary = try package(["--push", target], in: scratch.path)
        XCTAssertTrue(summary.pushed)
        let paths = try XCTUnwrap(summary.manifests)
        XCTAssertEqual(paths.map { ($0 as NSString).lastPathComponent }, ["inferenceservice.yaml", "deployment.yaml"])
        XCTAssertEqual(paths.map { ($0 as NSString).deletingLastPathComponent }, [scratch.file("deploy"), scratch.file("deploy")])
        let pinned = "\(target.split(separator: ":").dropLast().joined(separator: ":"))@\(summary.digest)"
        for path in paths {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(text.contains("image: \"\(pinned)\""), text)
            XCTAssertTrue(text.contains("path: /v2/health/ready"), text)
        }
    }
}
