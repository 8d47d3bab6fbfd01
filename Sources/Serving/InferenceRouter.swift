import Core
import Foundation

/// A response before it meets the wire.
public struct HTTPReply: Equatable, Sendable {
    public var status: Int
    public var contentType: String
    public var body: Data
    /// The route's name for metrics ("infer", "ready", ...; "unknown" for a 404).
    public var endpoint: String
    /// Rows predicted (inference only).
    public var rows: Int

    static func json<T: Encodable>(_ value: T, status: Int = 200, endpoint: String, rows: Int = 0) -> HTTPReply {
        HTTPReply(status: status, contentType: "application/json", body: ResponseBody.encode(value), endpoint: endpoint, rows: rows)
    }

    static func error(_ error: InferenceError, endpoint: String) -> HTTPReply {
        json(ResponseBody.ErrorBody(error: error.message, input: error.input), status: error.status, endpoint: endpoint)
    }
}

/// The Open Inference Protocol v2 REST routes for one model, plus `/metrics`: a pure
/// function of the request, so every answer can be tested without a socket.
public final class InferenceRouter: @unchecked Sendable {
    public let model: ServableModel
    public let modelName: String
    public let modelVersion: String
    public let metrics: ServingMetrics
    private let lock = NSLock()
    private var draining = false

    public init(model: ServableModel, name: String, version: String, metrics: ServingMetrics = ServingMetrics()) {
        self.model = model
        self.modelName = name
        self.modelVersion = version
        self.metrics = metrics
    }

    /// From now on readiness answers 503, so a load balancer stops sending requests while
    /// the ones in flight finish.
    public func beginDraining() {
        lock.lock()
        draining = true
        lock.unlock()
    }

    private var isDraining: Bool {
        lock.lock()
        defer { lock.unlock() }
        return draining
    }

    /// The answer to `method` on `path` (without its query) with `body`.
    public func respond(method: String, path: String, body: Data) -> HTTPReply {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch (method, parts) {
        case ("GET", ["v2", "health", "live"]):
            return .json([String: Bool](), endpoint: "live")
        case ("GET", ["v2", "health", "ready"]):
            return isDraining ? .error(InferenceError(status: 503, "shutting down"), endpoint: "ready") : .json([String: Bool](), endpoint: "ready")
        case ("GET", ["v2"]):
            return .json(ResponseBody.ServerMetadata(name: "sluice", version: SluiceBuild.version, extensions: []), endpoint: "server_metadata")
        case ("GET", ["metrics"]):
            return HTTPReply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Data(metrics.exposition().utf8), endpoint: "metrics", rows: 0)
        case (_, let route) where route.count >= 3 && route[0] == "v2" && route[1] == "models":
            return model(method: method, name: route[2], rest: Array(route.dropFirst(3)), body: body)
        default:
            return .error(InferenceError(status: 404, "no route \(method) \(path); see /v2/models/\(modelName)"), endpoint: "unknown")
        }
    }

    /// Routes under `/v2/models/{name}[/versions/{version}]`.
    private func model(method: String, name: String, rest: [String], body: Data) -> HTTPReply {
        var rest = rest
        guard name == modelName else {
            return .error(InferenceError(status: 404, "no model '\(name)'; this server serves '\(modelName)'"), endpoint: "unknown")
        }
        if rest.count >= 2, rest[0] == "versions" {
            guard rest[1] == modelVersion else {
                return .error(InferenceError(status: 404, "model '\(name)' has no version '\(rest[1])'; it has '\(modelVersion)'"), endpoint: "unknown")
            }
            rest.removeFirst(2)
        }
        switch (method, rest) {
        case ("GET", []):
            let metadata = ResponseBody.ModelMetadata(name: modelName, versions: [modelVersion], platform: "sluice", inputs: model.signature.inputs, outputs: model.signature.outputs)
            return .json(metadata, endpoint: "model_metadata")
        case ("GET", ["ready"]):
            return isDraining ? .error(InferenceError(status: 503, "shutting down"), endpoint: "model_ready") : .json([String: Bool](), endpoint: "model_ready")
        case ("POST", ["infer"]):
            return infer(body)
        case (_, ["infer"]):
            return .error(InferenceError(status: 405, "infer takes POST, not \(method)"), endpoint: "infer")
        default:
            return .error(InferenceError(status: 404, "no route \(method) under /v2/models/\(name)"), endpoint: "unknown")
        }
    }

    private func infer(_ body: Data) -> HTTPReply {
        do {
            let request = try InferenceRequest(body: body, signature: model.signature)
            let outputs: [RowOutput]
            do {
                outputs = try model.predict(request.rows)
            } catch let failure as SluiceError where failure.exitStatus == .usage {
                // The model refused a value (a number that is not one, a boolean it does not know).
                throw InferenceError(failure.description)
            }
            let response = ResponseBody.inference(outputs, signature: model.signature, names: request.outputs, modelName: modelName, modelVersion: modelVersion, id: request.id)
            return .json(response, endpoint: "infer", rows: outputs.count)
        } catch let error as InferenceError {
            return .error(error, endpoint: "infer")
        } catch {
            return .error(InferenceError(status: 500, "prediction failed: \(error)"), endpoint: "infer")
        }
    }
}
