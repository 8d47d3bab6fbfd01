/// A path pattern as users write them in `.gitignore`-like configs: `*` matches within one
/// path segment, `**` matches any number of segments, `?` one character, and a pattern
/// naming a directory (`data/` or `data`) matches everything below it.
public struct PathGlob: Equatable, Sendable {
    /// The pattern as written.
    public let pattern: String
    private let segments: [Substring]

    public init(_ pattern: String) {
        self.pattern = pattern
        var trimmed = pattern
        while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        if trimmed.hasSuffix("/") { trimmed += "**" }
        segments = trimmed.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// Whether `path` (relative to the repository root, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        // A pattern that names a directory also matches the files below it.
        return match(segments[...], parts[...], allowPrefix: !segments.contains { $0.contains("*") || $0.contains("?") } || segments.last == "**")
    }

    private func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>, allowPrefix: Bool) -> Bool {
        guard let head = pattern.first else { return path.isEmpty || allowPrefix }
        if head == "**" {
            let rest = pattern.dropFirst()
            var remaining = path
            while true {
                if match(rest, remaining, allowPrefix: allowPrefix) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let segment = path.first, Self.matchSegment(Array(head.utf8)[...], Array(segment.utf8)[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst(), allowPrefix: allowPrefix)
    }

    /// Matches one segment with `*` and `?` wildcards.
    private static func matchSegment(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let p = pattern.first else { return text.isEmpty }
        if p == UInt8(ascii: "*") {
            var rest = text
            while true {
                if matchSegment(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let t = text.first, p == UInt8(ascii: "?") || p == t else { return false }
        return matchSegment(pattern.dropFirst(), text.dropFirst())
    }
}
