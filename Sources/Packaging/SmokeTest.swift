import Core
import Foundation
import HTTP
import OCI
import ReportModel

/// Starts a packaged image with a real OCI runtime (umoci unpacks it, runc runs it on the
/// host's network), waits for the Open Inference Protocol's readiness, sends rows to the
/// model's infer endpoint and compares the answers with the expected values, then stops it.
public struct SmokeTest {
    /// What to send and what must come back.
    public struct Probe: Sendable {
        /// Rows as column → cell text (sent as one BYTES tensor `rows` of JSON objects).
        public var rows: [[String: String]]
        /// The output compared: `score` (a binary classifier's) or `prediction` (a class or a
        /// regression's value).
        public var output: String
        /// What each row must get, as a predictions file writes it: numbers in Swift's
        /// shortest round-trip form, so equal texts are equal bits.
        public var expected: [String]
        /// The file `expected` was read from, named when the image answers otherwise.
        public var expectedFile: String

        public init(rows: [[String: String]], output: String, expected: [String], expectedFile: String) {
            self.rows = rows
            self.output = output
            self.expected = expected
            self.expectedFile = expectedFile
        }
    }

    /// How long to wait for readiness and for each request.
    public var readyTimeout: Double = 60
    public var requestTimeout: Double = 30
    /// Where the bundle, runc's state and the container log go.
    public var workDirectory: String

    public init(workDirectory: String) {
        self.workDirectory = workDirectory
    }

    /// Why the image failed its smoke test (a verdict, not a breakage).
    public struct Refusal: Error, CustomStringConvertible {
        public let summary: SmokeSummary
        public var description: String { summary.detail }
    }

    /// Runs the test on `layout:tag` with `runtime`; returns the summary of a pass and throws
    /// `Refusal` with the summary of a failure. Infrastructure problems (umoci cannot unpack)
    /// throw ordinary errors. `bottom`: the image's bottom layer unpacked ahead, if any
    /// (`RuntimeBundle.unpack` uses it only for an image that starts with that layer).
    public func run(layout: String, tag: String, runtime: ContainerRuntime, probe: Probe, bottom: UnpackedLayer? = nil) throws -> SmokeSummary {
        try? FileManager.default.removeItem(atPath: workDirectory)
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let bundle = try RuntimeBundle.unpack(layout: layout, tag: tag, into: (workDirectory as NSString).appendingPathComponent("bundle"), umoci: runtime.umoci,
                                              bottom: bottom)
        defer { try? FileManager.default.removeItem(atPath: bundle.path) }
        let process = try bundle.process()
        let serve = ServeArguments(process.arguments)
        let port: Int
        if serve.hasPort {
            port = try FreePort.pick()
            try bundle.setArgument(after: "--port", to: String(port))
        } else {
            port = serve.port
        }
        let version = runtime.version()
        func refuse(_ detail: String, startup: Double? = nil, log: String = "") -> Refusal {
            Refusal(summary: SmokeSummary(outcome: .failed, detail: log.isEmpty ? detail : "\(detail); the container's last lines:\n\(log)", runtime: version, startupSeconds: startup))
        }
        let started = Date()
        let container: RunningContainer
        do {
            container = try runtime.start(bundle, id: "sluice-smoke-\(UUID().uuidString.prefix(8).lowercased())", logPath: (workDirectory as NSString).appendingPathComponent("container.log"))
        } catch let failure as Failure {
            throw refuse("the image did not start: \(failure.message)")
        }
        defer { container.stop(grace: 10) }
        var configuration = HTTPClient.Configuration()
        configuration.proxy = ""
        configuration.connectTimeout = 2
        configuration.timeout = requestTimeout
        configuration.retry = RetryPolicy(attempts: 1)
        let client = HTTPClient(configuration: configuration)
        let base = "http://127.0.0.1:\(port)"
        // Readiness: poll until 200, the container ends, or time runs out.
        var ready = false
        while Date().timeIntervalSince(started) < readyTimeout {
            if let response = try? client.send(HTTPRequest(url: URL(string: base + "/v2/health/ready")!)), response.status == 200 { ready = true; break }
            guard container.isRunning else {
                throw refuse("the container exited before it was ready", log: container.logTail())
            }
            usleep(100_000)
        }
        let startup = Date().timeIntervalSince(started)
        guard ready else {
            throw refuse("not ready after \(Int(readyTimeout)) s at \(base)/v2/health/ready", startup: startup, log: container.logTail())
        }
        let body = try Self.requestBody(probe.rows)
        let sent = Date()
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(method: "POST", url: URL(string: "\(base)/v2/models/\(serve.modelName)/infer")!, headers: ["content-type": "application/json"], body: .data(body)))
        } catch {
            throw refuse("the infer request failed: \(error)", startup: startup, log: container.logTail())
        }
        let latency = Date().timeIntervalSince(sent)
        guard response.status == 200 else {
            throw refuse("infer answered \(response.status): \(response.text.prefix(300))", startup: startup)
        }
        let values = try Self.values(probe.output, in: response.body)
        guard values.count == probe.expected.count else {
            throw refuse("infer answered \(values.count) values for \(probe.rows.count) rows", startup: startup)
        }
        if let row = zip(values, probe.expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            throw refuse("row \(row + 1): the image's \(probe.output) is \(values[row]), the evaluation's \(probe.expected[row]) (\(probe.expectedFile)); "
                         + "if the model changed after the evaluation wrote its predictions, run `sluice evaluate` again", startup: startup)
        }
        return SmokeSummary(outcome: .passed, detail: "\(probe.rows.count) rows predicted as in the evaluation", runtime: version,
                            startupSeconds: startup, latencySeconds: latency, rows: probe.rows.count)
    }

    /// One BYTES tensor `rows`, each element a row as a JSON object of cell texts.
    static func requestBody(_ rows: [[String: String]]) throws -> Data {
        let elements = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        return try JSONSerialization.data(withJSONObject: ["inputs": [["name": "rows", "datatype": "BYTES", "shape": [rows.count], "data": elements] as [String: Any]]])
    }

    /// The output `name` as texts: strings as they are, numbers in Swift's shortest form. Read
    /// with `JSONDecoder`, whose number parsing is exact (JSONSerialization's is not, on Linux).
    static func values(_ name: String, in body: Data) throws -> [String] {
        struct Answer: Decodable {
            struct Output: Decodable {
                var name: String
                var texts: [String]?
                enum CodingKeys: String, CodingKey { case name, data }
                init(from decoder: Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    name = try container.decode(String.self, forKey: .name)
                    texts = (try? container.decode([String].self, forKey: .data))
                        ?? (try? container.decode([Double].self, forKey: .data))?.map { "\($0)" }
                }
            }
            var outputs: [Output]
        }
        let outputs = (try? JSONDecoder().decode(Answer.self, from: body))?.outputs ?? []
        guard let values = outputs.first(where: { $0.name == name })?.texts else {
            throw Refusal(summary: SmokeSummary(outcome: .failed, detail: "infer answered no '\(name)' output: \(String(decoding: body.prefix(300), as: UTF8.self))"))
        }
        return values
    }
}

/// What a packaged `sluice serve` command line says about where to reach it.
struct ServeArguments {
    var hasPort = false
    var port = 8080
    var modelName = "model"

    init(_ arguments: [String]) {
        func value(after flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        if let text = value(after: "--port"), let number = Int(text) { hasPort = true; port = number }
        // `sluice serve` names the model after its directory unless --name says otherwise.
        if let name = value(after: "--name") {
            modelName = name
        } else if let model = value(after: "--model") {
            let url = URL(fileURLWithPath: model)
            modelName = (url.pathExtension == "json" ? url.deletingLastPathComponent() : url).lastPathComponent
        }
    }
}
