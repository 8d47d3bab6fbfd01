/// URLs Sluice records (image annotations, `run.json`, reports, comments) never carry
/// credentials: a CI variable such as `GIT_URL=https://user:token@git.example/repo.git` is
/// recorded as `https://git.example/repo.git`.
public enum RecordedURL {
    /// `text` without the userinfo (`user:password@`) of its authority; anything that is not
    /// a `scheme://` URL is returned unchanged.
    public static func withoutCredentials(_ text: String) -> String {
        guard let separator = text.range(of: "://") else { return text }
        let authorityStart = separator.upperBound
        let authorityEnd = text[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        guard let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<authorityStart]) + String(text[text.index(after: at)...])
    }
}
