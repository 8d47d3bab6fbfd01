import Core
import Foundation
import HTTP

/// Where a run's (or a model version's) artifacts are and how to reach them over HTTP.
///
/// Sluice only moves artifacts through the tracking server: MLflow's proxied artifact API
/// (`mlflow-artifacts:` roots, a server started with `--serve-artifacts`) or a plain HTTP(S)
/// root such as GitLab's package URLs. `runs:/<id>/<path>` is resolved to its run's root.
public enum MLflowArtifactRoot: Sendable, Equatable {
    /// Relative to `<tracking URI>/api/2.0/mlflow-artifacts/artifacts/`.
    case proxied(path: String)
    /// Files are `<url>/<path>`.
    case http(URL)

    /// Parses an artifact URI the server gave; `runs:` URIs must be resolved first (`MLflowClient.artifactRoot`).
    public init(_ uri: String) throws {
        let lower = uri.lowercased()
        if lower.hasPrefix("mlflow-artifacts:") {
            // mlflow-artifacts:/1/<run>/artifacts, or mlflow-artifacts://host/1/... (the host is the tracking server).
            var rest = String(uri.dropFirst("mlflow-artifacts:".count))
            if rest.hasPrefix("//") { rest = String(rest.dropFirst(2).drop { $0 != "/" }) }
            self = .proxied(path: rest.split(separator: "/").joined(separator: "/"))
        } else if lower.hasPrefix("http://") || lower.hasPrefix("https://"), let url = URL(string: uri) {
            self = .http(url)
        } else {
            let scheme = uri.split(separator: ":", maxSplits: 1).first.map(String.init) ?? uri
            throw Failure(.runtime, "MLflow artifact location '\(Redaction.url(uri))' is '\(scheme):' storage that Sluice cannot reach through the tracking server; start the MLflow server with --serve-artifacts (artifact URIs then begin with mlflow-artifacts:)")
        }
    }

    /// The root of `child` (a relative path) beneath this one.
    public func appending(_ child: String) throws -> MLflowArtifactRoot {
        let parts = try MLflowArtifactPath.components(child)
        switch self {
        case .proxied(let path): return .proxied(path: ([path] + parts).filter { !$0.isEmpty }.joined(separator: "/"))
        case .http(let url): return .http(parts.reduce(url) { $0.appendingPathComponent($1) })
        }
    }
}

/// Checks artifact paths that come from a server before they become local file names: only
/// plain relative paths, so a download stays strictly beneath its directory.
public enum MLflowArtifactPath {
    /// The path's components; throws for an absolute path, `.`/`..`, backslashes, NUL or empty components.
    public static func components(_ path: String) throws -> [String] {
        if path.isEmpty { return [] }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0"),
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw Failure(.runtime, "MLflow artifact path '\(path)' is not a plain relative path; refusing to write it")
        }
        return parts
    }
}

extension MLflowClient {
    /// Limits on what one download may write, so an odd server cannot fill the disk with files.
    public enum DownloadLimits {
        public static let files = 10_000
        public static let depth = 32
    }

    /// The artifact root a URI names, resolving `runs:/<run id>/<path>` through the run.
    public func artifactRoot(_ uri: String) throws -> MLflowArtifactRoot {
        guard uri.lowercased().hasPrefix("runs:/") else { return try MLflowArtifactRoot(uri) }
        let rest = uri.dropFirst("runs:/".count).split(separator: "/", maxSplits: 1).map(String.init)
        guard let runID = rest.first, !runID.isEmpty else { throw Failure(.runtime, "MLflow artifact URI '\(uri)' names no run") }
        return try MLflowArtifactRoot(run(id: runID).info.artifactURI).appending(rest.count > 1 ? rest[1] : "")
    }

    /// Uploads the file at `file` as `path` (relative, may contain directories) beneath `root`.
    public func uploadArtifact(file: String, to root: MLflowArtifactRoot, as path: String) throws {
        let size = try (FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
        let target = try fileURL(root.appending(path))
        _ = try send(request("PUT", target, body: .file(path: file, offset: 0, length: size), contentType: "application/octet-stream"),
                     operation: "upload artifact \(path)")
    }

    /// The entries directly beneath `path` of a proxied root.
    public func listArtifacts(_ root: MLflowArtifactRoot, path: String = "") throws -> [MLflowArtifactFile] {
        guard case .proxied(let base) = try root.appending(path) else {
            throw Failure(.runtime, "MLflow: listing artifacts needs the tracking server's artifact API (mlflow-artifacts:); this server's artifacts are plain URLs")
        }
        struct Reply: Decodable {
            struct Entry: Decodable { let path: String; let is_dir: Bool?; let file_size: Int64? }
            let files: [Entry]?
        }
        let url = artifactsURL(query: base)
        let reply: Reply = try decode(send(request("GET", url), operation: "list artifacts \(path.isEmpty ? "/" : path)"), operation: "list artifacts")
        return try (reply.files ?? []).map { entry in
            _ = try MLflowArtifactPath.components(entry.path)
            let full = path.isEmpty ? entry.path : "\(path)/\(entry.path)"
            return MLflowArtifactFile(path: full, isDirectory: entry.is_dir ?? false, size: entry.file_size)
        }
    }

    /// Downloads one artifact to `destination`, atomically (a temporary file, then a rename).
    public func downloadArtifact(_ root: MLflowArtifactRoot, path: String, to destination: String) throws {
        let target = try fileURL(root.appending(path))
        let temporary = destination + ".part-\(getpid())"
        defer { unlink(temporary) }
        _ = try send(request("GET", target), into: .file(temporary), operation: "download artifact \(path)")
        guard rename(temporary, destination) == 0 else {
            throw Failure(.runtime, "cannot move the downloaded artifact to \(destination): \(String(cString: strerror(errno)))")
        }
    }

    /// Downloads every file beneath `path` of a proxied root into `directory` (created),
    /// keeping their relative paths; returns those paths.
    @discardableResult
    public func downloadArtifacts(_ root: MLflowArtifactRoot, path: String = "", into directory: String) throws -> [String] {
        var written: [String] = []
        var pending = [(path: path, depth: 0)]
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        while let next = pending.popLast() {
            guard next.depth <= DownloadLimits.depth else { throw Failure(.runtime, "MLflow artifacts nest deeper than \(DownloadLimits.depth) directories under '\(path)'") }
            let entries = try listArtifacts(root, path: next.path)
            if entries.isEmpty && next.depth == 0 && !path.isEmpty {
                // A root that names one file rather than a directory.
                let name = try MLflowArtifactPath.components(path).last!
                try downloadArtifact(root, path: path, to: directory + "/" + name)
                return [name]
            }
            for entry in entries {
                let relative = String(entry.path.dropFirst(path.isEmpty ? 0 : path.count + 1))
                let local = directory + "/" + (try MLflowArtifactPath.components(relative)).joined(separator: "/")
                if entry.isDirectory {
                    try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
                    pending.append((entry.path, next.depth + 1))
                } else {
                    guard written.count < DownloadLimits.files else { throw Failure(.runtime, "MLflow artifacts under '\(path)' hold more than \(DownloadLimits.files) files") }
                    try downloadArtifact(root, path: entry.path, to: local)
                    written.append(relative)
                }
            }
        }
        return written.sorted()
    }

    private func artifactsURL(path: String? = nil, query: String? = nil) -> URL {
        var url = endpoint.trackingURI.appendingPathComponent("api/2.0/mlflow-artifacts/artifacts")
        if let path { url = path.split(separator: "/").reduce(url) { $0.appendingPathComponent(String($1)) } }
        guard let query else { return url }
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "path", value: query)]
        return components.url!
    }

    private func fileURL(_ root: MLflowArtifactRoot) -> URL {
        switch root {
        case .proxied(let path): return artifactsURL(path: path)
        case .http(let url): return url
        }
    }
}
