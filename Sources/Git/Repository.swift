import CGit2
import Core
import Foundation

/// libgit2 must be initialised once per process before any other call; a lazily
/// initialised global runs exactly once, thread-safely.
private let libgit2Ready: Void = { _ = git_libgit2_init() }()

/// A git repository opened with libgit2: the facts a CI run needs about its checkout.
///
/// Revisions are anything `git rev-parse` accepts (`HEAD`, `main`, `origin/main`, a SHA).
public final class Repository: @unchecked Sendable {
    let handle: OpaquePointer
    /// The working directory (or the git directory of a bare repository).
    public let path: String

    /// Opens the repository containing `path`, searching parent directories like `git` does.
    public init(discoveringFrom path: String) throws {
        _ = libgit2Ready
        var repo: OpaquePointer?
        let code = git_repository_open_ext(&repo, path, 0, nil)
        if code == GIT_ENOTFOUND.rawValue {
            throw Failure.usage("\(path) is not inside a git repository")
        }
        try LibGit2Errors.check(code, "cannot open the git repository at \(path)")
        handle = repo!
        let root = git_repository_workdir(handle) ?? git_repository_path(handle)
        self.path = root.map { String(cString: $0) } ?? path
    }

    deinit { git_repository_free(handle) }

    /// The commit HEAD points at, and its branch.
    ///
    /// CI systems check out a detached HEAD; then `fallbackBranch` (the branch the CI names,
    /// such as `CI_COMMIT_REF_NAME` or `GITHUB_HEAD_REF`) is reported instead.
    public func head(fallbackBranch: String? = nil) throws -> Head {
        let commit = try resolve("HEAD")
        let detached = git_repository_head_detached(handle) == 1
        var branch: String? = nil
        if !detached {
            var reference: OpaquePointer?
            try LibGit2Errors.check(git_repository_head(&reference, handle), "cannot read HEAD")
            defer { git_reference_free(reference) }
            if git_reference_is_branch(reference) == 1 {
                branch = String(cString: git_reference_shorthand(reference))
            }
        }
        return Head(commit: commit, branch: branch ?? fallbackBranch, detached: detached)
    }

    /// The full SHA of the commit `revision` names.
    public func resolve(_ revision: String) throws -> String {
        try withCommit(revision) { commit in Self.hex(git_commit_id(commit)) }
    }

    /// Whether `revision` names a commit in this repository.
    public func exists(_ revision: String) -> Bool {
        (try? resolve(revision)) != nil
    }

    /// The best common ancestor of two revisions, as `git merge-base a b` prints it.
    public func mergeBase(_ a: String, _ b: String) throws -> String {
        var first = try oid(a), second = try oid(b)
        var base = git_oid()
        try LibGit2Errors.check(git_merge_base(&base, handle, &first, &second), "no merge base between \(a) and \(b)")
        return Self.hex(&base)
    }

    /// The merge base of `revision` with a target branch, looked up as a local branch first,
    /// then as a remote-tracking branch (`origin/<branch>`, or any remote's), since CI
    /// clones often only have the remote-tracking ref of the target.
    public func mergeBase(of revision: String = "HEAD", withBranch branch: String) throws -> MergeBase {
        guard let target = targetReference(for: branch) else {
            throw Failure.usage("the target branch \(branch) is neither a local branch nor a remote-tracking branch in \(path); fetch it first (for example `git fetch origin \(branch)`)")
        }
        do {
            return MergeBase(targetReference: target, commit: try mergeBase(revision, target))
        } catch let failure as Failure where git_repository_is_shallow(handle) == 1 {
            // CI clones are shallow by default (GitLab GIT_DEPTH 20, actions/checkout depth 1),
            // which cuts the history before the common ancestor.
            throw Failure(failure.exitStatus, "\(failure.message); the clone is shallow: fetch full history (GitLab `GIT_DEPTH: 0`, actions/checkout `fetch-depth: 0`, or `git fetch --unshallow`)")
        }
    }

    /// The first of `refs/heads/<branch>`, `refs/remotes/origin/<branch>` and any other
    /// remote's `refs/remotes/*/<branch>` that exists.
    func targetReference(for branch: String) -> String? {
        let candidates = ["refs/heads/\(branch)", "refs/remotes/origin/\(branch)", branch]
        if let found = candidates.first(where: { exists($0) }) { return found }
        return remoteTrackingReferences().first { $0.hasSuffix("/\(branch)") && $0.hasPrefix("refs/remotes/") }
    }

    private func remoteTrackingReferences() -> [String] {
        var names = git_strarray()
        guard git_reference_list(&names, handle) == 0 else { return [] }
        defer { git_strarray_dispose(&names) }
        return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }.sorted()
    }

    /// The paths that differ between the trees of two revisions: added, modified, deleted,
    /// and both sides of a rename, sorted.
    public func changedPaths(from base: String, to revision: String) throws -> [String] {
        try withTree(base) { baseTree in
            try withTree(revision) { tree in
                var diff: OpaquePointer?
                try LibGit2Errors.check(git_diff_tree_to_tree(&diff, handle, baseTree, tree, nil), "cannot diff \(base)..\(revision)")
                defer { git_diff_free(diff) }
                var paths = Set<String>()
                for index in 0..<git_diff_num_deltas(diff) {
                    guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
                    if let old = delta.old_file.path { paths.insert(String(cString: old)) }
                    if let new = delta.new_file.path { paths.insert(String(cString: new)) }
                }
                return paths.sorted()
            }
        }
    }

    /// The bytes of `file` (a path relative to the repository root) as it is at `revision`,
    /// or nil when the file does not exist there.
    public func contents(of file: String, at revision: String) throws -> Data? {
        try withTree(revision) { tree in
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, tree, file)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try LibGit2Errors.check(code, "cannot look up \(file) at \(revision)")
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else {
                throw Failure.usage("\(file) at \(revision) is a directory, not a file")
            }
            var blob: OpaquePointer?
            try LibGit2Errors.check(git_blob_lookup(&blob, handle, git_tree_entry_id(entry)), "cannot read \(file) at \(revision)")
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
            return Data(bytes: bytes, count: size)
        }
    }

    // MARK: - libgit2 plumbing

    private func oid(_ revision: String) throws -> git_oid {
        try withCommit(revision) { git_commit_id($0).pointee }
    }

    private func withCommit<T>(_ revision: String, _ body: (OpaquePointer?) throws -> T) throws -> T {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, handle, revision)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EAMBIGUOUS.rawValue || code == GIT_EINVALIDSPEC.rawValue {
            throw Failure.usage("unknown revision \(revision) in \(path)")
        }
        try LibGit2Errors.check(code, "cannot resolve \(revision)")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try LibGit2Errors.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "\(revision) does not name a commit")
        defer { git_object_free(commit) }
        return try body(commit)
    }

    private func withTree<T>(_ revision: String, _ body: (OpaquePointer?) throws -> T) throws -> T {
        try withCommit(revision) { commit in
            var tree: OpaquePointer?
            try LibGit2Errors.check(git_commit_tree(&tree, commit), "cannot read the tree of \(revision)")
            defer { git_tree_free(tree) }
            return try body(tree)
        }
    }

    private static func hex(_ oid: UnsafePointer<git_oid>?) -> String {
        guard let oid else { return "" }
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_tostr(&buffer, buffer.count, oid)
        return String(cString: buffer)
    }
}

/// What HEAD points at.
public struct Head: Equatable, Sendable {
    /// The full commit SHA.
    public let commit: String
    /// The branch name: HEAD's own branch, or the caller's fallback on a detached checkout.
    public let branch: String?
    /// Whether HEAD is detached (as in most CI checkouts).
    public let detached: Bool
}

/// The common ancestor with a target branch.
public struct MergeBase: Equatable, Sendable {
    /// The reference that was used for the target, e.g. `refs/remotes/origin/main`.
    public let targetReference: String
    /// The merge-base commit SHA.
    public let commit: String
}
