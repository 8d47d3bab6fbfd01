import CCurl
import Foundation

/// A synchronous HTTP client over libcurl, safe to share between threads.
///
/// It retries per its `RetryPolicy`, follows redirects itself so that credential headers are
/// dropped when a redirect leaves the origin (a registry sending blob downloads to a storage
/// bucket never receives the registry token), and traces requests with secrets redacted.
/// Proxies come from libcurl's own environment handling (`http_proxy`, `https_proxy`/
/// `HTTPS_PROXY`, `all_proxy`, `no_proxy`; libcurl ignores upper-case `HTTP_PROXY` on purpose)
/// unless `Configuration.proxy` names one.
public final class HTTPClient: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Seconds to establish a connection.
        public var connectTimeout: TimeInterval = 30
        /// Seconds for a whole exchange; nil for none (large uploads rely on `lowSpeed*`).
        public var timeout: TimeInterval?
        /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` seconds is aborted (and retried).
        public var lowSpeedLimit = 1
        public var lowSpeedTime: TimeInterval = 60
        public var retry = RetryPolicy()
        /// A PEM file of CA certificates to trust instead of the system's.
        public var caBundle: String?
        /// An explicit proxy URL; nil means the environment's.
        public var proxy: String?
        public var maxRedirects = 10
        /// Headers never sent to an origin other than the one they were given for.
        public var credentialHeaders: Set<String> = ["authorization", "private-token", "job-token", "deploy-token", "cookie", "x-auth-token", "x-api-key"]
        public var userAgent = "sluice"
        /// Receives one line per request, response, retry and redirect, secrets redacted.
        public var trace: (@Sendable (String) -> Void)?

        public init() {}
    }

    public let configuration: Configuration
    private let lock = NSLock()
    private var idleHandles: [UnsafeMutableRawPointer] = []

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    public init(configuration: Configuration = Configuration()) {
        _ = Self.globalInit
        self.configuration = configuration
    }

    deinit {
        for handle in idleHandles { curl_easy_cleanup(handle) }
    }

    /// Sends `request`, following redirects and retrying, and returns the final response.
    /// Non-2xx statuses are returned, not thrown; network failures throw `HTTPError`.
    public func send(_ request: HTTPRequest, into destination: HTTPResponseDestination = .memory) throws -> HTTPResponse {
        var current = request
        var redirects = 0
        while true {
            let response = try sendRetrying(current, into: destination)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.headers["Location"] else {
                return response
            }
            guard let next = URL(string: location, relativeTo: current.url)?.absoluteURL, ["http", "https"].contains(next.scheme?.lowercased() ?? "") else {
                throw HTTPError(code: nil, message: "\(current.method) \(Redaction.url(current.url.absoluteString)): unusable redirect to \(Redaction.url(location))")
            }
            redirects += 1
            if redirects > configuration.maxRedirects {
                throw HTTPError(code: nil, message: "\(request.method) \(Redaction.url(request.url.absoluteString)): more than \(configuration.maxRedirects) redirects")
            }
            current = redirected(current, to: next, status: response.status)
        }
    }

    /// The request to send after a redirect: credentials dropped off-origin, method per RFC 9110.
    func redirected(_ request: HTTPRequest, to next: URL, status: Int) -> HTTPRequest {
        var result = request
        if !Self.sameOrigin(request.url, next) {
            for name in configuration.credentialHeaders { result.headers.remove(name) }
        }
        let method = request.method.uppercased()
        if status == 303 && method != "HEAD" || (status == 301 || status == 302) && method == "POST" {
            result.method = "GET"
            result.body = .empty
            result.headers.remove("Content-Type")
            result.headers.remove("Content-Length")
        }
        result.url = next
        trace("redirect \(status) -> \(Redaction.url(next.absoluteString))\(Self.sameOrigin(request.url, next) ? "" : " (credentials dropped: another origin)")")
        return result
    }

    /// Whether two URLs share scheme, host and port (the origin credentials belong to).
    public static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && effectivePort(a) == effectivePort(b)
    }

    private static func effectivePort(_ url: URL) -> Int {
        url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
    }

    private func sendRetrying(_ request: HTTPRequest, into destination: HTTPResponseDestination) throws -> HTTPResponse {
        let policy = configuration.retry
        var attempt = 1
        while true {
            traceRequest(request)
            let started = Date()
            do {
                var response = try exchange(request, into: destination)
                trace("< \(response.status) \(Redaction.url(request.url.absoluteString)) (\(String(format: "%.2f", Date().timeIntervalSince(started)))s)")
                for field in response.headers { trace("< \(field.name): \(Redaction.header(field.name, field.value))") }
                guard attempt < policy.attempts, RetryPolicy.isRetryable(status: response.status) else { return response }
                let asked = RetryPolicy.serverDelay(response.headers)
                if let asked, asked > policy.longestServerDelay {
                    trace("not retrying: the server asks to wait \(Int(asked))s, longer than \(Int(policy.longestServerDelay))s")
                    response.declinedWait = (asked, policy.longestServerDelay)
                    return response
                }
                let delay = asked ?? policy.backoff(retry: attempt)
                trace("retry \(attempt)/\(policy.attempts - 1) in \(String(format: "%.2f", delay))s after status \(response.status)")
                policy.sleep(delay)
            } catch let failed as CurlExchange.Failed {
                if case .file(let path) = destination { unlink(path) }
                guard attempt < policy.attempts, !failed.deliveredToSink, let error = failed.error as? HTTPError, Self.isRetryable(error) else {
                    throw failed.error
                }
                let delay = policy.backoff(retry: attempt)
                trace("retry \(attempt)/\(policy.attempts - 1) in \(String(format: "%.2f", delay))s after: \(error.message)")
                policy.sleep(delay)
            }
            attempt += 1
        }
    }

    /// Connection-level failures that a new attempt may not meet.
    static func isRetryable(_ error: HTTPError) -> Bool {
        guard let code = error.code else { return false }
        let retryable: [CURLcode] = [CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING, CURLE_SEND_ERROR,
                                     CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM]
        return retryable.contains { Int($0.rawValue) == code }
    }

    private func exchange(_ request: HTTPRequest, into destination: HTTPResponseDestination) throws -> HTTPResponse {
        let handle = checkoutHandle()
        defer { checkin(handle) }
        return try CurlExchange(request: request, destination: destination).perform(on: handle, configuration: configuration)
    }

    /// Handles are pooled so that connections are reused across requests.
    private func checkoutHandle() -> UnsafeMutableRawPointer {
        lock.lock()
        defer { lock.unlock() }
        if let handle = idleHandles.popLast() { return handle }
        return curl_easy_init()
    }

    private func checkin(_ handle: UnsafeMutableRawPointer) {
        lock.lock()
        idleHandles.append(handle)
        lock.unlock()
    }

    private func traceRequest(_ request: HTTPRequest) {
        guard configuration.trace != nil else { return }
        trace("> \(request.method) \(Redaction.url(request.url.absoluteString))")
        for field in request.headers { trace("> \(field.name): \(Redaction.header(field.name, field.value))") }
    }

    private func trace(_ line: @autoclosure () -> String) {
        configuration.trace?(line())
    }
}
