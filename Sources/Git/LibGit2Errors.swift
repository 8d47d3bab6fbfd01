import CGit2
import Core

/// Turns libgit2 return codes into `Failure`s carrying libgit2's own message.
enum LibGit2Errors {
    /// Throws when `code` is negative.
    static func check(_ code: Int32, _ what: @autoclosure () -> String) throws {
        guard code < 0 else { return }
        throw last(code, what())
    }

    /// The error libgit2 recorded for the current thread, prefixed with what was being done.
    static func last(_ code: Int32, _ what: String) -> Failure {
        let detail = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "libgit2 error \(code)"
        // A revision or path that is not there is the caller's input, not a broken machine.
        let status: ExitStatus = code == GIT_ENOTFOUND.rawValue || code == GIT_EAMBIGUOUS.rawValue ? .usage : .runtime
        return Failure(status, "\(what): \(detail)")
    }
}
