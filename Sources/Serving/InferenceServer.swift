import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Where and how the server listens.
public struct ServerSettings: Sendable {
    public var host: String
    /// 0 picks a free port (`InferenceServer.start` returns the one bound).
    public var port: Int
    /// Bodies longer than this are refused with 413 before they are read.
    public var maxBodyBytes: Int
    /// How long a shutdown waits for requests in flight.
    public var drainSeconds: Double

    public init(host: String = "0.0.0.0", port: Int = 8080, maxBodyBytes: Int = 8 << 20, drainSeconds: Double = 10) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.drainSeconds = drainSeconds
    }
}

/// The HTTP/1.1 server of `sluice serve`: SwiftNIO parses HTTP, `InferenceRouter` answers.
/// On SIGTERM or SIGINT it stops accepting connections, answers readiness with 503, lets the
/// requests in flight finish (up to `drainSeconds`) and returns.
public final class InferenceServer: @unchecked Sendable {
    private let router: InferenceRouter
    private let settings: ServerSettings
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
    private var channel: Channel?
    private let inFlight = InFlightCounter()

    public init(router: InferenceRouter, settings: ServerSettings) {
        self.router = router
        self.settings = settings
    }

    /// Binds and starts serving; returns the port bound.
    public func start() throws -> Int {
        let router = self.router, limit = settings.maxBodyBytes, inFlight = self.inFlight
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(router: router, maxBodyBytes: limit, inFlight: inFlight))
                }
            }
        do {
            let bound = try bootstrap.bind(host: settings.host, port: settings.port).wait()
            channel = bound
            return bound.localAddress?.port ?? settings.port
        } catch {
            try? group.syncShutdownGracefully()
            throw ServeFailure(message: "cannot listen on \(settings.host):\(settings.port): \(error)")
        }
    }

    /// Blocks until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilSignalled(onSignal: (Int32) -> Void = { _ in }) {
        let received = SignalWaiter([SIGTERM, SIGINT]).wait()
        onSignal(received)
        shutdown()
    }

    /// Stops accepting, drains the requests in flight, closes everything.
    public func shutdown() {
        router.beginDraining()
        try? channel?.close().wait()
        let deadline = Date().addingTimeInterval(settings.drainSeconds)
        while inFlight.value > 0, Date() < deadline { usleep(10_000) }
        try? group.syncShutdownGracefully()
    }
}

/// The server could not start (the port is taken, the host is not an address).
public struct ServeFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Requests received but not yet answered.
final class InFlightCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add(_ delta: Int) { lock.lock(); count += delta; lock.unlock() }
}

/// Waits for one of some signals (their default actions are turned off first).
final class SignalWaiter {
    private let semaphore = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []
    private var received: Int32 = 0

    init(_ signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in
                received = number
                semaphore.signal()
            }
            source.resume()
            sources.append(source)
        }
    }

    func wait() -> Int32 {
        semaphore.wait()
        sources.forEach { $0.cancel() }
        return received
    }
}

/// One connection's requests: the body is gathered up to the limit, then routed.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: InferenceRouter
    private let maxBodyBytes: Int
    private let inFlight: InFlightCounter
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var refused = false
    private var started = NIODeadline.now()

    init(router: InferenceRouter, maxBodyBytes: Int, inFlight: InFlightCounter) {
        self.router = router
        self.maxBodyBytes = maxBodyBytes
        self.inFlight = inFlight
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            body.clear()
            refused = false
            started = .now()
            inFlight.add(1)
            if let length = request.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
                refuseOversized(context: context, declared: length)
            }
        case .body(var chunk):
            guard !refused else { return }
            if body.readableBytes + chunk.readableBytes > maxBodyBytes {
                refuseOversized(context: context, declared: nil)
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard !refused, let request = head else { return }
            let path = String(request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            let reply = router.respond(method: request.method.rawValue, path: path, body: Data(body.readableBytesView))
            send(reply, context: context, keepAlive: request.isKeepAlive)
        }
    }

    /// Answers 413 at once and closes the connection, so the rest of the body is never read.
    private func refuseOversized(context: ChannelHandlerContext, declared: Int?) {
        refused = true
        body.clear()
        let size = declared.map { "\($0) bytes" } ?? "more"
        let error = InferenceError(status: 413, "the body is \(size); the limit is \(maxBodyBytes) bytes (sluice serve --max-body-bytes)")
        send(.error(error, endpoint: "too_large"), context: context, keepAlive: false)
    }

    private func send(_ reply: HTTPReply, context: ChannelHandlerContext, keepAlive: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: reply.contentType)
        headers.add(name: "content-length", value: String(reply.body.count))
        headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: reply.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        router.metrics.record(endpoint: reply.endpoint, status: reply.status, seconds: seconds, rows: reply.rows)
        inFlight.add(-1)
        if !keepAlive {
            done.whenComplete { _ in context.close(promise: nil) }
        }
    }
}
