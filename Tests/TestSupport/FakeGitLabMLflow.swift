import Foundation

/// A loopback GitLab speaking the subset of the MLflow REST API that GitLab documents
/// ("MLflow client compatibility": experiments, runs, log-batch, registered models, model
/// versions, artifacts as package files), strict where GitLab differs from MLflow:
///
/// - no alias endpoints except `GET registered-models/alias`, whose alias is a version's
///   semantic version; `POST`/`DELETE` aliases and `model-versions/set-tag` are 404 routes;
/// - `model-versions/create` ignores `run_id` and `source`: each version gets its own run,
///   a semantic version (1.0.0, 1.0.1, ...) and its id as the MLflow `version`;
/// - `registered-models/create` ignores tags; a model cannot share a name with an experiment;
/// - artifacts are uploaded with `PUT` to the run's package URL, one flat file name (no
///   directories), and read through `mlflow-artifacts` by version id;
/// - every call needs `Authorization: Bearer <token>` or `PRIVATE-TOKEN`/`JOB-TOKEN`.
public final class FakeGitLabMLflow: @unchecked Sendable {
    public struct Run {
        public var iid: Int
        public var experimentIID: Int
        public var name: String?
        public var status = "RUNNING"
        public var params: [String: String] = [:]
        public var metrics: [String: Double] = [:]
        public var tags: [String: String] = [:]
        /// The package the run's artifacts go to: (package name, package version).
        public var package: (String, String)
    }

    public struct Version {
        public var id: Int
        public var semver: String
        public var runIID: Int
        public var tags: [String: String]
    }

    public let projectID = "42"
    let tokens: Set<String>
    private let lock = NSLock()
    private var experiments: [Int: String] = [:]
    private var runList: [Int: Run] = [:]
    private var modelVersions: [String: [Version]] = [:]
    /// "package/version" -> file name -> bytes
    private var packages: [String: [String: Data]] = [:]
    private var nextID = 0
    /// Requests to answer 500, by path suffix (fault injection).
    private var failing: Set<String> = []
    public private(set) var server: LoopbackHTTPServer!

    public init(tokens: Set<String> = ["glpat-ml", "job-token-ci"]) throws {
        self.tokens = tokens
        server = try LoopbackHTTPServer { [unowned self] request in self.handle(request) }
    }

    deinit { server.stop() }

    /// The tracking URI GitLab documents: `<gitlab>/api/v4/projects/<id>/ml/mlflow`.
    public var trackingURI: String { server.baseURL + "/api/v4/projects/\(projectID)/ml/mlflow" }

    public var runs: [Run] { lock.lock(); defer { lock.unlock() }; return runList.values.sorted { $0.iid < $1.iid } }
    public func versions(_ model: String) -> [Version] { lock.lock(); defer { lock.unlock() }; return modelVersions[model] ?? [] }
    public func files(ofRun iid: Int) -> [String: Data] {
        lock.lock(); defer { lock.unlock() }
        guard let run = runList[iid] else { return [:] }
        return packages["\(run.package.0)/\(run.package.1)"] ?? [:]
    }

    /// Answers 500 to requests whose path ends with `suffix` from now on.
    public func fail(pathSuffix suffix: String) { lock.lock(); failing.insert(suffix); lock.unlock() }

    private func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        lock.lock(); defer { lock.unlock() }
        let token = request.header("PRIVATE-TOKEN") ?? request.header("JOB-TOKEN") ?? request.header("Authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token, tokens.contains(token) else { return .json(#"{"message":"401 Unauthorized"}"#, status: 401) }
        let path = request.path
        if failing.contains(where: { path.hasSuffix($0) }) { return .json(#"{"message":"500 Internal Server Error"}"#, status: 500) }
        let project = "/api/v4/projects/\(projectID)"
        let mlflow = project + "/ml/mlflow/api/2.0/mlflow/"
        let artifacts = project + "/ml/mlflow/api/2.0/mlflow-artifacts/artifacts"
        let generic = project + "/packages/generic/"
        if path.hasPrefix(mlflow) { return api(request.method, String(path.dropFirst(mlflow.count)), request) }
        if path.hasPrefix(artifacts) { return artifact(request, rest: String(path.dropFirst(artifacts.count))) }
        if path.hasPrefix(generic), request.method == "PUT" { return upload(request, rest: String(path.dropFirst(generic.count))) }
        return Self.routeNotFound
    }

    static let routeNotFound = LoopbackHTTPServer.Response.json(#"{"error":"404 Not Found"}"#, status: 404)

    static func error(_ code: String, _ message: String, status: Int) -> LoopbackHTTPServer.Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["error_code": code, "message": message])) ?? Data()
        return .data(body, status: status, headers: [("Content-Type", "application/json")])
    }

    static func reply(_ object: Any) -> LoopbackHTTPServer.Response {
        .data((try? JSONSerialization.data(withJSONObject: object)) ?? Data(), headers: [("Content-Type", "application/json")])
    }

    private func api(_ method: String, _ route: String, _ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
        let query = request.query
        switch (method, route) {
        case ("GET", "experiments/get-by-name"):
            guard let name = query["experiment_name"], let (iid, _) = experiments.first(where: { $0.value == name }) else {
                return Self.error("RESOURCE_DOES_NOT_EXIST", "Experiment not found", status: 404)
            }
            return Self.reply(["experiment": ["experiment_id": String(iid), "name": experiments[iid]!, "artifact_location": "not_implemented", "lifecycle_stage": "active"]])
        case ("POST", "experiments/create"):
            guard let name = body["name"] as? String, !name.isEmpty else { return Self.error("INVALID_PARAMETER_VALUE", "name is missing", status: 400) }
            guard !experiments.values.contains(name), modelVersions[name] == nil else { return Self.error("RESOURCE_ALREADY_EXISTS", "Experiment exists", status: 400) }
            nextID += 1
            experiments[nextID] = name
            return Self.reply(["experiment_id": String(nextID)])
        case ("POST", "runs/create"):
            guard let experiment = (body["experiment_id"] as? String).flatMap(Int.init), experiments[experiment] != nil else {
                return Self.error("RESOURCE_DOES_NOT_EXIST", "Experiment not found", status: 404)
            }
            let run = newRun(experiment: experiment, name: body["run_name"] as? String, package: ("ml_experiment_\(experiment)", ""))
            return Self.reply(["run": runJSON(run)])
        case ("GET", "runs/get"):
            guard let run = query["run_id"].flatMap(Int.init).flatMap({ runList[$0] }) else { return Self.error("RESOURCE_DOES_NOT_EXIST", "Run not found", status: 404) }
            return Self.reply(["run": runJSON(run)])
        case ("POST", "runs/log-batch"):
            guard let iid = (body["run_id"] as? String).flatMap(Int.init), var run = runList[iid] else { return Self.error("RESOURCE_DOES_NOT_EXIST", "Run not found", status: 404) }
            for param in body["params"] as? [[String: Any]] ?? [] { run.params[param["key"] as? String ?? ""] = param["value"] as? String }
            for tag in body["tags"] as? [[String: Any]] ?? [] { run.tags[tag["key"] as? String ?? ""] = tag["value"] as? String }
            for metric in body["metrics"] as? [[String: Any]] ?? [] { run.metrics[metric["key"] as? String ?? ""] = metric["value"] as? Double }
            runList[iid] = run
            return Self.reply([:])
        case ("POST", "runs/update"):
            guard let iid = (body["run_id"] as? String).flatMap(Int.init), runList[iid] != nil else { return Self.error("RESOURCE_DOES_NOT_EXIST", "Run not found", status: 404) }
            runList[iid]!.status = body["status"] as? String ?? "RUNNING"
            return Self.reply(["run_info": runJSON(runList[iid]!)["info"]!])
        case ("POST", "registered-models/create"):
            guard let name = body["name"] as? String, !name.isEmpty else { return Self.error("INVALID_PARAMETER_VALUE", "name is missing", status: 400) }
            guard modelVersions[name] == nil, !experiments.values.contains(name) else { return Self.error("RESOURCE_ALREADY_EXISTS", "Model already exists", status: 400) }
            modelVersions[name] = []
            nextID += 1
            experiments[nextID] = "[model]\(name)"
            return Self.reply(["registered_model": ["name": name, "tags": [] as [Any]]])
        case ("GET", "registered-models/get"):
            guard let name = query["name"], modelVersions[name] != nil else { return Self.error("RESOURCE_DOES_NOT_EXIST", "Model not found", status: 404) }
            return Self.reply(["registered_model": ["name": name]])
        case ("POST", "registered-models/get-latest-versions"):
            guard let name = body["name"] as? String, let versions = modelVersions[name] else { return Self.error("RESOURCE_DOES_NOT_EXIST", "Model not found", status: 404) }
            return Self.reply(["model_versions": versions.suffix(1).map { versionJSON(name, $0) }])
        case ("GET", "registered-models/alias"):
            // GitLab's only alias is a version's semantic version.
            guard let name = query["name"], let version = modelVersions[name]?.first(where: { $0.semver == query["alias"] }) else {
                return Self.error("RESOURCE_DOES_NOT_EXIST", "Model version not found", status: 404)
            }
            return Self.reply(["model_version": versionJSON(name, version)])
        case ("POST", "model-versions/create"):
            guard let name = body["name"] as? String, let versions = modelVersions[name] else { return Self.error("RESOURCE_DOES_NOT_EXIST", "Model not found", status: 404) }
            let semver = "1.0.\(versions.count)"
            let experiment = experiments.first { $0.value == "[model]\(name)" }!.key
            let run = newRun(experiment: experiment, name: semver, package: (name, semver))
            nextID += 1
            let tags = Dictionary((body["tags"] as? [[String: Any]] ?? []).map { ($0["key"] as? String ?? "", $0["value"] as? String ?? "") }, uniquingKeysWith: { $1 })
            let version = Version(id: nextID, semver: semver, runIID: run.iid, tags: tags)
            modelVersions[name]!.append(version)
            return Self.reply(["model_version": versionJSON(name, version)])
        case ("GET", "model-versions/get"):
            guard let name = query["name"], let version = modelVersions[name]?.first(where: { String($0.id) == query["version"] }) else {
                return Self.error("RESOURCE_DOES_NOT_EXIST", "Model version not found", status: 404)
            }
            return Self.reply(["model_version": versionJSON(name, version)])
        case ("GET", "model-versions/get-download-uri"):
            guard let version = query["version"], Int(version) != nil else { return Self.error("INVALID_PARAMETER_VALUE", "version is invalid", status: 400) }
            return Self.reply(["artifact_uri": "mlflow-artifacts:/\(version)"])
        default:
            return Self.routeNotFound
        }
    }

    private func newRun(experiment: Int, name: String?, package: (String, String)) -> Run {
        nextID += 1
        let run = Run(iid: nextID, experimentIID: experiment, name: name, package: (package.0, package.1.isEmpty ? String(nextID) : package.1))
        runList[run.iid] = run
        return run
    }

    private func runJSON(_ run: Run) -> [String: Any] {
        let info: [String: Any] = ["run_id": String(run.iid), "run_uuid": String(run.iid), "experiment_id": String(run.experimentIID), "run_name": run.name ?? "",
                                   "status": run.status, "start_time": 0, "lifecycle_stage": "active",
                                   "artifact_uri": "\(server.baseURL)/api/v4/projects/\(projectID)/packages/generic/\(run.package.0)/\(run.package.1)"]
        let data: [String: Any] = ["params": run.params.map { ["key": $0.key, "value": $0.value] },
                                   "tags": run.tags.map { ["key": $0.key, "value": $0.value] },
                                   "metrics": run.metrics.map { ["key": $0.key, "value": $0.value, "timestamp": 0, "step": 0] as [String: Any] }]
        return ["info": info, "data": data]
    }

    private func versionJSON(_ name: String, _ version: Version) -> [String: Any] {
        ["name": name, "version": String(version.id), "run_id": String(version.runIID), "status": "READY", "aliases": [version.semver],
         "source": "\(server.baseURL)/ml/churn/-/ml/models/1/versions/\(version.id)",
         "tags": version.tags.map { ["key": $0.key, "value": $0.value] }]
    }

    private func upload(_ request: LoopbackHTTPServer.Request, rest: String) -> LoopbackHTTPServer.Response {
        // <package name>/<package version>/<file name>: a file name, never a directory.
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map { $0.removingPercentEncoding ?? String($0) }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return Self.routeNotFound }
        packages["\(parts[0])/\(parts[1])", default: [:]][parts[2]] = request.body
        return .json(#"{"message":"201 Created"}"#, status: 201)
    }

    private func artifact(_ request: LoopbackHTTPServer.Request, rest: String) -> LoopbackHTTPServer.Response {
        guard request.method == "GET" else { return Self.routeNotFound }
        func files(_ id: String) -> [String: Data]? {
            for (name, versions) in modelVersions {
                if let version = versions.first(where: { String($0.id) == id }) { return packages["\(name)/\(version.semver)"] ?? [:] }
            }
            return nil
        }
        if rest.isEmpty {
            // ?path=<version id>[/<path>]: a version's files; anything deeper is an empty "directory".
            let path = request.query["path"] ?? ""
            let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
            guard let id = parts.first, let stored = files(id) else { return Self.error("RESOURCE_DOES_NOT_EXIST", "not found", status: 404) }
            let listed = parts.count > 1 ? [] : stored.keys.sorted().map { ["path": $0, "is_dir": false, "file_size": stored[$0]!.count] as [String: Any] }
            return Self.reply(["files": listed])
        }
        let parts = rest.dropFirst().split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let data = files(parts[0])?[parts[1]] else { return Self.routeNotFound }
        return .data(data)
    }
}
