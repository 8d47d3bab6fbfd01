import Core

/// Escaping for every place a value from the merge request or the data (branch names,
/// titles, column names, gate names) lands, so it shows as text and cannot break the
/// surrounding format, ping people or reference issues.
enum Escape {
    /// Inline Markdown (GitLab and GitHub flavoured), also safe inside a table cell.
    static func markdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "~", "$": out += "\\\(character)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            // Entities keep `@user`, `#12`, `!3` and `%milestone` from becoming mentions and references.
            case "@": out += "&#64;"
            case "#": out += "&#35;"
            case "%": out += "&#37;"
            case "!": out += "&#33;"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Text shown inside an inline code span (a hash, a commit). Backslash escapes do not
    /// work there, so every character that could end the span, the table cell or the line
    /// (anything but letters, digits and `.:_+=/-`) becomes `?`.
    static func codeSpan(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".:_+=/-".contains($0)) ? $0 : "?" })
    }

    /// A link target, or nil when it is not an http(s) URL (a `javascript:` link from a
    /// variable must not become clickable). Credentials in it (`user:token@`) are dropped and
    /// characters that end a Markdown link are encoded.
    static func url(_ text: String?) -> String? {
        guard let text = text.map(RecordedURL.withoutCredentials), let scheme = text.split(separator: ":").first?.lowercased(), scheme == "https" || scheme == "http" else { return nil }
        var out = ""
        for character in text {
            switch character {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            case "\"": out += "%22"
            case "'": out += "%27"
            case "`": out += "%60"
            case "\n", "\r", "\r\n": continue
            default: out.append(character)
            }
        }
        return out
    }

    /// HTML text and attribute values.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A label inside a Mermaid chart's quoted string: quotes, backticks (which could close
    /// the code block), brackets and line breaks replaced.
    static func mermaidLabel(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "'"
            case "`": out += "'"
            case "\n", "\r", "\r\n": out += " "
            case "[", "]": out += character == "[" ? "(" : ")"
            case "<", ">", "{", "}": continue
            case ",", ";": out += " "
            default: out.append(character)
            }
        }
        return String(out.prefix(40))
    }

    /// An OpenMetrics label value.
    static func openMetricsLabel(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n", "\r\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
