import Foundation
import HTTP
@testable import OCI
import XCTest

final class UploadLocationTests: XCTestCase {
    func testLocationIsResolvedAgainstTheRequestAndItsQueryKept() throws {
        let digest = try Digest("sha256:" + String(repeating: "c", count: 64))
        let response = HTTPResponse(status: 202, headers: ["Location": "/v2/team/churn/blobs/uploads/3f2a?_state=ab%2Bc%3D%3D&x=1"], body: Data(),
                                    url: URL(string: "https://registry.example.com:5443/v2/team/churn/blobs/uploads/")!, bodyLength: 0)
        let location = try RegistryClient.location(of: response)
        XCTAssertEqual(location.absoluteString, "https://registry.example.com:5443/v2/team/churn/blobs/uploads/3f2a?_state=ab%2Bc%3D%3D&x=1")
        XCTAssertEqual(RegistryClient.adding(digest: digest, to: location).absoluteString,
                       "https://registry.example.com:5443/v2/team/churn/blobs/uploads/3f2a?_state=ab%2Bc%3D%3D&x=1&digest=sha256%3A" + String(repeating: "c", count: 64))
        let bare = URL(string: "https://r.example/v2/a/blobs/uploads/u")!
        XCTAssertEqual(RegistryClient.adding(digest: digest, to: bare).query, "digest=sha256%3A" + String(repeating: "c", count: 64))
    }

    func testPlainHTTPOnlyForLoopbackOrNamedHosts() {
        XCTAssertTrue(RegistryClient.usesPlainHTTP("127.0.0.1:5000", insecure: []))
        XCTAssertTrue(RegistryClient.usesPlainHTTP("localhost:5000", insecure: []))
        XCTAssertTrue(RegistryClient.usesPlainHTTP("[::1]:5000", insecure: []))
        XCTAssertFalse(RegistryClient.usesPlainHTTP("registry.example.com", insecure: []))
        XCTAssertFalse(RegistryClient.usesPlainHTTP("127.0.0.1.evil.example", insecure: []))
        XCTAssertTrue(RegistryClient.usesPlainHTTP("registry.lan:5000", insecure: ["registry.lan:5000"]))
        XCTAssertFalse(RegistryClient.usesPlainHTTP("registry.lan:5000", insecure: ["registry.lan"]))
    }
}
