import Core
import Foundation
import HTTP
import TestSupport
import XCTest

/// Records the delays a retry policy asks for instead of sleeping.
final class DelayRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [TimeInterval] = []
    var delays: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return recorded }
    func policy(attempts: Int = 4) -> RetryPolicy {
        RetryPolicy(attempts: attempts, baseDelay: 0.01, maxDelay: 0.05) { [self] delay in
            lock.lock(); recorded.append(delay); lock.unlock()
        }
    }
}

/// Counts calls so a handler can fail the first n times.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

final class HTTPClientTests: XCTestCase {
    func client(_ configure: (inout HTTPClient.Configuration) -> Void = { _ in }) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectTimeout = 5
        configure(&configuration)
        return HTTPClient(configuration: configuration)
    }

    func url(_ server: LoopbackHTTPServer, _ path: String) -> URL { URL(string: server.baseURL + path)! }

    func testGetReturnsBodyAndMultiValuedCaseInsensitiveHeaders() throws {
        let server = try LoopbackHTTPServer { _ in .text("hello", headers: [("X-Multi", "a"), ("x-multi", "b")]) }
        defer { server.stop() }
        let response = try client().send(HTTPRequest(url: url(server, "/greeting")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "hello")
        XCTAssertEqual(response.headers["content-type"], "text/plain")
        XCTAssertEqual(response.headers.values("X-MULTI"), ["a", "b"])
    }

    func testBodiesFromMemoryAndFromAFileRange() throws {
        let server = try LoopbackHTTPServer { request in .text("\(request.method) \(request.bodyLength)") }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let path = try directory.write("body.txt", "0123456789")
        let http = client()
        let posted = try http.send(HTTPRequest(method: "POST", url: url(server, "/a"), body: .data(Data("abc".utf8))))
        XCTAssertEqual(posted.text, "POST 3")
        let put = try http.send(HTTPRequest(method: "PUT", url: url(server, "/b"), body: .file(path: path, offset: 2, length: 5)))
        XCTAssertEqual(put.text, "PUT 5")
        XCTAssertEqual(server.requests[1].text, "23456")
        let patch = try http.send(HTTPRequest(method: "PATCH", url: url(server, "/c")))
        XCTAssertEqual(patch.text, "PATCH 0")
        XCTAssertEqual(server.requests[2].header("Content-Length"), "0")
    }

    func testRetriesServerErrorsAndDroppedConnectionsThenSucceeds() throws {
        let calls = Counter()
        // Without keep-alive, so the drop hits a fresh connection (libcurl itself silently
        // retries a request whose reused connection turns out dead).
        let server = try LoopbackHTTPServer(keepAlive: false) { _ in
            switch calls.next() {
            case 1: return .status(503)
            case 2: return .drop
            default: return .text("finally")
            }
        }
        defer { server.stop() }
        let recorder = DelayRecorder()
        let response = try client { $0.retry = recorder.policy() }.send(HTTPRequest(url: url(server, "/flaky")))
        XCTAssertEqual(response.text, "finally")
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(recorder.delays.count, 2)
        XCTAssertTrue(recorder.delays.allSatisfy { $0 >= 0.005 && $0 <= 0.05 }, "\(recorder.delays)")
    }

    func testHonoursRetryAfterSecondsHTTPDateAndRateLimitReset() throws {
        let calls = Counter()
        let date = Date(timeIntervalSinceNow: 30)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let httpDate = formatter.string(from: date)
        let server = try LoopbackHTTPServer { _ in
            switch calls.next() {
            case 1: return .status(429, headers: [("Retry-After", "7")])
            case 2: return .status(503, headers: [("Retry-After", httpDate)])
            case 3: return .status(429, headers: [("RateLimit-Reset", "\(Int(Date().timeIntervalSince1970) + 12)")])
            default: return .text("ok")
            }
        }
        defer { server.stop() }
        let recorder = DelayRecorder()
        let response = try client { $0.retry = recorder.policy(attempts: 5) }.send(HTTPRequest(url: url(server, "/limited")))
        XCTAssertEqual(response.status, 200)
        let delays = recorder.delays
        XCTAssertEqual(delays.count, 3)
        XCTAssertEqual(delays[0], 7)
        XCTAssertEqual(delays[1], 30, accuracy: 2)
        XCTAssertEqual(delays[2], 12, accuracy: 2)
    }

    func testReturnsTheLastResponseWhenAttemptsRunOutOrTheServerAsksTooMuch() throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/forever" ? .status(502) : .status(429, headers: [("Retry-After", "3600")])
        }
        defer { server.stop() }
        let recorder = DelayRecorder()
        let http = client { $0.retry = recorder.policy(attempts: 3) }
        XCTAssertEqual(try http.send(HTTPRequest(url: url(server, "/forever"))).status, 502)
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(try http.send(HTTPRequest(url: url(server, "/hour"))).status, 429)
        XCTAssertEqual(server.requests.count, 4, "an hour-long Retry-After is not waited for")
        XCTAssertEqual(try client { $0.retry = .none }.send(HTTPRequest(url: url(server, "/forever"))).status, 502)
    }

    func testBodyIsResentWhenAReusedConnectionTurnsOutClosed() throws {
        let calls = Counter()
        let server = try LoopbackHTTPServer { request in
            calls.next() == 2 ? .drop : .text("\(request.method) \(request.text)")
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let path = try directory.write("body", "0123456789")
        let http = client { $0.retry = .none }
        XCTAssertEqual(try http.send(HTTPRequest(url: url(server, "/warm"))).text, "GET ")
        let put = try http.send(HTTPRequest(method: "PUT", url: url(server, "/put"), body: .file(path: path, offset: 3, length: 4)))
        XCTAssertEqual(put.text, "PUT 3456")
    }

    func testConnectionRefusedIsRetriedThenThrows() throws {
        let server = try LoopbackHTTPServer { _ in .status(200) }
        let dead = url(server, "/")
        server.stop()
        let recorder = DelayRecorder()
        XCTAssertThrowsError(try client { $0.retry = recorder.policy(attempts: 3) }.send(HTTPRequest(url: dead))) { error in
            XCTAssertEqual((error as? HTTPError)?.code, 7, "CURLE_COULDNT_CONNECT")
        }
        XCTAssertEqual(recorder.delays.count, 2)
    }

    func testRedirectToAnotherOriginDropsCredentials() throws {
        let storage = try LoopbackHTTPServer { _ in .text("blob") }
        defer { storage.stop() }
        let registry = try LoopbackHTTPServer { request in
            request.path == "/same" ? .status(307, headers: [("Location", "/final")]) :
                request.path == "/final" ? .text("same origin") :
                .status(302, headers: [("Location", storage.baseURL + "/bucket/blob?X-Amz-Signature=abc")])
        }
        defer { registry.stop() }
        let headers: HTTPHeaders = ["Authorization": "Bearer secret-token", "PRIVATE-TOKEN": "glpat-123", "Cookie": "s=1", "Accept": "*/*"]
        let http = client()
        let response = try http.send(HTTPRequest(url: url(registry, "/v2/r/blobs/sha256:1"), headers: headers))
        XCTAssertEqual(response.text, "blob")
        XCTAssertEqual(response.url.path, "/bucket/blob")
        let forwarded = try XCTUnwrap(storage.requests.first)
        XCTAssertNil(forwarded.header("Authorization"))
        XCTAssertNil(forwarded.header("PRIVATE-TOKEN"))
        XCTAssertNil(forwarded.header("Cookie"))
        XCTAssertEqual(forwarded.header("Accept"), "*/*")

        let same = try http.send(HTTPRequest(method: "PUT", url: url(registry, "/same"), headers: headers, body: .data(Data("x".utf8))))
        XCTAssertEqual(same.text, "same origin")
        let final = try XCTUnwrap(registry.requests.last)
        XCTAssertEqual(final.method, "PUT", "307 keeps the method and body")
        XCTAssertEqual(final.text, "x")
        XCTAssertEqual(final.header("Authorization"), "Bearer secret-token")
    }

    func testSeeOtherSwitchesToGetAndRedirectLoopsFail() throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/post": return .status(303, headers: [("Location", "/result")])
            case "/result": return .text(request.method)
            default: return .status(302, headers: [("Location", "/loop")])
            }
        }
        defer { server.stop() }
        let http = client { $0.maxRedirects = 3 }
        XCTAssertEqual(try http.send(HTTPRequest(method: "POST", url: url(server, "/post"), body: .data(Data("a".utf8)))).text, "GET")
        XCTAssertThrowsError(try http.send(HTTPRequest(url: url(server, "/loop")))) { error in
            XCTAssertTrue("\(error)".contains("more than 3 redirects"), "\(error)")
        }
    }

    func testTraceRedactsSecrets() throws {
        let server = try LoopbackHTTPServer { _ in .status(200, headers: [("Set-Cookie", "session=topsecret")]) }
        defer { server.stop() }
        let lines = LineCollector()
        let http = client { $0.trace = { lines.append($0) } }
        _ = try http.send(HTTPRequest(url: URL(string: server.baseURL + "/p?private_token=glpat-xyz&page=2")!,
                                      headers: ["Authorization": "Bearer eyJsecret", "JOB-TOKEN": "jobsecret"]))
        let trace = lines.all.joined(separator: "\n")
        XCTAssertTrue(trace.contains("> GET"), trace)
        XCTAssertTrue(trace.contains("Authorization: Bearer REDACTED"), trace)
        XCTAssertTrue(trace.contains("page=2"), trace)
        for secret in ["eyJsecret", "jobsecret", "glpat-xyz", "topsecret"] {
            XCTAssertFalse(trace.contains(secret), "\(secret) leaked: \(trace)")
        }
        XCTAssertEqual(Redaction.url("https://user:pw@host/x?X-Amz-Signature=s&a=1"), "https://user:REDACTED@host/x?X-Amz-Signature=REDACTED&a=1")
    }

    func testLinkHeaderNext() throws {
        let value = #"<https://gitlab.example/api/v4/projects?page=1>; rel="first", </v2/_catalog?last=b,c&n=2>; rel="next""#
        let links = LinkHeader.parse(value)
        XCTAssertEqual(links.count, 2)
        XCTAssertEqual(links[1].target, "/v2/_catalog?last=b,c&n=2")
        let response = HTTPResponse(status: 200, headers: ["Link": value], body: Data(), url: URL(string: "http://r:5000/v2/_catalog?n=2")!, bodyLength: 0)
        XCTAssertEqual(LinkHeader.next(in: response)?.absoluteString, "http://r:5000/v2/_catalog?last=b,c&n=2")
        XCTAssertNil(LinkHeader.next(in: HTTPResponse(status: 200, headers: [:], body: Data(), url: response.url, bodyLength: 0)))
    }

    func testTruncatedDownloadToFileIsRetriedAndErrorBodiesNeverReachTheFile() throws {
        let calls = Counter()
        let payload = Data((0..<100_000).map { UInt8($0 % 251) })
        let server = try LoopbackHTTPServer { request in
            if request.path == "/missing" { return .json(#"{"errors":[]}"#, status: 404) }
            return calls.next() == 1 ? LoopbackHTTPServer.Response(status: 200, body: .data(payload), action: .truncateBody(after: 1000)) : .data(payload)
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let target = directory.file("blob")
        let recorder = DelayRecorder()
        let http = client { $0.retry = recorder.policy() }
        let response = try http.send(HTTPRequest(url: url(server, "/blob")), into: .file(target))
        XCTAssertEqual(response.bodyLength, Int64(payload.count))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), payload)
        XCTAssertEqual(recorder.delays.count, 1)

        let missing = directory.file("missing")
        let notFound = try http.send(HTTPRequest(url: url(server, "/missing")), into: .file(missing))
        XCTAssertEqual(notFound.status, 404)
        XCTAssertEqual(notFound.text, #"{"errors":[]}"#)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
    }

    func testTotalTimeoutAborts() throws {
        let server = try LoopbackHTTPServer { _ in Thread.sleep(forTimeInterval: 2); return .status(200) }
        defer { server.stop() }
        let started = Date()
        XCTAssertThrowsError(try client { $0.timeout = 0.5; $0.retry = .none }.send(HTTPRequest(url: url(server, "/slow")))) { error in
            XCTAssertEqual((error as? HTTPError)?.code, 28, "CURLE_OPERATION_TIMEDOUT")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.9)
    }

    func testProxyFromTheEnvironmentIsUsed() throws {
        let proxy = try LoopbackHTTPServer { request in .text("via proxy: \(request.target)") }
        defer { proxy.stop() }
        setenv("http_proxy", proxy.baseURL, 1)
        defer { unsetenv("http_proxy") }
        let response = try client { $0.retry = .none }.send(HTTPRequest(url: URL(string: "http://registry.invalid:5000/v2/")!))
        XCTAssertEqual(response.text, "via proxy: http://registry.invalid:5000/v2/")
    }

    func testLargeBodiesStreamWithoutMemoryGrowth() throws {
        let size = 256 << 20
        let block = Data(repeating: 0x5A, count: 1 << 20)
        let server = try LoopbackHTTPServer(storedBodyLimit: 0) { request in
            if request.method == "PUT" { return .text(request.bodySHA256) }
            return LoopbackHTTPServer.Response(body: .stream(length: nil) { writer in
                for _ in 0..<(size / block.count) { try writer.write(block) }
            })
        }
        defer { server.stop() }
        let http = client()
        let before = peakResidentBytes()
        var received = 0
        let response = try http.send(HTTPRequest(url: url(server, "/big")), into: .sink { received += $0.count })
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(received, size)

        let directory = try TemporaryDirectory()
        let path = directory.file("big.bin")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for _ in 0..<(size / block.count) { handle.write(block) }
        try handle.close()
        let progress = LineCollector()
        let put = try http.send(HTTPRequest(method: "PUT", url: url(server, "/up"), body: .file(path: path, length: Int64(size)),
                                            uploadProgress: { progress.append("\($0)") }))
        XCTAssertEqual(put.text, try FileDigest.sha256(path: path))
        XCTAssertEqual(progress.all.last, "\(size)")
        let growth = peakResidentBytes() - before
        XCTAssertLessThan(growth, 64 << 20, "peak RSS grew by \(growth >> 20) MiB for \(size >> 20) MiB bodies")
    }
}

/// Collects trace lines from any thread.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// The peak resident set size of this process so far.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}
