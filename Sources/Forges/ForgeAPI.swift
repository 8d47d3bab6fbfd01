import CIEnvironment
import Foundation
import HTTP

/// A comment on a merge request or pull request, as a forge lists it.
struct ForgeComment: Equatable {
    let id: Int
    let body: String
    let authorID: Int?
    let authorLogin: String?
    /// GitLab's system notes ("added 1 commit"); never Sluice's to edit.
    let system: Bool
}

/// Who the token belongs to, so Sluice only ever edits its own comments.
struct ForgeUser: Equatable {
    let id: Int?
    let login: String
}

/// The commit status states Sluice sets.
enum StatusState: Equatable {
    case success, failure
}

/// The few calls of a forge's REST API that sticky comments and commit statuses need.
protocol ForgeAPI {
    var kind: CIFacts.ForgeKind { get }
    func currentUser() throws -> ForgeUser
    /// Every comment, following pagination to the last page.
    func comments(number: Int) throws -> [ForgeComment]
    func createComment(number: Int, body: String) throws -> ForgeComment
    func updateComment(number: Int, id: Int, body: String) throws -> ForgeComment
    /// Deletes one of the token owner's comments; one already gone (404) is not an error.
    func deleteComment(number: Int, id: Int) throws
    func setStatus(commit: String, state: StatusState, context: String, description: String, targetURL: String?) throws
    /// The web address of a comment, for the log line.
    func commentURL(number: Int, id: Int, changeURL: String?) -> String?
}

/// A forge API call that did not succeed: the status, and the forge's own message.
struct ForgeAPIError: Error, CustomStringConvertible {
    let status: Int?
    let message: String
    var description: String { message }
}

/// JSON requests with a token header, answers checked and decoded; shared by both forges.
struct JSONTransport {
    let client: HTTPClient
    let apiURL: String
    let headers: HTTPHeaders
    /// The token, so that no message built from a response can ever carry it.
    let secret: String

    func url(_ path: String, query: [(String, String)] = []) throws -> URL {
        var components = URLComponents(string: apiURL.hasSuffix("/") ? String(apiURL.dropLast()) + path : apiURL + path)
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.url else { throw ForgeAPIError(status: nil, message: "\(apiURL)\(path) is not a valid URL") }
        return url
    }

    func send(_ method: String, _ url: URL, json: [String: Any]? = nil) throws -> (Any, HTTPResponse) {
        var request = HTTPRequest(method: method, url: url, headers: headers)
        if let json {
            request.body = .data(try JSONSerialization.data(withJSONObject: json))
            request.headers.set("Content-Type", "application/json")
        }
        var response = try exchange(request)
        if let wait = Self.rateLimitWait(response), wait <= Self.longestRateLimitWait {
            // GitHub's rate limits answer 403 (or 429) with x-ratelimit-* or Retry-After,
            // which the HTTP client does not retry as a 403; wait once when it is soon.
            client.configuration.retry.sleep(wait)
            response = try exchange(request)
        }
        guard response.isSuccess else {
            throw ForgeAPIError(status: response.status, message: redact("\(method) \(Redaction.url(url.absoluteString)) answered \(response.status): \(Self.message(response))"))
        }
        let object = response.body.isEmpty ? [:] : ((try? JSONSerialization.jsonObject(with: response.body)) ?? [:])
        return (object, response)
    }

    /// The longest rate-limit reset worth waiting for inside a CI job.
    static let longestRateLimitWait: TimeInterval = 120

    private func exchange(_ request: HTTPRequest) throws -> HTTPResponse {
        do {
            return try client.send(request)
        } catch {
            throw ForgeAPIError(status: nil, message: redact("\(request.method) \(Redaction.url(request.url.absoluteString)): \(error)"))
        }
    }

    /// Seconds until a rate-limited request may be sent again, when the answer is a rate
    /// limit: `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (Unix time), or a
    /// `Retry-After` on a 403 (GitHub's secondary limits).
    static func rateLimitWait(_ response: HTTPResponse, now: Date = Date()) -> TimeInterval? {
        guard response.status == 403 || response.status == 429 else { return nil }
        if response.headers["x-ratelimit-remaining"]?.trimmingCharacters(in: .whitespaces) == "0",
           let reset = response.headers["x-ratelimit-reset"].flatMap({ TimeInterval($0.trimmingCharacters(in: .whitespaces)) }) {
            return max(0, reset - now.timeIntervalSince1970) + 1
        }
        return response.status == 403 ? RetryPolicy.serverDelay(response.headers, now: now) : nil
    }

    func redact(_ text: String) -> String {
        secret.isEmpty ? text : text.replacingOccurrences(of: secret, with: "REDACTED")
    }

    /// The forge's error message: GitLab `message`/`error`, GitHub `message` plus `errors[].message`.
    static func message(_ response: HTTPResponse) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            return String(response.text.prefix(200))
        }
        var parts: [String] = []
        if let message = object["message"] { parts.append(flatten(message)) }
        if let error = object["error"] { parts.append(flatten(error)) }
        if let description = object["error_description"] as? String { parts.append(description) }
        if let errors = object["errors"] as? [[String: Any]] { parts += errors.compactMap { $0["message"] as? String } }
        return parts.isEmpty ? String(response.text.prefix(200)) : parts.joined(separator: "; ")
    }

    private static func flatten(_ value: Any) -> String {
        if let text = value as? String { return text }
        if let map = value as? [String: Any] { return map.sorted { $0.key < $1.key }.map { "\($0.key) \(flatten($0.value))" }.joined(separator: "; ") }
        if let list = value as? [Any] { return list.map(flatten).joined(separator: ", ") }
        return "\(value)"
    }

    /// Pages through a list: `Link: rel="next"` first, else GitLab's `x-next-page`, which is
    /// empty on the last page.
    func all(_ firstURL: URL, limit: Int = 1000) throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var next: URL? = firstURL
        var pages = 0
        while let url = next {
            pages += 1
            guard pages <= limit else { throw ForgeAPIError(status: nil, message: "more than \(limit) pages of comments at \(Redaction.url(firstURL.absoluteString))") }
            let (object, response) = try send("GET", url)
            guard let page = object as? [[String: Any]] else {
                throw ForgeAPIError(status: response.status, message: "GET \(Redaction.url(url.absoluteString)) did not answer with a list")
            }
            items += page
            next = LinkHeader.next(in: response) ?? Self.nextPage(response, after: url)
        }
        return items
    }

    static func nextPage(_ response: HTTPResponse, after url: URL) -> URL? {
        guard let page = response.headers["x-next-page"]?.trimmingCharacters(in: .whitespaces), !page.isEmpty,
              var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
        var items = (components.queryItems ?? []).filter { $0.name != "page" }
        items.append(URLQueryItem(name: "page", value: page))
        components.queryItems = items
        return components.url
    }
}
