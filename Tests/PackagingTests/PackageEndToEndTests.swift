import Foundation
import TestSupport
import XCTest

final class PackageEndToEndTests: XCTestCase {
    func sluice(_ arguments: [String], in project: ExampleProject, environment: [String: String] = [:], stdin: Data? = nil) throws -> ProcessResult {
        try SluiceBinary.run(arguments + ["--cache-dir", project.directory.file("cache"), "--quiet"], in: project.path, environment: environment, stdin: stdin)
    }

    func testPushedImageReadsBackWithSkopeoAndUmociWithFilesAndModes() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        try project.makeBaseLayout()
        let target = "\(registry)/\(TestRegistry.repository("e2e")):candidate"
        let summary = try SummaryJSON.decode(sluice(["package", "--base", "oci:base:latest"] + project.layerFlags + [
            "--entrypoint", #"["python", "/app/src/app/serve.py"]"#, "--env", "MODEL_DIR=/app/model", "--port", "8080",
            "--workdir", "/app", "--revision", "abc123", "--run-id", "run-7", "--push", target, "--format", "json",
        ], in: project))
        XCTAssertTrue(summary.pushed)
        XCTAssertEqual(summary.layers.map(\.name), ["base", "dependencies", "code", "model"])

        let inspect = try runProcess("skopeo", ["inspect", "--tls-verify=false", "docker://\(target)"])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let inspected = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(inspected["Digest"] as? String, summary.digest)
        XCTAssertEqual((inspected["Layers"] as? [String])?.count, 4)
        XCTAssertTrue((inspected["Env"] as? [String] ?? []).contains("MODEL_DIR=/app/model"))

        let raw = try runProcess("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(target)"])
        let manifest = try JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as! [String: Any]
        let annotations = manifest["annotations"] as? [String: String] ?? [:]
        XCTAssertEqual(annotations["org.opencontainers.image.revision"], "abc123")
        XCTAssertEqual(annotations["org.opencontainers.image.created"], "1970-01-01T00:00:00Z")
        XCTAssertEqual(annotations["org.opencontainers.image.base.name"], "oci:base:latest")
        XCTAssertEqual(annotations["dev.sluice.model.run-id"], "run-7")
        XCTAssertNotNil(annotations["org.opencontainers.image.base.digest"])

        let copied = project.directory.file("copied")
        let copy = try runProcess("skopeo", ["copy", "--src-tls-verify=false", "docker://\(target)", "oci:\(copied):latest"])
        XCTAssertEqual(copy.status, 0, copy.stderr)
        let bundle = project.directory.file("unpacked")
        let unpack = try runProcess("umoci", ["unpack", "--rootless", "--image", "\(copied):latest", bundle])
        XCTAssertEqual(unpack.status, 0, unpack.stderr)
        let rootfs = bundle + "/rootfs"
        XCTAssertEqual(FileManager.default.contents(atPath: rootfs + "/etc/os-release"), Data("ID=sluice-test-base\n".utf8))
        for (image, local) in [("app/model/weights.bin", "model/weights.bin"), ("app/model/sub/thresholds.txt", "model/sub/thresholds.txt"),
                               ("app/src/app/serve.py", "src/app/serve.py"), ("opt/deps/lib/requirements.lock", "deps/lib/requirements.lock")] {
            XCTAssertEqual(FileManager.default.contents(atPath: "\(rootfs)/\(image)"), FileManager.default.contents(atPath: project.directory.file(local)), image)
        }
        XCTAssertEqual(try mode(rootfs + "/app/model/sub/thresholds.txt"), 0o600)
        XCTAssertEqual(try mode(rootfs + "/app/src/app/serve.py"), 0o755)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: rootfs + "/app/model/current.json"), "model.json")
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    func testSameInputsGiveTheSameDigests() throws {
        let project = try ExampleProject()
        let first = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--layout", "one", "--format", "json"], in: project))
        let second = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--layout", "two", "--format", "json"], in: project))
        XCTAssertEqual(first.digest, second.digest)
        XCTAssertEqual(first.layers.map(\.digest), second.layers.map(\.digest))
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.directory.file("one/index.json")))
        let later = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--layout", "three", "--format", "json"], in: project,
                                                  environment: ["SOURCE_DATE_EPOCH": "1700000000"]))
        XCTAssertNotEqual(later.digest, first.digest, "SOURCE_DATE_EPOCH sets the timestamps")
    }

    func testModelOnlyChangeUploadsOnlyTheModelLayer() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        let target = "\(registry)/\(TestRegistry.repository("retrain")):candidate"
        let first = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--push", target, "--format", "json"], in: project))
        XCTAssertEqual(first.layers.map(\.uploaded), [true, true, true])
        try project.writeModel(seed: 2)
        let second = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--push", target, "--format", "json"], in: project))
        XCTAssertEqual(second.layers.map(\.name), ["dependencies", "code", "model"])
        XCTAssertEqual(second.layers.map(\.uploaded), [false, false, true])
        XCTAssertNotEqual(first.layers[2].digest, second.layers[2].digest)
        XCTAssertEqual(first.layers[0].digest, second.layers[0].digest)
    }

    func testPromoteMovesTheTagAndPullModelExtractsTheChampion() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        let repository = "\(registry)/\(TestRegistry.repository("promote"))"
        let pushed = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--push", "\(repository):candidate", "--format", "json"], in: project))

        let missing = "sha256:" + String(repeating: "0", count: 64)
        let refused = try sluice(["promote", "\(repository)@\(missing)", "--tag", "champion"], in: project)
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertEqual(try runProcess("skopeo", ["inspect", "--tls-verify=false", "docker://\(repository):champion"]).status == 0, false, "no champion yet")

        let promoted = try SummaryJSON.decode(sluice(["promote", "\(repository)@\(pushed.digest)", "--tag", "champion", "--format", "json"], in: project))
        XCTAssertEqual(promoted.promotedTag, "champion")
        let inspect = try runProcess("skopeo", ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(repository):champion"])
        XCTAssertEqual(inspect.stdout.trimmingCharacters(in: .whitespacesAndNewlines), pushed.digest)

        // Without --tag, the tag is promote.tag of sluice.yml, as in `sluice run`.
        try project.directory.write("sluice.yml", "promote:\n  tag: production\n")
        let fromFile = try SummaryJSON.decode(sluice(["promote", "\(repository)@\(pushed.digest)", "--format", "json"], in: project))
        XCTAssertEqual(fromFile.promotedTag, "production")
        let production = try runProcess("skopeo", ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(repository):production"])
        XCTAssertEqual(production.stdout.trimmingCharacters(in: .whitespacesAndNewlines), pushed.digest)

        let byTag = try sluice(["promote", "\(repository):candidate", "--tag", "champion"], in: project)
        XCTAssertEqual(byTag.status, 2, "a tag could move under you: promote takes a digest")

        let out = project.directory.file("champion-model")
        // A killed pull's staging directory (its writer's PID cannot exist), unchanged for two minutes.
        try project.directory.write("champion-model.partial-\(Int32.max)/weights.bin", "half")
        let staleStaging = project.directory.file("champion-model.partial-\(Int32.max)")
        ageTwoMinutes(staleStaging)
        let pulled = try sluice(["pull-model", "\(repository):champion", "--layer", "model", "--out", out], in: project)
        XCTAssertEqual(pulled.status, 0, pulled.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staleStaging), "the next pull removes a killed pull's staging (issue 12 item 6)")
        XCTAssertEqual(FileManager.default.contents(atPath: out + "/weights.bin"), FileManager.default.contents(atPath: project.directory.file("model/weights.bin")))
        XCTAssertEqual(try mode(out + "/sub/thresholds.txt"), 0o600)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/app"))
        let unknownLayer = try sluice(["pull-model", "\(repository):champion", "--layer", "weights", "--out", out], in: project)
        XCTAssertEqual(unknownLayer.status, 2)
        XCTAssertTrue(unknownLayer.stderr.contains("named layers: dependencies, code, model"), unknownLayer.stderr)
    }

    func testBasicAuthWithStdinPasswordOrDockerConfigAndRefusalWithout() throws {
        let registry = try TestRegistry.address("SLUICE_TEST_REGISTRY_AUTH")
        let project = try ExampleProject()
        let target = "\(registry)/\(TestRegistry.repository("auth")):v1"
        let anonymous = try sluice(["package"] + project.layerFlags + ["--push", target], in: project)
        XCTAssertEqual(anonymous.status, 3)
        XCTAssertTrue(anonymous.stderr.contains("authentication required"), anonymous.stderr)

        let withFlags = try sluice(["package"] + project.layerFlags + ["--push", target, "--registry-user", TestRegistry.user, "--registry-password-stdin", "--verbose"],
                                   in: project, stdin: Data(TestRegistry.password.utf8))
        XCTAssertEqual(withFlags.status, 0, withFlags.stderr)
        XCTAssertTrue(withFlags.stderr.contains("Authorization: Basic REDACTED"))
        XCTAssertFalse(withFlags.stderr.contains(TestRegistry.password))

        let auth = Data("\(TestRegistry.user):\(TestRegistry.password)".utf8).base64EncodedString()
        try project.directory.write("docker/config.json", #"{"auths": {"\#(registry)": {"auth": "\#(auth)"}}}"#)
        let fromConfig = try sluice(["package"] + project.layerFlags + ["--push", target], in: project, environment: ["DOCKER_CONFIG": project.directory.file("docker")])
        XCTAssertEqual(fromConfig.status, 0, fromConfig.stderr)

        let variables = try sluice(["package"] + project.layerFlags + ["--push", target], in: project,
                                   environment: ["SLUICE_REGISTRY_USER": TestRegistry.user, "SLUICE_REGISTRY_PASSWORD": TestRegistry.password])
        XCTAssertEqual(variables.status, 0, variables.stderr)

        let ci = try sluice(["package"] + project.layerFlags + ["--push", target], in: project,
                            environment: ["CI_REGISTRY": registry, "CI_REGISTRY_USER": TestRegistry.user, "CI_REGISTRY_PASSWORD": TestRegistry.password])
        XCTAssertEqual(ci.status, 0, ci.stderr)
    }

    func testChunkedUploadAndDockerArchive() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        let target = "\(registry)/\(TestRegistry.repository("chunks")):v1"
        // A killed run's half-written archive: its writer's PID cannot exist (above any pid_max), unchanged for two minutes.
        let stale = try project.directory.write("image.tar.tmp-\(Int32.max)", String(repeating: "x", count: 100_000))
        ageTwoMinutes(stale)
        let summary = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--push", target, "--chunk-size", "64K", "--tarball", "image.tar", "--format", "json"], in: project))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "the next archive write removes a killed run's temporary (issue 12 item 6)")
        let inspect = try runProcess("skopeo", ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(target)"])
        XCTAssertEqual(inspect.stdout.trimmingCharacters(in: .whitespacesAndNewlines), summary.digest)
        let archive = try runProcess("skopeo", ["inspect", "--format", "{{.Digest}}", "docker-archive:\(project.directory.file("image.tar"))"])
        XCTAssertEqual(archive.status, 0, archive.stderr)
        let listing = try runProcess("tar", ["-tf", project.directory.file("image.tar")])
        XCTAssertTrue(listing.stdout.contains("manifest.json"))
    }

    func testEscapingLinkIsAUsageErrorUnlessCopied() throws {
        let project = try ExampleProject()
        try project.directory.write("elsewhere/secret.txt", "host file")
        XCTAssertEqual(symlink("../elsewhere/secret.txt", project.directory.file("model/leak.txt")), 0)
        let refused = try sluice(["package"] + project.layerFlags, in: project)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("leak.txt is a symbolic link to ../elsewhere/secret.txt"), refused.stderr)
        let copied = try sluice(["package"] + project.layerFlags + ["--copy-escaping-links"], in: project)
        XCTAssertEqual(copied.status, 0, copied.stderr)
    }

    func testTheModelFlagPackagesTheTrainedModelLastAtSlashModel() throws {
        let project = try ExampleProject()
        let summary = try SummaryJSON.decode(sluice(["package", "--layer", "code=src:/app/src", "--model", "model", "--layout", "image", "--format", "json"], in: project))
        XCTAssertEqual(summary.layers.map(\.name), ["code", "model"])
        let bundle = project.directory.file("unpacked")
        let unpack = try runProcess("umoci", ["unpack", "--rootless", "--image", "\(project.directory.file("image")):latest", bundle])
        XCTAssertEqual(unpack.status, 0, unpack.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: bundle + "/rootfs/model/weights.bin"), FileManager.default.contents(atPath: project.directory.file("model/weights.bin")))
        XCTAssertEqual(try mode(bundle + "/rootfs/model/sub/thresholds.txt"), 0o600)

        let twice = try sluice(["package", "--layer", "model=model:/app/model", "--model", "model"], in: project)
        XCTAssertEqual(twice.status, 2)
        XCTAssertTrue(twice.stderr.contains("give the model layer one way"), twice.stderr)
    }

    func testPackageSectionOfSluiceYmlWithFlagsWinning() throws {
        let project = try ExampleProject()
        try project.directory.write("sluice.yml", """
        package:
          layers:
            - name: code
              files: ["src:/app/src"]
            - name: model
              files:
                - {source: model, target: /app/model}
          env: {A: "1"}
          layout: from-file
        """)
        let summary = try SummaryJSON.decode(sluice(["package", "--format", "json", "--layout", "from-flag"], in: project))
        XCTAssertEqual(summary.layers.map(\.name), ["code", "model"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: project.directory.file("from-flag/index.json")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: project.directory.file("from-file")))

        try project.directory.write("sluice.yml", "package:\n  layrs: []\n")
        let typo = try sluice(["package"], in: project)
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("did you mean 'layers'"), typo.stderr)
    }
}

final class PackageProgressTests: XCTestCase {
    func testLargeLayersReportProgressLinesInCILogs() throws {
        let project = try ExampleProject()
        let big = Data((0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })
        try big.write(to: URL(fileURLWithPath: project.directory.file("model/big.bin")))
        let result = try SluiceBinary.run(["package"] + project.layerFlags + ["--cache-dir", project.directory.file("cache"), "--compression-level", "0"], in: project.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("layer model: 100%"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\r"), "no carriage returns in a CI log")
        XCTAssertFalse(result.stderr.contains("layer code:"), "small layers stay quiet")
    }
}

/// Sets a path's access and modification times two minutes back: older than
/// `StaleTemporaries.minimumAge`, so a dead writer's temporary counts as stale.
private func ageTwoMinutes(_ path: String) {
    var times = [timespec(tv_sec: time(nil) - 120, tv_nsec: 0), timespec(tv_sec: time(nil) - 120, tv_nsec: 0)]
    XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
}
