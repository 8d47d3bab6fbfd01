import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import XCTest

/// The built `sluice` binary serving the example's trained model on loopback, checked as a
/// client would: with curl and plain HTTP requests.
final class ServeEndToEndTests: XCTestCase {
    private var workspace: TemporaryDirectory!
    private var server: BackgroundProcess!
    private var base = ""

    override func setUpWithError() throws {
        workspace = try TemporaryDirectory()
        let example = Fixtures.repo("templates/example")
        for name in ["reference.csv", "holdout.csv", "schema.json", "sluice.yml"] {
            try FileManager.default.copyItem(atPath: (example as NSString).appendingPathComponent(name), toPath: workspace.file(name))
        }
        let trained = try SluiceBinary.run(["train"], in: workspace.path)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        server = try BackgroundProcess(SluiceBinary.path, ["serve", "--model", ".sluice/model", "--host", "127.0.0.1", "--port", "0", "--max-body-bytes", "1000000"], in: workspace.path)
        let port = try XCTUnwrap(server.waitForStderr(#"listening on http://127\.0\.0\.1:(\d+)"#), server.stderr)
        base = "http://127.0.0.1:\(port)"
    }

    override func tearDown() {
        if server?.isRunning == true { _ = server.stop() }
        server = nil
        workspace = nil
    }

    private func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let result = try runProcess("curl", ["-sS", "-o", "-", "-w", "\n%{http_code}"] + arguments)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    private func post(_ body: Data, path: String = "/v2/models/model/infer") throws -> (status: Int, json: [String: Any]) {
        let (status, text) = try postRaw(body, path: path)
        return (status, (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:])
    }

    private func postRaw(_ body: Data, path: String = "/v2/models/model/infer") throws -> (status: Int, body: String) {
        try body.write(to: URL(fileURLWithPath: workspace.file("body.json")))
        return try curl(["-H", "content-type: application/json", "--data-binary", "@\(workspace.file("body.json"))", base + path])
    }

    /// The holdout as CSV rows (the example has no quoted fields).
    private func holdout() throws -> (header: [String], rows: [[String]]) {
        let lines = try String(contentsOfFile: workspace.file("holdout.csv"), encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines[0], Array(lines.dropFirst()))
    }

    /// `sluice predict`'s scores and classes on the holdout.
    private func predictions() throws -> (labels: [String], scores: [Double]) {
        let predicted = try SluiceBinary.run(["predict", "--model", ".sluice/model/model.json", "--data", "holdout.csv", "--out", "predictions.csv"], in: workspace.path)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let lines = try String(contentsOfFile: workspace.file("predictions.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        return (lines.map { $0[1] }, lines.map { Double($0[2])! })
    }

    /// Equal bit for bit; a failure names the first differing row instead of printing all.
    private func assertSameBits(_ served: [Double], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(served.count, expected.count, "row count", file: file, line: line)
        if let row = zip(served, expected).enumerated().first(where: { $0.element.0.bitPattern != $0.element.1.bitPattern })?.offset {
            XCTFail("row \(row + 1): served \(served[row]), sluice predict \(expected[row])", file: file, line: line)
        }
    }

    func testHealthMetadataAndMetricsAnswerAsTheProtocolSays() throws {
        XCTAssertEqual(try curl([base + "/v2/health/live"]).status, 200)
        XCTAssertEqual(try curl([base + "/v2/health/ready"]).status, 200)
        let (status, text) = try curl([base + "/v2/models/model"])
        XCTAssertEqual(status, 200)
        let metadata = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let inputs = try XCTUnwrap(metadata["inputs"] as? [[String: Any]])
        let types = Dictionary(uniqueKeysWithValues: inputs.map { ($0["name"] as! String, $0["datatype"] as! String) })
        XCTAssertEqual(types["age"], "FP64")
        XCTAssertEqual(types["region"], "BYTES")
        XCTAssertEqual(types["has_autopay"], "BOOL")
        XCTAssertNil(types["customer_id"], "the id column is not a feature")
        XCTAssertNil(types["signup_date"], "dates are skipped by the built-in trainer")
        XCTAssertEqual((metadata["outputs"] as? [[String: Any]])?.map { $0["name"] as? String }, ["prediction", "score"])
        _ = try post(Data("{}".utf8))
        let metrics = try curl([base + "/metrics"])
        XCTAssertTrue(metrics.body.contains(#"sluice_requests_total{endpoint="ready",code="200"} 1"#), metrics.body)
        XCTAssertTrue(metrics.body.contains(#"sluice_request_errors_total{endpoint="infer"} 1"#), metrics.body)
        XCTAssertTrue(metrics.body.contains("# TYPE sluice_request_duration_seconds histogram"), metrics.body)
    }

    /// Every holdout row, sent as JSON rows of the CSV's own texts, gets exactly the score
    /// and class `sluice predict` writes.
    func testJSONRowsPredictBitForBitAsSluicePredict() throws {
        let (header, rows) = try holdout()
        let elements = try rows.map { row -> String in
            String(decoding: try JSONSerialization.data(withJSONObject: Dictionary(uniqueKeysWithValues: zip(header, row))), as: UTF8.self)
        }
        let body = try JSONSerialization.data(withJSONObject: ["inputs": [["name": "rows", "datatype": "BYTES", "shape": [elements.count], "data": elements]]])
        let (status, text) = try postRaw(body)
        XCTAssertEqual(status, 200, String(text.prefix(300)))
        let served = InferenceAnswer.parse(text), expected = try predictions()
        XCTAssertEqual(served.scores.count, 1000)
        assertSameBits(served.scores, expected.scores)
        XCTAssertEqual(served.labels, expected.labels)
    }

    /// One typed tensor per feature (numbers as JSON numbers, booleans as JSON booleans)
    /// gives the same bits for every row without a missing value.
    func testTypedTensorsPredictBitForBitAsSluicePredict() throws {
        let (header, rows) = try holdout()
        let expected = try predictions()
        let complete = rows.indices.filter { !rows[$0].contains("") }
        XCTAssertGreaterThan(complete.count, 900)
        let (_, metadataText) = try curl([base + "/v2/models/model"])
        let inputs = (try JSONSerialization.jsonObject(with: Data(metadataText.utf8)) as! [String: Any])["inputs"] as! [[String: Any]]
        // Written by hand: numbers as the CSV's own texts (valid JSON numbers), so the
        // request carries exactly the file's values.
        let tensors = inputs.map { input -> String in
            let name = input["name"] as! String, type = input["datatype"] as! String
            let column = header.firstIndex(of: name)!
            let data = complete.map { row -> String in
                let cell = rows[row][column]
                switch type {
                case "FP64": return cell
                case "BOOL": return cell == "true" ? "true" : "false"
                default: return "\"\(cell)\""
                }
            }
            return #"{"name":"\#(name)","datatype":"\#(type)","shape":[\#(complete.count),1],"data":[\#(data.joined(separator: ","))]}"#
        }
        let (status, text) = try postRaw(Data(#"{"id":"batch-1","inputs":[\#(tensors.joined(separator: ","))]}"#.utf8))
        XCTAssertEqual(status, 200, String(text.prefix(300)))
        XCTAssertTrue(text.contains(#""id":"batch-1""#))
        let served = InferenceAnswer.parse(text)
        assertSameBits(served.scores, complete.map { expected.scores[$0] })
        XCTAssertEqual(served.labels, complete.map { expected.labels[$0] })
    }

    func testBadRequestsGetA400OrA413AndTheServerKeepsServing() throws {
        let wrongName = #"{"inputs":[{"name":"colour","datatype":"BYTES","shape":[1],"data":["red"]}]}"#
        var (status, json) = try post(Data(wrongName.utf8))
        XCTAssertEqual(status, 400)
        XCTAssertEqual(json["input"] as? String, "colour")
        (status, json) = try post(Data("{\"inputs\": [".utf8))
        XCTAssertEqual(status, 400)
        XCTAssertTrue((json["error"] as? String ?? "").contains("not JSON"), "\(json)")
        let badValue = #"{"inputs":[{"name":"rows","datatype":"BYTES","shape":[1],"data":["{\"age\": \"old\"}"]}]}"#
        (status, json) = try post(Data(badValue.utf8))
        XCTAssertEqual(status, 400)
        XCTAssertTrue((json["error"] as? String ?? "").contains("age 'old' is not a number"), "\(json)")
        (status, json) = try post(Data(repeating: UInt8(ascii: " "), count: 1_200_000))
        XCTAssertEqual(status, 413)
        XCTAssertTrue((json["error"] as? String ?? "").contains("the limit is 1000000 bytes"), "\(json)")
        XCTAssertEqual(try curl([base + "/v2/health/ready"]).status, 200)
    }

    /// A bounded fuzz loop: mutated and truncated request bodies, raw garbage and broken HTTP
    /// never crash the server; every answer is a 2xx or a 4xx with a JSON error.
    func testFuzzedRequestsNeverCrashTheServer() throws {
        var generator = SeededBytes(seed: 11)
        let valid = Array(#"{"inputs":[{"name":"rows","datatype":"BYTES","shape":[2],"data":["{\"age\": 31, \"region\": \"east\", \"has_autopay\": true}","{}"]}]}"#.utf8)
        let url = URL(string: base + "/v2/models/model/infer")!
        for round in 0..<300 {
            var body = valid
            switch round % 4 {
            case 0: for _ in 0..<(1 + generator.next() % 4) { body[Int(generator.next() % UInt64(body.count))] = UInt8(generator.next() % 256) }
            case 1: body = Array(body.prefix(Int(generator.next() % UInt64(body.count))))
            case 2: body = (0..<Int(generator.next() % 400)).map { _ in UInt8(generator.next() % 256) }
            default:
                let at = Int(generator.next() % UInt64(body.count))
                body.insert(contentsOf: Array("[[[{\"\":".utf8), at: at)
            }
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            let (status, data) = try send(request)
            XCTAssertTrue((200..<500).contains(status), "round \(round): \(status)")
            if status >= 400 {
                XCTAssertNotNil((try? JSONSerialization.jsonObject(with: data)) as? [String: Any], "round \(round): \(String(decoding: data, as: UTF8.self))")
            }
        }
        // Broken HTTP on a raw socket: NIO's parser answers 400 and closes.
        let raw = try runProcess("bash", ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(base.split(separator: ":").last!); printf 'GARBAGE\\r\\n\\r\\n' >&3; timeout 5 cat <&3"])
        XCTAssertTrue(raw.stdout.hasPrefix("HTTP/1.1 400"), raw.stdout)
        XCTAssertEqual(try curl([base + "/v2/health/live"]).status, 200)
        XCTAssertTrue(server.isRunning)
    }

    func testSIGTERMStopsGracefully() throws {
        XCTAssertEqual(try curl([base + "/v2/health/ready"]).status, 200)
        XCTAssertEqual(server.stop(signal: SIGTERM), 0)
        XCTAssertTrue(server.stderr.contains("SIGTERM: finishing requests in flight"), server.stderr)
        XCTAssertTrue(server.stderr.contains("serve: stopped"), server.stderr)
    }

    private func send(_ request: URLRequest) throws -> (Int, Data) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, Data) = (0, Data())
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data())
            done.signal()
        }.resume()
        done.wait()
        return result
    }
}

/// A seeded generator (Knuth's MMIX linear congruential), so a failing round can be replayed.
private struct SeededBytes {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 29
    }
}
