import Foundation

/// RFC 8288 `Link` headers, which forges and registries use to page through lists.
public enum LinkHeader {
    /// One link: its target and relation types.
    public struct Link: Equatable, Sendable {
        public var target: String
        public var relations: [String]
    }

    /// Parses every link in a `Link` header value. Commas inside `<...>` or quotes are kept.
    public static func parse(_ value: String) -> [Link] {
        var links: [Link] = []
        for part in splitOutsideBrackets(value, separator: ",") {
            let pieces = splitOutsideBrackets(part, separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = pieces.first, first.hasPrefix("<"), first.hasSuffix(">") else { continue }
            let target = String(first.dropFirst().dropLast())
            var relations: [String] = []
            for parameter in pieces.dropFirst() {
                guard let equals = parameter.firstIndex(of: "=") else { continue }
                let key = parameter[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
                var raw = parameter[parameter.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 { raw = String(raw.dropFirst().dropLast()) }
                if key == "rel" { relations += raw.split(separator: " ").map { $0.lowercased() } }
            }
            links.append(Link(target: target, relations: relations))
        }
        return links
    }

    /// The `rel="next"` target of a response, resolved against the URL that answered.
    public static func next(in response: HTTPResponse) -> URL? {
        for value in response.headers.values("Link") {
            if let link = parse(value).first(where: { $0.relations.contains("next") }) {
                return URL(string: link.target, relativeTo: response.url)?.absoluteURL
            }
        }
        return nil
    }

    private static func splitOutsideBrackets(_ text: String, separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var inBrackets = false, inQuotes = false
        for character in text {
            switch character {
            case "<" where !inQuotes: inBrackets = true
            case ">" where !inQuotes: inBrackets = false
            case "\"" where !inBrackets: inQuotes.toggle()
            default: break
            }
            if character == separator, !inBrackets, !inQuotes {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current) }
        return parts
    }
}
