import Core
import Foundation
import HTTP

/// MLflow's REST API (tracking and model registry, `/api/2.0/mlflow/...`) over `HTTPClient`:
/// each method is one documented endpoint, sends JSON, and turns MLflow's error bodies
/// (`error_code`, `message`) into `MLflowError`s. Artifacts are in `MLflowArtifacts`.
public final class MLflowClient: @unchecked Sendable {
    public let endpoint: MLflowEndpoint
    let http: HTTPClient

    public init(endpoint: MLflowEndpoint, http: HTTPClient) {
        self.endpoint = endpoint
        self.http = http
    }

    /// The HTTP settings for an endpoint: its CA bundle, Sluice's user agent, and when `trace`
    /// is given, a redacted line per request.
    public static func httpConfiguration(for endpoint: MLflowEndpoint, trace: (@Sendable (String) -> Void)? = nil) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.caBundle = endpoint.caBundle
        configuration.userAgent = "sluice/\(SluiceBuild.version)"
        configuration.trace = trace
        return configuration
    }

    // MARK: Experiments

    /// The experiment called `name`, or nil when there is none.
    public func experiment(named name: String) throws -> MLflowExperiment? {
        struct Reply: Decodable { let experiment: MLflowExperiment }
        do {
            let reply: Reply = try call("GET", "experiments/get-by-name", query: ["experiment_name": name], operation: "get experiment '\(name)'")
            return reply.experiment
        } catch let error as MLflowError where error.isNotFound {
            return nil
        }
    }

    /// Creates an experiment and returns its ID.
    public func createExperiment(name: String, tags: [MLflowKeyValue] = []) throws -> String {
        struct Body: Encodable { let name: String; let tags: [MLflowKeyValue] }
        struct Reply: Decodable { let experiment_id: String }
        let reply: Reply = try call("POST", "experiments/create", body: Body(name: name, tags: tags), operation: "create experiment '\(name)'")
        return reply.experiment_id
    }

    // MARK: Runs

    /// Starts a run in an experiment.
    public func createRun(experimentID: String, name: String?, startTime: Int64 = MLflowClient.now(), tags: [MLflowKeyValue] = []) throws -> MLflowRun {
        struct Body: Encodable { let experiment_id: String; let run_name: String?; let start_time: Int64; let tags: [MLflowKeyValue] }
        struct Reply: Decodable { let run: MLflowRun }
        let reply: Reply = try call("POST", "runs/create", body: Body(experiment_id: experimentID, run_name: name, start_time: startTime, tags: tags),
                                    operation: "create run in experiment \(experimentID)")
        return reply.run
    }

    /// The run with its logged params, metrics and tags.
    public func run(id: String) throws -> MLflowRun {
        struct Reply: Decodable { let run: MLflowRun }
        let reply: Reply = try call("GET", "runs/get", query: ["run_id": id], operation: "get run \(id)")
        return reply.run
    }

    /// One page of `runs/search`: at most `maxResults` runs of the experiments that match
    /// `filter` (MLflow's search syntax, see `MLflowSearchFilter`), in `orderBy` order
    /// (e.g. `attributes.start_time DESC`); active runs only.
    public func searchRuns(experimentIDs: [String], filter: String, orderBy: [String], maxResults: Int, pageToken: String? = nil) throws -> MLflowRunsPage {
        struct Body: Encodable {
            let experiment_ids: [String]; let filter: String; let order_by: [String]; let max_results: Int
            let run_view_type = "ACTIVE_ONLY"; let page_token: String?
        }
        return try call("POST", "runs/search", body: Body(experiment_ids: experimentIDs, filter: filter, order_by: orderBy, max_results: maxResults, page_token: pageToken),
                        operation: "search runs of experiment \(experimentIDs.joined(separator: ", ")) where \(filter)")
    }

    /// MLflow's limits for one `runs/log-batch` request.
    public enum BatchLimits {
        public static let params = 100
        public static let tags = 100
        public static let total = 1000
    }

    /// Logs metrics, params and tags, split into as many `log-batch` requests as MLflow's
    /// per-request limits need.
    public func logBatch(runID: String, metrics: [MLflowMetric] = [], params: [MLflowKeyValue] = [], tags: [MLflowKeyValue] = []) throws {
        struct Body: Encodable { let run_id: String; let metrics: [MLflowMetric]; let params: [MLflowKeyValue]; let tags: [MLflowKeyValue] }
        struct Reply: Decodable {}
        var metrics = metrics[...], params = params[...], tags = tags[...]
        repeat {
            let p = params.prefix(BatchLimits.params), t = tags.prefix(BatchLimits.tags)
            let m = metrics.prefix(BatchLimits.total - p.count - t.count)
            params = params.dropFirst(p.count)
            tags = tags.dropFirst(t.count)
            metrics = metrics.dropFirst(m.count)
            let _: Reply = try call("POST", "runs/log-batch", body: Body(run_id: runID, metrics: Array(m), params: Array(p), tags: Array(t)),
                                    operation: "log \(m.count) metrics, \(p.count) params and \(t.count) tags to run \(runID)")
        } while !(metrics.isEmpty && params.isEmpty && tags.isEmpty)
    }

    /// Sets a run's status (and end time when it is over).
    public func updateRun(runID: String, status: MLflowRunStatus, endTime: Int64? = MLflowClient.now()) throws {
        struct Body: Encodable { let run_id: String; let status: MLflowRunStatus; let end_time: Int64? }
        struct Reply: Decodable {}
        let _: Reply = try call("POST", "runs/update", body: Body(run_id: runID, status: status, end_time: endTime), operation: "set run \(runID) to \(status.rawValue)")
    }

    // MARK: Registered models and versions

    /// The registered model called `name`, or nil when there is none.
    public func registeredModel(named name: String) throws -> MLflowRegisteredModel? {
        struct Reply: Decodable { let registered_model: MLflowRegisteredModel }
        do {
            let reply: Reply = try call("GET", "registered-models/get", query: ["name": name], operation: "get registered model '\(name)'")
            return reply.registered_model
        } catch let error as MLflowError where error.isNotFound {
            return nil
        }
    }

    /// Registers a model name.
    public func createRegisteredModel(name: String, description: String? = nil, tags: [MLflowKeyValue] = []) throws -> MLflowRegisteredModel {
        struct Body: Encodable { let name: String; let description: String?; let tags: [MLflowKeyValue] }
        struct Reply: Decodable { let registered_model: MLflowRegisteredModel }
        let reply: Reply = try call("POST", "registered-models/create", body: Body(name: name, description: description, tags: tags),
                                    operation: "create registered model '\(name)'")
        return reply.registered_model
    }

    /// Registers a new version of `model` whose files are at `source`, produced by run `runID`.
    public func createModelVersion(model: String, source: String, runID: String?, description: String? = nil, tags: [MLflowKeyValue] = []) throws -> MLflowModelVersion {
        struct Body: Encodable { let name: String; let source: String; let run_id: String?; let description: String?; let tags: [MLflowKeyValue] }
        struct Reply: Decodable { let model_version: MLflowModelVersion }
        let reply: Reply = try call("POST", "model-versions/create", body: Body(name: model, source: source, run_id: runID, description: description, tags: tags),
                                    operation: "create a version of model '\(model)'")
        return reply.model_version
    }

    /// One version of a registered model.
    public func modelVersion(model: String, version: String) throws -> MLflowModelVersion {
        struct Reply: Decodable { let model_version: MLflowModelVersion }
        let reply: Reply = try call("GET", "model-versions/get", query: ["name": model, "version": version], operation: "get version \(version) of model '\(model)'")
        return reply.model_version
    }

    /// The highest version of `model` (MLflow numbers; semantic versions on GitLab), or nil
    /// when the model has none or does not exist.
    public func latestVersion(model: String) throws -> MLflowModelVersion? {
        struct Body: Encodable { let name: String }
        struct Reply: Decodable { let model_versions: [MLflowModelVersion]? }
        do {
            let reply: Reply = try call("POST", "registered-models/get-latest-versions", body: Body(name: model), operation: "get the latest versions of model '\(model)'")
            return reply.model_versions?.max { Self.versionOrder($0.version, $1.version) }
        } catch let error as MLflowError where error.isNotFound {
            return nil
        }
    }

    /// The version a `models:/` URI names, or nil when there is none (no model, alias or version yet).
    public func resolve(_ uri: MLflowModelURI) throws -> MLflowModelVersion? {
        switch uri.selector {
        case .alias(let alias): return try modelVersion(model: uri.model, alias: alias)
        case .latest: return try latestVersion(model: uri.model)
        case .version(let version):
            do {
                return try modelVersion(model: uri.model, version: version)
            } catch let error as MLflowError where error.isNotFound {
                return nil
            }
        }
    }

    /// Orders versions numerically part by part ("2" < "10", "1.2.0" < "1.10.0").
    static func versionOrder(_ a: String, _ b: String) -> Bool {
        let left = a.split(separator: ".").map { Int($0) ?? 0 }, right = b.split(separator: ".").map { Int($0) ?? 0 }
        return left.lexicographicallyPrecedes(right)
    }

    /// Sets a tag on a model version.
    public func setModelVersionTag(model: String, version: String, key: String, value: String) throws {
        struct Body: Encodable { let name: String; let version: String; let key: String; let value: String }
        struct Reply: Decodable {}
        let _: Reply = try call("POST", "model-versions/set-tag", body: Body(name: model, version: version, key: key, value: value),
                                operation: "tag version \(version) of model '\(model)' with \(key)")
    }

    /// Where a model version's files can be downloaded from (an artifact URI).
    public func downloadURI(model: String, version: String) throws -> String {
        struct Reply: Decodable { let artifact_uri: String }
        let reply: Reply = try call("GET", "model-versions/get-download-uri", query: ["name": model, "version": version],
                                    operation: "get the download URI of version \(version) of model '\(model)'")
        return reply.artifact_uri
    }

    // MARK: Aliases

    /// The version `alias` points at, or nil when the alias (or the model) does not exist.
    public func modelVersion(model: String, alias: String) throws -> MLflowModelVersion? {
        struct Reply: Decodable { let model_version: MLflowModelVersion }
        do {
            let reply: Reply = try call("GET", "registered-models/alias", query: ["name": model, "alias": alias], operation: "get alias \(model)@\(alias)")
            return reply.model_version
        } catch let error as MLflowError where error.isNotFound || Self.isMissingAlias(error) {
            return nil
        }
    }

    /// MLflow answers an alias missing on an existing model with 400 INVALID_PARAMETER_VALUE
    /// ("Registered model alias champion not found."), not with RESOURCE_DOES_NOT_EXIST.
    static func isMissingAlias(_ error: MLflowError) -> Bool {
        error.errorCode == "INVALID_PARAMETER_VALUE" && error.message.lowercased().contains("alias") && error.message.lowercased().contains("not found")
    }

    /// Points `alias` at `version` (creating or moving it).
    public func setAlias(model: String, alias: String, version: String) throws {
        struct Body: Encodable { let name: String; let alias: String; let version: String }
        struct Reply: Decodable {}
        let _: Reply = try call("POST", "registered-models/alias", body: Body(name: model, alias: alias, version: version),
                                operation: "set alias \(model)@\(alias) to version \(version)")
    }

    /// Removes `alias` from the model.
    public func deleteAlias(model: String, alias: String) throws {
        struct Body: Encodable { let name: String; let alias: String }
        struct Reply: Decodable {}
        let _: Reply = try call("DELETE", "registered-models/alias", body: Body(name: model, alias: alias), operation: "delete alias \(model)@\(alias)")
    }

    // MARK: Plumbing

    /// Milliseconds since 1970, MLflow's time unit.
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// `<tracking URI>/api/2.0/mlflow/<path>` with `query`.
    func url(_ path: String, query: [String: String] = [:]) -> URL {
        var components = URLComponents(url: endpoint.trackingURI.appendingPathComponent("api/2.0/mlflow").appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            // URLQueryItem leaves '+' alone, which servers read as a space.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        return components.url!
    }

    /// A request with the endpoint's credentials.
    func request(_ method: String, _ url: URL, body: HTTPBody = .empty, contentType: String? = nil) -> HTTPRequest {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let contentType { headers.set("Content-Type", contentType) }
        if let credential = endpoint.credentials.header, HTTPClient.sameOrigin(url, endpoint.trackingURI) {
            headers.set(credential.name, credential.value)
        }
        return HTTPRequest(method: method, url: url, headers: headers, body: body)
    }

    /// Sends `request`, turning network failures and non-2xx answers into `MLflowError`s.
    func send(_ request: HTTPRequest, into destination: HTTPResponseDestination = .memory, operation: String) throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try http.send(request, into: destination)
        } catch let error as HTTPError {
            throw MLflowError(operation: operation, status: nil, errorCode: nil, message: "cannot reach the MLflow server at \(endpoint.displayURI): \(error.message)")
        }
        guard response.isSuccess else { throw MLflowError.from(status: response.status, body: response.body, operation: operation) }
        return response
    }

    func call<Reply: Decodable>(_ method: String, _ path: String, query: [String: String] = [:], operation: String) throws -> Reply {
        try decode(send(request(method, url(path, query: query)), operation: operation), operation: operation)
    }

    func call<Body: Encodable, Reply: Decodable>(_ method: String, _ path: String, body: Body, operation: String) throws -> Reply {
        let data = try JSONEncoder().encode(body)
        return try decode(send(request(method, url(path), body: .data(data), contentType: "application/json"), operation: operation), operation: operation)
    }

    func decode<Reply: Decodable>(_ response: HTTPResponse, operation: String) throws -> Reply {
        do {
            return try JSONDecoder().decode(Reply.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch {
            throw MLflowError(operation: operation, status: response.status, errorCode: nil,
                              message: "the server's answer is not the JSON MLflow sends (\(error)); is \(endpoint.displayURI) an MLflow tracking URI?")
        }
    }
}
