import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small real HTTP/1.1 server on 127.0.0.1 for tests: it listens on a free port, answers
/// each request with a closure, and records what it received.
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in
///     request.path == "/v2/" ? .json(#"{}"#) : .status(404)
/// }
/// defer { server.stop() }
/// // point a client at server.baseURL ("http://127.0.0.1:PORT")
/// XCTAssertEqual(server.requests.map(\.path), ["/v2/"])
/// ```
///
/// Request bodies may be sent with `Content-Length` or chunked; responses may be bytes or
/// streamed (chunked when their length is unknown). A response can also drop the
/// connection without answering, or cut its body short, to simulate network failures.
/// Each connection is served on its own thread, so handlers must be thread-safe.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// A request as received.
    public struct Request: Sendable {
        public let method: String
        /// The request target as sent: the path and query, or an absolute URL through a proxy.
        public let target: String
        public let headers: [(name: String, value: String)]
        /// The body, when not longer than the server's `storedBodyLimit`; otherwise empty.
        public let body: Data
        /// The body's length in bytes, always.
        public let bodyLength: Int
        /// The lowercase hex SHA-256 of the body, always.
        public let bodySHA256: String
        /// Whether the body came with `Transfer-Encoding: chunked`.
        public let chunked: Bool

        /// The target's path, without the query.
        public var path: String {
            let withoutQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
            if let url = URL(string: withoutQuery), url.scheme != nil { return url.path }
            return withoutQuery
        }

        /// The decoded query parameters (the last value wins).
        public var query: [String: String] {
            var result: [String: String] = [:]
            for item in URLComponents(string: target)?.queryItems ?? [] { result[item.name] = item.value ?? "" }
            return result
        }

        /// The first value of header `name`, matched without regard to case.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Writes a streamed response body; chunk framing is added when the length is unknown.
    public final class BodyWriter {
        fileprivate let connection: Connection
        fileprivate let chunked: Bool

        fileprivate init(connection: Connection, chunked: Bool) {
            self.connection = connection
            self.chunked = chunked
        }

        /// Sends `data`; throws when the client went away.
        public func write(_ data: Data) throws {
            guard !data.isEmpty else { return }
            if chunked { try connection.send(Data(String(data.count, radix: 16).utf8) + Data("\r\n".utf8)) }
            try connection.send(data)
            if chunked { try connection.send(Data("\r\n".utf8)) }
        }
    }

    /// What to answer.
    public struct Response {
        public enum Body {
            case data(Data)
            /// Streamed by the closure; `length` nil means chunked transfer encoding.
            case stream(length: Int?, (BodyWriter) throws -> Void)
        }

        /// What to do with the connection.
        public enum Action {
            case respond
            /// Close the connection without sending anything.
            case dropConnection
            /// Send the headers and only this many body bytes, then close.
            case truncateBody(after: Int)
        }

        public var status: Int
        public var headers: [(String, String)]
        public var body: Body
        public var action: Action

        public init(status: Int = 200, headers: [(String, String)] = [], body: Body = .data(Data()), action: Action = .respond) {
            self.status = status
            self.headers = headers
            self.body = body
            self.action = action
        }

        /// An empty response with `status` and `headers`.
        public static func status(_ status: Int, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: headers)
        }

        /// A `text/plain` response.
        public static func text(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "text/plain")] + headers, body: .data(Data(text.utf8)))
        }

        /// An `application/json` response with `json` sent as is.
        public static func json(_ json: String, status: Int = 200, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: .data(Data(json.utf8)))
        }

        /// Bytes with any content type.
        public static func data(_ data: Data, status: Int = 200, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: headers, body: .data(data))
        }

        /// Closes the connection without answering.
        public static var drop: Response { Response(action: .dropConnection) }
    }

    /// The port the server listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order of arrival.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Forgets the recorded requests.
    public func clearRequests() {
        lock.lock()
        received.removeAll()
        lock.unlock()
    }

    private let handler: @Sendable (Request) -> Response
    private let keepAlive: Bool
    private let storedBodyLimit: Int
    private let listener: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private var connections: Set<Int32> = []
    private var stopped = false

    /// Starts listening on a free port of 127.0.0.1.
    /// - Parameters:
    ///   - keepAlive: serve several requests per connection (HTTP/1.1 persistent connections).
    ///   - storedBodyLimit: bodies longer than this are counted and hashed but not kept.
    ///   - handler: answers each request, on the connection's thread.
    public init(keepAlive: Bool = true, storedBodyLimit: Int = 16 << 20, handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        self.keepAlive = keepAlive
        self.storedBodyLimit = storedBodyLimit
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Stops listening and closes every open connection.
    public func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        let open = connections
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            if stopped { lock.unlock(); close(fd); return }
            connections.insert(fd)
            lock.unlock()
            let thread = Thread { [self] in
                serve(Connection(fd: fd))
                lock.lock()
                connections.remove(fd)
                lock.unlock()
                close(fd)
            }
            thread.start()
        }
    }

    private func serve(_ connection: Connection) {
        do {
            while let request = try readRequest(connection) {
                lock.lock()
                received.append(request)
                lock.unlock()
                let response = handler(request)
                let closeAfter = !keepAlive || request.header("Connection")?.lowercased() == "close"
                guard try write(response, to: connection, head: request.method == "HEAD", close: closeAfter), !closeAfter else { return }
            }
        } catch {
            return
        }
    }

    private func readRequest(_ connection: Connection) throws -> Request? {
        guard let requestLine = try connection.readLine(), !requestLine.isEmpty else { return nil }
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { throw ServerError("bad request line: \(requestLine)") }
        var headers: [(name: String, value: String)] = []
        while let line = try connection.readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        if header("expect")?.lowercased() == "100-continue" { try connection.send(Data("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }

        var body = Data()
        var length = 0
        var hasher = SHA256()
        func consume(_ piece: Data) {
            length += piece.count
            hasher.update(data: piece)
            if length <= storedBodyLimit { body.append(piece) } else { body = Data() }
        }
        let chunked = header("transfer-encoding")?.lowercased().contains("chunked") ?? false
        if chunked {
            while true {
                guard let sizeLine = try connection.readLine(), let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw ServerError("bad chunk size")
                }
                if size == 0 {
                    while let trailer = try connection.readLine(), !trailer.isEmpty {}
                    break
                }
                try connection.read(count: size, into: consume)
                _ = try connection.readLine()
            }
        } else if let contentLength = header("content-length").flatMap({ Int($0) }), contentLength > 0 {
            try connection.read(count: contentLength, into: consume)
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Request(method: String(parts[0]), target: String(parts[1]), headers: headers, body: body, bodyLength: length, bodySHA256: digest, chunked: chunked)
    }

    /// Returns false when the connection must be closed after this response.
    private func write(_ response: Response, to connection: Connection, head: Bool, close: Bool) throws -> Bool {
        if case .dropConnection = response.action { return false }
        var head = head
        var lines = ["HTTP/1.1 \(response.status) \(Self.reason(response.status))"]
        var streamLength: Int?
        switch response.body {
        case .data(let data): streamLength = data.count
        case .stream(let length, _): streamLength = length
        }
        // A HEAD answer may announce the length a GET would send; otherwise the server sets it.
        let keepUserLength = head && response.headers.contains { $0.0.lowercased() == "content-length" }
        lines += response.headers.filter { keepUserLength || $0.0.lowercased() != "content-length" }.map { "\($0.0): \($0.1)" }
        if !keepUserLength {
            lines.append(streamLength.map { "Content-Length: \($0)" } ?? "Transfer-Encoding: chunked")
        }
        if close { lines.append("Connection: close") }
        try connection.send(Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8))
        if response.status == 204 || response.status == 304 { head = true }
        guard !head else { return true }
        switch (response.body, response.action) {
        case (.data(let data), .truncateBody(let after)):
            try connection.send(data.prefix(after))
            return false
        case (.data(let data), _):
            try connection.send(data)
        case (.stream(let length, let produce), let action):
            let writer = BodyWriter(connection: connection, chunked: length == nil)
            if case .truncateBody(let after) = action { connection.sendLimit = after }
            try produce(writer)
            if connection.sendLimit != nil { return false }
            if length == nil { try connection.send(Data("0\r\n\r\n".utf8)) }
        }
        return true
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A buffered socket: lines and fixed-size reads in, all-or-error writes out.
final class Connection {
    let fd: Int32
    private var buffer = [UInt8]()
    private var start = 0
    /// When set, writes stop (and fail) after this many more bytes: a cut-short body.
    var sendLimit: Int?

    init(fd: Int32) { self.fd = fd }

    private func fill() throws -> Bool {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count < 0 && errno == EINTR { return try fill() }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// A line without its CRLF, or nil at end of stream.
    func readLine() throws -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                var end = newline
                if end > start && buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                return line
            }
            if !(try fill()) { return nil }
        }
    }

    /// Reads exactly `count` bytes, handing them over in pieces.
    func read(count: Int, into consume: (Data) -> Void) throws {
        var remaining = count
        while remaining > 0 {
            if start == buffer.count, !(try fill()) { throw LoopbackHTTPServer.ServerError("connection closed mid-body") }
            let take = min(remaining, buffer.count - start)
            consume(Data(buffer[start..<(start + take)]))
            start += take
            remaining -= take
        }
    }

    func send(_ data: Data) throws {
        var data = data
        if let limit = sendLimit {
            if data.count > limit { data = data.prefix(limit) }
            sendLimit = limit - data.count
        }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let sent = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    throw LoopbackHTTPServer.ServerError("send: \(String(cString: strerror(errno)))")
                }
                offset += sent
            }
        }
        if sendLimit == 0 { throw LoopbackHTTPServer.ServerError("body cut short on purpose") }
    }
}
