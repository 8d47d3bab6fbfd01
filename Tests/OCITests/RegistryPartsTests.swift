import Foundation
import OCI
import TestSupport
import XCTest

final class RegistryPartsTests: XCTestCase {
    func testReferences() throws {
        let hub = try Reference(parsing: "python:3.12-slim")
        XCTAssertEqual(hub.registry, "registry-1.docker.io")
        XCTAssertEqual(hub.repository, "library/python")
        XCTAssertEqual(hub.tag, "3.12-slim")
        let local = try Reference(parsing: "127.0.0.1:5000/team/churn@sha256:" + String(repeating: "a", count: 64))
        XCTAssertEqual(local.registry, "127.0.0.1:5000")
        XCTAssertEqual(local.repository, "team/churn")
        XCTAssertNil(local.tag)
        XCTAssertEqual(local.identifier, "sha256:" + String(repeating: "a", count: 64))
        XCTAssertEqual(try Reference(parsing: "localhost/x:1").registry, "localhost")
        XCTAssertThrowsError(try Reference(parsing: "Registry.example/UPPER:tag"))
        XCTAssertThrowsError(try Reference(parsing: "r.example/a@sha256:short"))
    }

    func testChallenges() throws {
        let bearer = try XCTUnwrap(Challenge(#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull,push""#))
        XCTAssertEqual(bearer.scheme, "bearer")
        XCTAssertEqual(bearer.parameters["realm"], "https://auth.docker.io/token")
        XCTAssertEqual(bearer.parameters["scope"], "repository:library/ubuntu:pull,push")
        XCTAssertEqual(Challenge(#"Basic realm="Registry Realm""#)?.scheme, "basic")
    }

    func testCredentialsGoOnlyToTheirRegistry() throws {
        let directory = try TemporaryDirectory()
        let auth = Data("ci:from-docker".utf8).base64EncodedString()
        try directory.write("config.json", #"{"auths": {"https://index.docker.io/v1/": {"auth": "\#(auth)"}, "ghcr.io": {"username": "u", "password": "p"}}}"#)
        var store = CredentialStore(environment: ["DOCKER_CONFIG": directory.path, "CI_REGISTRY": "registry.gitlab.com",
                                                  "CI_REGISTRY_USER": "gitlab-ci-token", "CI_REGISTRY_PASSWORD": "job-token"])
        XCTAssertEqual(try store.credential(for: "registry-1.docker.io"), Credential(username: "ci", password: "from-docker"))
        XCTAssertEqual(try store.credential(for: "ghcr.io"), Credential(username: "u", password: "p"))
        XCTAssertEqual(try store.credential(for: "registry.gitlab.com"), Credential(username: "gitlab-ci-token", password: "job-token"))
        XCTAssertNil(try store.credential(for: "evil.example.com"))
        store.explicit = ["ghcr.io": Credential(username: "flag", password: "wins")]
        XCTAssertEqual(try store.credential(for: "ghcr.io")?.username, "flag")
        XCTAssertEqual(try store.credential(for: "registry.gitlab.com")?.username, "gitlab-ci-token")
    }

    func testIndexPlatformSelection() throws {
        let digest = try Digest("sha256:" + String(repeating: "b", count: 64))
        let index = Index(manifests: [
            Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: 1, platform: Platform(os: "linux", architecture: "arm64", variant: "v8")),
            Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: 2, platform: .linuxAMD64),
        ])
        XCTAssertEqual(index.manifest(for: .linuxAMD64)?.size, 2)
        XCTAssertEqual(index.manifest(for: Platform("linux/arm64")!)?.size, 1)
        XCTAssertNil(index.manifest(for: Platform("windows/amd64")!))
    }
}
