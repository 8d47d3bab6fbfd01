import Core
import Foundation
import HTTP
import OCI
import Packaging
import TestSupport
import XCTest

/// Records retry delays instead of sleeping, so fault tests run fast.
final class RecordedDelays: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [TimeInterval] = []
    var all: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return values }
    func record(_ delay: TimeInterval) { lock.lock(); values.append(delay); lock.unlock() }
}

final class RegistryResilienceTests: XCTestCase {
    func registries(_ directory: TemporaryDirectory, _ name: String, delays: RecordedDelays? = nil, credentials: CredentialStore = CredentialStore(environment: [:])) throws -> Registries {
        var options = RegistryClient.Options()
        var http = HTTPClient.Configuration()
        http.retry = RetryPolicy(attempts: 3, baseDelay: 0.01, maxDelay: 0.02) { delays?.record($0) }
        options.http = HTTPClient(configuration: http)
        options.credentials = credentials
        return try Registries(options: options, parallel: 1, cacheDirectory: directory.file("cache-\(name)"))
    }

    func spec(base: String?, push: String, layout: String) -> PackageSpec {
        PackageSpec(base: base, layers: [LayerSpec(name: "code", files: [FileMapping(source: "src", target: "/app/src")]),
                                         LayerSpec(name: "model", files: [FileMapping(source: "model", target: "/app/model")])],
                    layout: layout, push: push)
    }

    func packageAndPush(_ spec: PackageSpec, project: ExampleProject, registries: Registries) throws -> ImageSummaryDigest {
        let packaged = try ImagePackager.package(spec, directory: project.path, provenance: Provenance(), registries: registries)
        let summary = try ImagePackager.push(packaged, to: try Reference(parsing: spec.push!), registries: registries)
        return ImageSummaryDigest(digest: summary.digest, uploaded: summary.layers.map(\.uploaded), blobs: packaged.image.manifest.layers.map(\.digest) + [packaged.image.manifest.config.digest])
    }

    struct ImageSummaryDigest {
        var digest: String
        var uploaded: [Bool]
        var blobs: [Digest]
    }

    /// Pushes a one-layer base image to `repository` of the real registry.
    func pushBase(_ registry: String, _ repository: String, project: ExampleProject, registries: Registries, target: String = "/usr/lib/deps") throws {
        let spec = PackageSpec(layers: [LayerSpec(name: "os", files: [FileMapping(source: "deps", target: target)])],
                               layout: project.directory.file("base-layout"), push: "\(registry)/\(repository):v1")
        _ = try packageAndPush(spec, project: project, registries: registries)
    }

    func testBearerTokenFlowWithScopeAddedOnChallenge() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        let tokens = try TokenServer()
        let proxy = try RegistryProxy(upstream: registry)
        defer { proxy.stop(); tokens.server.stop() }
        proxy.tokenRealm = tokens.realm
        let repository = TestRegistry.repository("bearer")
        let direct = try registries(project.directory, "direct")
        try pushBase(registry, "\(repository)-base", project: project, registries: direct)

        let viaProxy = try registries(project.directory, "proxy")
        let result = try packageAndPush(spec(base: "\(proxy.address)/\(repository)-base:v1", push: "\(proxy.address)/\(repository):candidate",
                                             layout: project.directory.file("bearer-layout")), project: project, registries: viaProxy)
        let scopes = tokens.server.requests.flatMap { request in (URLComponents(string: request.target)?.queryItems ?? []).filter { $0.name == "scope" }.compactMap(\.value) }
        XCTAssertTrue(scopes.contains("repository:\(repository)-base:pull"), "\(scopes)")
        XCTAssertTrue(scopes.contains("repository:\(repository):push,pull"), "the challenge's scope was added: \(scopes)")
        XCTAssertTrue(tokens.server.requests.allSatisfy { $0.query["service"] == "sluice-test" })
        XCTAssertNil(tokens.server.requests.first?.header("Authorization"), "anonymous token without credentials")
        let inspect = try runProcess("skopeo", ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(registry)/\(repository):candidate"])
        XCTAssertEqual(inspect.stdout.trimmingCharacters(in: .whitespacesAndNewlines), result.digest)
        XCTAssertEqual(result.uploaded.first, false, "the base layer was mounted from the base repository")
    }

    func testFaultsAtEveryStepEitherCompleteOrLeaveTheChampionUntouched() throws {
        let registry = try TestRegistry.address()
        let project = try ExampleProject()
        let proxy = try RegistryProxy(upstream: registry)
        defer { proxy.stop() }
        proxy.refuseMounts = true
        let baseRepository = TestRegistry.repository("faulty-base")
        let direct = try registries(project.directory, "direct")
        try pushBase(registry, baseRepository, project: project, registries: direct)
        // B's base differs from A's, so its base layer is new to the repository and a mount is tried.
        let otherBase = TestRegistry.repository("faulty-base-b")
        try pushBase(registry, otherBase, project: project, registries: direct, target: "/usr/lib/other")

        let delays = RecordedDelays()
        // Step -1 is a clean run that counts the requests; then each request gets its fault.
        var requestsInCleanRun = Int.max
        var step = -1
        while step < requestsInCleanRun {
            let repository = TestRegistry.repository("faulty")
            // The champion before: image A, pushed and promoted without the proxy.
            try project.writeModel(seed: 1)
            let a = try packageAndPush(spec(base: "\(registry)/\(baseRepository):v1", push: "\(registry)/\(repository):a", layout: project.directory.file("a-\(step)")),
                                       project: project, registries: direct)
            _ = try Promotion.promote(try Reference(parsing: "\(registry)/\(repository)@\(a.digest)"), tag: "champion", registries: direct, settle: 0)

            // Image B through the faulty proxy, with a fault at request number `step`.
            try project.writeModel(seed: 2)
            let start = proxy.requestCount
            let current = step
            proxy.fault = { number, _ in
                let relative = number - start
                guard current >= 0 else { return nil }
                switch current % 4 {
                case 0: return relative == current ? .unavailable : nil
                case 1: return relative == current ? .tooManyRequests : nil
                case 2: return relative == current ? .drop : nil
                default: return relative >= current ? .unavailable : nil
                }
            }
            let viaProxy = try registries(project.directory, "proxy-\(step)", delays: delays)
            var b: ImageSummaryDigest?
            var failure: Error?
            do {
                let pushed = try packageAndPush(spec(base: "\(proxy.address)/\(otherBase):v1", push: "\(proxy.address)/\(repository):b",
                                                     layout: project.directory.file("b-\(step)")), project: project, registries: viaProxy)
                b = pushed
                XCTAssertEqual(pushed.uploaded.first, true, "mount refused, so the base layer was uploaded")
                _ = try Promotion.promote(try Reference(parsing: "\(proxy.address)/\(repository)@\(pushed.digest)"), tag: "champion", registries: viaProxy, settle: 0)
            } catch {
                failure = error
            }
            if step < 0 { requestsInCleanRun = proxy.requestCount - start }
            let champion = try direct.client(registry).manifestDigest(repository, "champion")?.description
            let kind = step < 0 ? "none" : ["503", "429", "drop", "persistent 503"][step % 4]
            if step < 0 || step % 4 != 3 {
                XCTAssertNil(failure, "a single \(kind) at request \(step) must be retried: \(failure.map { "\($0)" } ?? "")")
                XCTAssertEqual(champion, b?.digest, "step \(step)")
            } else if champion == a.digest {
                XCTAssertNotNil(failure, "step \(step)")
            } else {
                // The fault struck after the tag moved (while reading it back): B must be whole.
                XCTAssertNotNil(b, "step \(step): the champion moved to an image that was not fully pushed")
                for blob in b?.blobs ?? [] { XCTAssertTrue(try direct.client(registry).blobExists(repository, blob), "step \(step): \(blob) missing") }
            }
            step += 1
        }
        XCTAssertGreaterThan(requestsInCleanRun, 12, "a base pull, push and promotion take more requests than that")
        XCTAssertTrue(delays.all.contains(1), "Retry-After: 1 was honoured: \(delays.all)")
    }
}
