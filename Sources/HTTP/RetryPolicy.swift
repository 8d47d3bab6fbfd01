import Foundation

/// When and how long to wait before trying a request again.
///
/// Connection errors, 5xx and 429 are retried with exponential backoff and jitter. A server's
/// own `Retry-After` (seconds or an HTTP date) or `RateLimit-Reset` (seconds, or a Unix time
/// as GitLab sends it) wins over the backoff; when it asks for longer than
/// `longestServerDelay` (120 s, or `SLUICE_RETRY_MAX_WAIT`), the response is returned rather
/// than waited for, marked with `HTTPResponse.declinedWait` so errors can say why.
public struct RetryPolicy: Sendable {
    /// Total tries, including the first.
    public var attempts: Int
    /// The first backoff delay in seconds; each retry doubles it.
    public var baseDelay: TimeInterval
    /// The longest backoff delay in seconds.
    public var maxDelay: TimeInterval
    /// The longest server-requested wait Sluice honours, in seconds.
    public var longestServerDelay: TimeInterval
    /// Waits; tests replace it to record delays instead of sleeping.
    public var sleep: @Sendable (TimeInterval) -> Void

    /// The environment variable that raises (or lowers) `longestServerDelay`, in seconds.
    public static let longestWaitVariable = "SLUICE_RETRY_MAX_WAIT"

    /// 120 seconds unless `SLUICE_RETRY_MAX_WAIT` says otherwise.
    public static var defaultLongestServerDelay: TimeInterval {
        ProcessInfo.processInfo.environment[longestWaitVariable].flatMap(TimeInterval.init).map { max(0, $0) } ?? 120
    }

    public init(attempts: Int = 5, baseDelay: TimeInterval = 0.5, maxDelay: TimeInterval = 30, longestServerDelay: TimeInterval = RetryPolicy.defaultLongestServerDelay,
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.longestServerDelay = longestServerDelay
        self.sleep = sleep
    }

    /// No retries.
    public static var none: RetryPolicy { RetryPolicy(attempts: 1) }

    /// Whether a response with `status` is worth another try.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status) && status != 501 && status != 505
    }

    /// The backoff before retry number `retry` (1 for the first retry), with "equal jitter":
    /// half the delay fixed, half random, so many clients do not retry in lockstep.
    public func backoff(retry: Int) -> TimeInterval {
        let full = min(maxDelay, baseDelay * pow(2, Double(retry - 1)))
        return full / 2 + Double.random(in: 0...(full / 2))
    }

    /// The wait a response asks for, from `Retry-After` or `RateLimit-Reset`, if any.
    public static func serverDelay(_ headers: HTTPHeaders, now: Date = Date()) -> TimeInterval? {
        if let value = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) {
            if let seconds = TimeInterval(value) { return max(0, seconds) }
            if let date = httpDate(value) { return max(0, date.timeIntervalSince(now)) }
        }
        if let value = headers["RateLimit-Reset"].flatMap({ TimeInterval($0.trimmingCharacters(in: .whitespaces)) }) {
            // Below a billion it is a delta in seconds (IETF draft); above, a Unix time (GitLab).
            return value < 1_000_000_000 ? max(0, value) : max(0, value - now.timeIntervalSince1970)
        }
        return nil
    }

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
