import Foundation
import HTTP
import OCI
import Packaging
import TestSupport
import XCTest

/// Registries have no compare-and-swap on a tag: two promotions at once must never both
/// report success for different images, and a tag that cannot be read back is an error.
final class ConcurrentPromotionTests: XCTestCase {
    func sluice(_ arguments: [String], in project: ExampleProject) throws -> ProcessResult {
        try SluiceBinary.run(arguments + ["--cache-dir", project.directory.file("cache"), "--quiet"], in: project.path)
    }

    func testConcurrentPromotionsNeverBothSucceedForDifferentDigests() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        let repository = "\(registry)/\(TestRegistry.repository("race"))"
        var digests: [String] = []
        for seed in [1, 2] {
            try project.writeModel(seed: seed)
            digests.append(try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--push", "\(repository):c\(seed)", "--format", "json"], in: project)).digest)
        }
        for round in 0..<3 {
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let result = try? sluice(["promote", "\(repository)@\(digests[index])", "--tag", "champion"], in: project)
                results.set(index, result)
            }
            let outcomes = try (0..<2).map { try XCTUnwrap(results.get($0), "round \(round)") }
            let winners = outcomes.indices.filter { outcomes[$0].status == 0 }
            XCTAssertEqual(winners.count, 1, "round \(round): exactly one promotion reports success: \(outcomes.map(\.stderr))")
            let champion = try runProcess("skopeo", ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(repository):champion"])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for index in outcomes.indices where outcomes[index].status != 0 {
                XCTAssertEqual(outcomes[index].status, 3, outcomes[index].stderr)
                XCTAssertTrue(outcomes[index].stderr.contains("now points at \(champion), not \(digests[index])"), outcomes[index].stderr)
            }
            if let winner = winners.first { XCTAssertEqual(champion, digests[winner], "round \(round)") }
        }
    }

    func testATagThatCannotBeReadBackIsNotReportedUnchanged() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        let proxy = try RegistryProxy(upstream: registry)
        defer { proxy.stop() }
        let repository = "\(proxy.address)/\(TestRegistry.repository("lost"))"
        let digest = try SummaryJSON.decode(sluice(["package"] + project.layerFlags + ["--push", "\(repository):candidate", "--format", "json"], in: project)).digest
        let written = Flag()
        proxy.fault = { _, request in
            if request.method == "PUT" && request.path.hasSuffix("/manifests/champion") { written.set() }
            return written.isSet && request.method != "PUT" && request.path.hasSuffix("/manifests/champion") ? .notFound : nil
        }
        let result = try sluice(["promote", "\(repository)@\(digest)", "--tag", "champion"], in: project)
        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stderr.contains("was written but cannot be read back (404)"), result.stderr)
        XCTAssertFalse(result.stderr.contains("unchanged"), result.stderr)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: ProcessResult] = [:]
    func set(_ index: Int, _ value: ProcessResult?) { lock.lock(); values[index] = value; lock.unlock() }
    func get(_ index: Int) -> ProcessResult? { lock.lock(); defer { lock.unlock() }; return values[index] }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
