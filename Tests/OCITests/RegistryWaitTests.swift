import Foundation
import HTTP
import OCI
import TestSupport
import XCTest

final class RegistryWaitTests: XCTestCase {
    /// A registry asking to retry after longer than Sluice waits gets an error that says so
    /// and names the setting that raises the limit, not a bare "cannot start an upload".
    func testAWaitLongerThanTheLimitIsExplained() throws {
        let server = try LoopbackHTTPServer { request in
            if request.path == "/v2/" { return .json("{}") }
            return request.method == "HEAD" ? .status(404) : .status(429, headers: [("Retry-After", "300")])
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let blob = try directory.write("blob", "x")
        let options = RegistryClient.Options()
        let client = RegistryClient(registry: String(server.baseURL.dropFirst("http://".count)), options: options)
        let descriptor = Descriptor(mediaType: MediaType.ociLayerGzip, digest: try Digest("sha256:" + String(repeating: "a", count: 64)), size: 1)
        let started = Date()
        XCTAssertThrowsError(try client.uploadBlob("team/model", path: blob, descriptor: descriptor, mountFrom: nil)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("asked to wait 300 s before trying again, longer than the 120 s Sluice waits"), message)
            XCTAssertTrue(message.contains("SLUICE_RETRY_MAX_WAIT=300"), message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }
}
