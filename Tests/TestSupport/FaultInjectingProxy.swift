import Foundation
import HTTP

/// A loopback reverse proxy in front of a real server (the MLflow test server) that answers
/// chosen requests itself, to inject faults the real server cannot be made to produce on
/// demand, such as a 500 in the middle of an artifact upload. Everything else is forwarded
/// unchanged, so what a test reads back is the real server's state.
public final class FaultInjectingProxy: @unchecked Sendable {
    public private(set) var server: LoopbackHTTPServer!
    private let upstream: String
    private let forwarder = HTTPClient(configuration: {
        var configuration = HTTPClient.Configuration()
        configuration.retry = .none
        return configuration
    }())

    /// - Parameter fault: the answer to send instead of forwarding, or nil to forward.
    public init(upstream: String, fault: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response?) throws {
        self.upstream = upstream
        server = try LoopbackHTTPServer { [unowned self] request in fault(request) ?? self.forward(request) }
    }

    deinit { server.stop() }

    /// The proxy's address, to use in place of the upstream's.
    public var baseURL: String { server.baseURL }

    private func forward(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        guard let url = URL(string: upstream + request.target) else { return .status(400) }
        var headers = HTTPHeaders()
        for (name, value) in request.headers where !["host", "content-length", "transfer-encoding", "connection"].contains(name.lowercased()) {
            headers.add(name, value)
        }
        do {
            let response = try forwarder.send(HTTPRequest(method: request.method, url: url, headers: headers, body: request.body.isEmpty ? .empty : .data(request.body)))
            let kept = response.headers.fields.filter { !["content-length", "transfer-encoding", "connection"].contains($0.name.lowercased()) }
            return .data(response.body, status: response.status, headers: kept.map { ($0.name, $0.value) })
        } catch {
            return .drop
        }
    }
}
