import Foundation
import HTTP
import TestSupport

/// A loopback proxy in front of the real test registry. It can demand Bearer tokens from a
/// loopback token server, refuse cross-repository mounts, and inject faults by request number.
final class RegistryProxy: @unchecked Sendable {
    enum Fault {
        case unavailable            // 503
        case tooManyRequests        // 429 with Retry-After: 1
        case drop                   // close the connection without answering
        case notFound               // 404 MANIFEST_UNKNOWN, as if the tag were gone
    }

    private let upstream: String
    private let http: HTTPClient
    private let lock = NSLock()
    private var count = 0
    private var server: LoopbackHTTPServer!
    /// Decides the fault (if any) for request number n (from 0).
    var fault: (Int, LoopbackHTTPServer.Request) -> Fault? = { _, _ in nil }
    /// When set, requests need `Bearer` tokens from this realm.
    var tokenRealm: String?
    var refuseMounts = false

    var address: String { "127.0.0.1:\(server.port)" }
    var requestCount: Int { lock.lock(); defer { lock.unlock() }; return count }
    var requests: [LoopbackHTTPServer.Request] { server.requests }

    init(upstream: String) throws {
        self.upstream = upstream
        var configuration = HTTPClient.Configuration()
        configuration.retry = .none
        http = HTTPClient(configuration: configuration)
        server = try LoopbackHTTPServer(storedBodyLimit: 64 << 20) { [unowned self] request in handle(request) }
    }

    func stop() { server.stop() }

    private func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        lock.lock()
        let number = count
        count += 1
        lock.unlock()
        switch fault(number, request) {
        case .unavailable?: return .json(#"{"errors":[{"code":"UNAVAILABLE","message":"injected"}]}"#, status: 503)
        case .tooManyRequests?: return .status(429, headers: [("Retry-After", "1")])
        case .drop?: return .drop
        case .notFound?: return .json(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"injected"}]}"#, status: 404)
        case nil: break
        }
        if let realm = tokenRealm, let challenge = missingScope(request) {
            return .json(#"{"errors":[{"code":"UNAUTHORIZED"}]}"#, status: 401,
                         headers: [("Www-Authenticate", #"Bearer realm="\#(realm)",service="sluice-test"\#(challenge.isEmpty ? "" : ",scope=\"\(challenge)\"")"#)])
        }
        var target = request.target
        if refuseMounts, target.contains("mount=") { target = String(target.prefix { $0 != "?" }) }
        var forwarded = HTTPRequest(method: request.method, url: URL(string: "http://\(upstream)\(target)")!, body: request.body.isEmpty ? .empty : .data(request.body))
        for (name, value) in request.headers where !["host", "content-length", "connection", "authorization", "transfer-encoding", "expect"].contains(name.lowercased()) {
            forwarded.headers.add(name, value)
        }
        // The registry builds Location headers from Host, so they point back at the proxy.
        forwarded.headers.set("Host", address)
        guard let response = try? http.send(forwarded) else { return .drop }
        let headers = response.headers.fields
            .filter { !["transfer-encoding", "connection"].contains($0.name.lowercased()) && (request.method == "HEAD" || $0.name.lowercased() != "content-length") }
            .map { ($0.name, $0.value) }
        return .data(response.body, status: response.status, headers: headers)
    }

    /// The scope this request lacks ("" for the ping), or nil when its token covers it. Push
    /// operations need "push,pull" (in that order), which the client only learns from the challenge.
    private func missingScope(_ request: LoopbackHTTPServer.Request) -> String? {
        let granted = request.header("Authorization").flatMap { $0.hasPrefix("Bearer ") ? TokenServer.scopes(in: String($0.dropFirst(7))) : nil }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 3, let marker = parts.firstIndex(where: { $0 == "blobs" || $0 == "manifests" }) else {
            return granted == nil ? "" : nil
        }
        let repository = parts[1..<marker].joined(separator: "/")
        let needed = ["GET", "HEAD"].contains(request.method) ? "repository:\(repository):pull" : "repository:\(repository):push,pull"
        guard let granted else { return needed }
        if granted.contains(needed) { return nil }
        if needed.hasSuffix(":pull"), granted.contains("repository:\(repository):pull,push") || granted.contains("repository:\(repository):push,pull") { return nil }
        return needed
    }
}

/// A loopback token endpoint: it returns tokens that carry their scopes, and records requests.
final class TokenServer {
    let server: LoopbackHTTPServer
    var realm: String { server.baseURL + "/token" }

    init() throws {
        server = try LoopbackHTTPServer { request in
            let scopes = (URLComponents(string: request.target)?.queryItems ?? []).filter { $0.name == "scope" }.compactMap(\.value)
            let token = Data(scopes.joined(separator: " ").utf8).base64EncodedString()
            return .json(#"{"token": "\#(token)", "expires_in": 300}"#)
        }
    }

    static func scopes(in token: String) -> [String] {
        Data(base64Encoded: token).map { String(decoding: $0, as: UTF8.self).split(separator: " ").map(String.init) } ?? []
    }
}
