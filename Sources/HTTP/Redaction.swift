import Foundation

/// Hides secrets in what a verbose trace prints: credential headers and tokens in URLs.
public enum Redaction {
    /// Header names whose values are secrets.
    public static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "private-token", "job-token", "deploy-token",
        "cookie", "set-cookie", "x-auth-token", "x-api-key", "x-registry-auth",
    ]

    /// Query parameter names (lowercased substrings) whose values are secrets: tokens,
    /// passwords, and the signatures of pre-signed storage URLs.
    static let secretQueryMarkers = ["token", "secret", "password", "passwd", "signature", "credential", "key", "sig", "auth", "jwt"]

    static let placeholder = "REDACTED"

    /// `value` with its secret part replaced when `name` is a credential header. The
    /// authorization scheme (`Bearer`, `Basic`) is kept because it helps debugging.
    public static func header(_ name: String, _ value: String) -> String {
        let lower = name.lowercased()
        guard secretHeaders.contains(lower) else {
            return lower == "location" || lower == "content-location" ? url(value) : value
        }
        if lower.hasSuffix("authorization"), let space = value.firstIndex(of: " ") {
            return "\(value[..<space]) \(placeholder)"
        }
        return placeholder
    }

    /// `text` (an absolute or relative URL) without a password and with secret query values hidden.
    public static func url(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return placeholder }
        if components.password != nil { components.password = placeholder }
        if let items = components.percentEncodedQueryItems {
            components.percentEncodedQueryItems = items.map { item in
                let name = item.name.lowercased()
                guard item.value != nil, secretQueryMarkers.contains(where: { name.contains($0) }) else { return item }
                return URLQueryItem(name: item.name, value: placeholder)
            }
        }
        return components.string ?? placeholder
    }
}
