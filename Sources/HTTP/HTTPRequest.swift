import Foundation

/// What a request sends: nothing, bytes in memory, or a byte range of a file read as it goes.
public enum HTTPBody: Sendable, Equatable {
    case empty
    case data(Data)
    /// `length` bytes of the file at `path` starting at `offset`, streamed without loading them.
    case file(path: String, offset: Int64 = 0, length: Int64)

    /// The number of bytes sent.
    public var length: Int64 {
        switch self {
        case .empty: return 0
        case .data(let data): return Int64(data.count)
        case .file(_, _, let length): return length
        }
    }
}

/// One HTTP request as a value; `HTTPClient.send` performs it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: HTTPHeaders
    public var body: HTTPBody
    /// Called from the sending thread with the number of body bytes sent so far.
    public var uploadProgress: (@Sendable (Int64) -> Void)?

    public init(method: String = "GET", url: URL, headers: HTTPHeaders = [:], body: HTTPBody = .empty, uploadProgress: (@Sendable (Int64) -> Void)? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.uploadProgress = uploadProgress
    }
}

/// Where a successful (2xx) response body goes. Bodies of other statuses are always kept in
/// memory (up to 1 MiB) so that an error page never lands in a file that looks like content.
public enum HTTPResponseDestination {
    /// Collected into `HTTPResponse.body`.
    case memory
    /// Streamed to the file at this path (created or truncated).
    case file(String)
    /// Handed chunk by chunk to the closure; a throw aborts the transfer and is rethrown.
    /// A transfer that already delivered bytes to a sink is not retried.
    case sink((UnsafeRawBufferPointer) throws -> Void)
}

/// A response: status, headers, and the body when it was collected in memory.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// The body for `.memory` destinations and for non-2xx statuses; empty otherwise.
    public var body: Data
    /// The URL that answered, after redirects.
    public var url: URL
    /// Body bytes received, wherever they went.
    public var bodyLength: Int64
    /// Set when the server asked to retry after a wait (seconds) longer than the retry policy
    /// honours, so the response was returned instead of waited for.
    public var declinedWait: (asked: TimeInterval, limit: TimeInterval)?

    public init(status: Int, headers: HTTPHeaders, body: Data, url: URL, bodyLength: Int64) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
        self.bodyLength = bodyLength
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// A sentence for an error message when `declinedWait` is set: what the server asked and
    /// how to let Sluice wait that long.
    public var declinedWaitExplanation: String? {
        declinedWait.map { wait in
            "the server asked to wait \(Int(wait.asked.rounded(.up))) s before trying again, longer than the \(Int(wait.limit)) s Sluice waits; "
                + "set \(RetryPolicy.longestWaitVariable)=\(Int(wait.asked.rounded(.up))) (seconds) to wait that long"
        }
    }
}
