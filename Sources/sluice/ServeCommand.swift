import ArgumentParser
import Core
import Foundation
import Pipeline
import Serving

/// `sluice serve`: a built-in model behind the Open Inference Protocol v2 REST API.
struct ServeCommand: SluiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over the Open Inference Protocol v2 (KServe, Seldon MLServer, Triton).",
        discussion: """
        Routes: GET /v2/health/live, /v2/health/ready, /v2/models/NAME (inputs and outputs), \
        POST /v2/models/NAME/infer (one tensor per feature column, or one BYTES tensor 'rows' \
        of JSON objects), GET /metrics (Prometheus). Predictions equal `sluice predict` on the \
        same rows, bit for bit. SIGTERM or SIGINT: readiness turns 503, new connections are \
        refused, requests in flight finish, then the process exits 0. See docs/commands/serve.md.

        Exit codes: 0 stopped by a signal; 2 usage error (no model, not a built-in model); \
        3 the port cannot be bound.
        """
    )

    @Option(help: "The model: a directory holding model.json (as `sluice train` writes), or the file.")
    var model: String

    @Option(help: "The model's name in URLs (default: the model directory's name).")
    var name: String?

    @Option(help: "The address to listen on.")
    var host = "0.0.0.0"

    @Option(help: "The port to listen on (0: any free port, printed on stderr).")
    var port = 8080

    @Option(help: "Request bodies longer than this many bytes get 413.")
    var maxBodyBytes = 8 << 20

    @Option(help: "Seconds a shutdown waits for requests in flight.")
    var drainSeconds = 10.0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535 (got \(port))") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive (got \(maxBodyBytes))") }
        guard drainSeconds >= 0 else { throw ValidationError("--drain-seconds must not be negative") }
    }

    func execute() throws -> ExitStatus {
        let loaded = try ServingWiring.servable(path: model)
        let modelName = name ?? Self.defaultName(model)
        let version = String(try FileDigest.sha256(path: loaded.file).prefix(12))
        let router = InferenceRouter(model: loaded.model, name: modelName, version: version)
        let server = InferenceServer(router: router, settings: ServerSettings(host: host, port: port, maxBodyBytes: maxBodyBytes, drainSeconds: drainSeconds))
        let bound: Int
        do { bound = try server.start() } catch let failure as ServeFailure {
            throw Failure.runtime(failure.message)
        }
        Diagnostics.line("serve: model '\(modelName)' version \(version) listening on http://\(host):\(bound) (POST /v2/models/\(modelName)/infer)")
        server.runUntilSignalled { signal in
            Diagnostics.line("serve: \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): finishing requests in flight, then stopping")
        }
        Diagnostics.line("serve: stopped")
        return .success
    }

    /// The directory's name (the parent's, when given the model file).
    static func defaultName(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let isFile = url.pathExtension == "json"
        let name = (isFile ? url.deletingLastPathComponent() : url).lastPathComponent
        return name.isEmpty || name == "/" ? "model" : name
    }
}
