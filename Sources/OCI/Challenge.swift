import Foundation

/// A `Www-Authenticate` challenge: its scheme (`Basic`, `Bearer`) and parameters.
public struct Challenge: Equatable, Sendable {
    public var scheme: String
    public var parameters: [String: String]

    /// Parses `Bearer realm="...",service="...",scope="..."`.
    public init?(_ header: String) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else {
            guard !trimmed.isEmpty else { return nil }
            scheme = trimmed.lowercased()
            parameters = [:]
            return
        }
        scheme = trimmed[..<space].lowercased()
        parameters = [:]
        var key = "", value = "", inValue = false, quoted = false
        func flush() {
            let name = key.trimmingCharacters(in: .whitespaces).lowercased()
            if !name.isEmpty { parameters[name] = value }
            key = ""; value = ""; inValue = false
        }
        for character in trimmed[trimmed.index(after: space)...] {
            if quoted {
                if character == "\"" { quoted = false } else { value.append(character) }
            } else if character == "\"" && inValue {
                quoted = true
            } else if character == "=" && !inValue {
                inValue = true
            } else if character == "," {
                flush()
            } else if inValue {
                if character != " " { value.append(character) }
            } else {
                key.append(character)
            }
        }
        flush()
    }
}
