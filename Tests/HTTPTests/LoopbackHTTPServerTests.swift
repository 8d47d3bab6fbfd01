import Foundation
import HTTP
import TestSupport
import XCTest

final class LoopbackHTTPServerTests: XCTestCase {
    /// Sends raw bytes on a fresh connection and returns everything the server answers.
    func exchange(_ port: Int, _ raw: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        _ = raw.withCString { send(fd, $0, strlen($0), 0) }
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            answer.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: answer, as: UTF8.self)
    }

    func testChunkedRequestBodyAndChunkedStreamedResponse() throws {
        let server = try LoopbackHTTPServer(keepAlive: false) { request in
            LoopbackHTTPServer.Response(body: .stream(length: nil) { writer in
                try writer.write(Data("got ".utf8))
                try writer.write(request.body)
            })
        }
        defer { server.stop() }
        let answer = try exchange(server.port, "POST /upload?x=1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200 OK\r\n"), answer)
        XCTAssertTrue(answer.contains("Transfer-Encoding: chunked"), answer)
        XCTAssertTrue(answer.hasSuffix("4\r\ngot \r\nb\r\nhello world\r\n0\r\n\r\n"), answer)
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertTrue(request.chunked)
        XCTAssertEqual(request.path, "/upload")
        XCTAssertEqual(request.query, ["x": "1"])
        XCTAssertEqual(request.bodyLength, 11)
    }

    func testKeepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try LoopbackHTTPServer { request in .text(request.path) }
        defer { server.stop() }
        let answer = try exchange(server.port, "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(answer.contains("\r\n\r\n/one"), answer)
        XCTAssertTrue(answer.hasSuffix("\r\n\r\n/two"), answer)
        XCTAssertEqual(server.requests.map(\.path), ["/one", "/two"])
    }
}
