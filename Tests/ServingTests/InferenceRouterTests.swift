import Foundation
@testable import Serving
import XCTest

/// A model that echoes its inputs, so a test sees exactly the cell texts a request became.
private struct EchoModel: ServableModel {
    let signature = ModelSignature(task: .classification, features: [
        FeatureInput(name: "age", kind: .number),
        FeatureInput(name: "plan", kind: .text),
        FeatureInput(name: "autopay", kind: .boolean(trueText: "yes", falseText: "no")),
    ], missingText: "NA")

    func predict(_ rows: [[String: String]]) throws -> [RowOutput] {
        try rows.map { row in
            guard let age = Double(row["age"]!) else { throw EchoRefusal() }
            return RowOutput(value: age, label: "\(row["plan"]!)|\(row["autopay"]!)")
        }
    }
}

private struct EchoRefusal: Error {}

final class InferenceRouterTests: XCTestCase {
    private let router = InferenceRouter(model: EchoModel(), name: "churn", version: "abc")

    private func infer(_ body: String, path: String = "/v2/models/churn/infer") -> (status: Int, json: [String: Any]) {
        let reply = router.respond(method: "POST", path: path, body: Data(body.utf8))
        let json = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:]
        return (reply.status, json)
    }

    private let valid = #"{"id":"r1","inputs":[{"name":"age","datatype":"FP64","shape":[2],"data":[31,0.1]},{"name":"plan","datatype":"BYTES","shape":[2,1],"data":[["a"],["b"]]},{"name":"autopay","datatype":"BOOL","shape":[2],"data":[true,false]}]}"#

    func testColumnTensorsBecomeTheCellTextsAFileWouldHold() throws {
        let (status, json) = infer(valid)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(json["model_name"] as? String, "churn")
        XCTAssertEqual(json["model_version"] as? String, "abc")
        XCTAssertEqual(json["id"] as? String, "r1")
        let outputs = try XCTUnwrap(json["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.map { $0["name"] as? String }, ["prediction", "score"])
        XCTAssertEqual(outputs[0]["data"] as? [String], ["a|yes", "b|no"])
        XCTAssertEqual(outputs[0]["datatype"] as? String, "BYTES")
        XCTAssertEqual(outputs[1]["data"] as? [Double], [31, 0.1])
        XCTAssertEqual(outputs[1]["shape"] as? [Int], [2])
    }

    func testJSONRowsWithNullsAndAbsentColumnsAreMissingValues() throws {
        let body = #"{"inputs":[{"name":"rows","datatype":"BYTES","shape":[2],"data":["{\"age\": 40, \"plan\": null, \"autopay\": true}","{\"age\": \"7.5\"}"]}]}"#
        let (status, json) = infer(body)
        XCTAssertEqual(status, 200)
        let outputs = try XCTUnwrap(json["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs[0]["data"] as? [String], ["NA|yes", "NA|NA"])
        XCTAssertEqual(outputs[1]["data"] as? [Double], [40, 7.5])
    }

    func testOutputsCanBeChosen() throws {
        let body = valid.dropLast() + #","outputs":[{"name":"score"}]}"#
        let (status, json) = infer(String(body))
        XCTAssertEqual(status, 200)
        XCTAssertEqual((json["outputs"] as? [[String: Any]])?.map { $0["name"] as? String }, ["score"])
    }

    /// Each bad request gets a 400 whose message names the input and what was expected.
    func testBadRequestsAre400sNamingTheInput() {
        let age = #"{"name":"age","datatype":"FP64","shape":[1],"data":[31]}"#
        let plan = #"{"name":"plan","datatype":"BYTES","shape":[1],"data":["a"]}"#
        let autopay = #"{"name":"autopay","datatype":"BOOL","shape":[1],"data":[true]}"#
        let cases: [(body: String, input: String?, says: String)] = [
            ("not json", nil, "not JSON"),
            ("[1,2]", nil, "not an inference request"),
            (#"{"inputs":[]}"#, nil, "non-empty array"),
            (#"{"inputs":[\#(age),\#(plan),\#(autopay),{"name":"colour","datatype":"BYTES","shape":[1],"data":["red"]}]}"#, "colour", "no such input"),
            (#"{"inputs":[\#(age),\#(plan)]}"#, "autopay", "missing"),
            (#"{"inputs":[\#(age),\#(age),\#(plan),\#(autopay)]}"#, "age", "given twice"),
            (#"{"inputs":[{"name":"age","datatype":"BYTES","shape":[1],"data":["31"]},\#(plan),\#(autopay)]}"#, "age", "numeric datatype"),
            (#"{"inputs":[{"name":"age","datatype":"FLOAT","shape":[1],"data":[31]},\#(plan),\#(autopay)]}"#, "age", "not one of BOOL"),
            (#"{"inputs":[{"name":"age","datatype":"FP64","shape":[2],"data":[31]},\#(plan),\#(autopay)]}"#, "age", "holds 2 values"),
            (#"{"inputs":[{"name":"age","datatype":"FP64","shape":[1,2],"data":[31,32]},\#(plan),\#(autopay)]}"#, "age", "not [N] or [N, 1]"),
            (#"{"inputs":[{"name":"age","datatype":"FP64","shape":[-1],"data":[31]},\#(plan),\#(autopay)]}"#, "age", "whole sizes"),
            (#"{"inputs":[{"name":"age","datatype":"FP64","shape":[1],"data":["x"]},\#(plan),\#(autopay)]}"#, "age", "must be numbers"),
            (#"{"inputs":[{"name":"age","datatype":"INT64","shape":[1],"data":[1.5]},\#(plan),\#(autopay)]}"#, "age", "not a whole number"),
            (#"{"inputs":[\#(age),{"name":"plan","datatype":"BYTES","shape":[1],"data":[3]},\#(autopay)]}"#, "plan", "must be strings"),
            (#"{"inputs":[\#(age),\#(plan),{"name":"autopay","datatype":"BOOL","shape":[1],"data":["yes"]}]}"#, "autopay", "true or false"),
            (#"{"inputs":[\#(age),{"name":"plan","datatype":"BYTES","shape":[2],"data":["a","b"]},\#(autopay)]}"#, "plan", "every input needs one value per row"),
            (#"{"inputs":[{"datatype":"FP64","shape":[1],"data":[1]}]}"#, nil, "no string 'name'"),
            (#"{"inputs":[{"name":"age","shape":[1],"data":[1]}]}"#, "age", "no string 'datatype'"),
            (#"{"inputs":[{"name":"rows","datatype":"BYTES","shape":[1],"data":["[1]"]}]}"#, "rows", "not a JSON object"),
            (#"{"inputs":[{"name":"rows","datatype":"FP64","shape":[1],"data":[1]}]}"#, "rows", "JSON rows come as BYTES"),
            (#"{"inputs":[\#(age),\#(plan),\#(autopay)],"outputs":[{"name":"proba"}]}"#, nil, "no output 'proba'"),
            (#"{"id":5,"inputs":[\#(age),\#(plan),\#(autopay)]}"#, nil, "'id' is a number"),
        ]
        for (body, input, says) in cases {
            let (status, json) = infer(body)
            XCTAssertEqual(status, 400, body)
            let message = json["error"] as? String ?? ""
            XCTAssertTrue(message.contains(says), "\(body): \(message)")
            XCTAssertEqual(json["input"] as? String, input, body)
            if let input { XCTAssertTrue(message.hasPrefix("input '\(input)'"), message) }
        }
    }

    func testAModelFailureThatIsNotAboutTheInputIsA500() {
        let body = #"{"inputs":[{"name":"rows","datatype":"BYTES","shape":[1],"data":["{\"age\": \"old\"}"]}]}"#
        XCTAssertEqual(infer(body).status, 500)
    }

    func testRoutesHealthMetadataAndNotFound() throws {
        XCTAssertEqual(router.respond(method: "GET", path: "/v2/health/live", body: Data()).status, 200)
        XCTAssertEqual(router.respond(method: "GET", path: "/v2/health/ready", body: Data()).status, 200)
        XCTAssertEqual(router.respond(method: "GET", path: "/v2/models/churn/ready", body: Data()).status, 200)
        let metadata = try XCTUnwrap(JSONSerialization.jsonObject(with: router.respond(method: "GET", path: "/v2/models/churn", body: Data()).body) as? [String: Any])
        XCTAssertEqual(metadata["versions"] as? [String], ["abc"])
        let inputs = try XCTUnwrap(metadata["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.map { $0["name"] as? String }, ["age", "plan", "autopay"])
        XCTAssertEqual(inputs.map { $0["datatype"] as? String }, ["FP64", "BYTES", "BOOL"])
        XCTAssertEqual(inputs[0]["shape"] as? [Int], [-1])
        XCTAssertEqual(infer(valid, path: "/v2/models/churn/versions/abc/infer").status, 200)
        XCTAssertEqual(infer(valid, path: "/v2/models/churn/versions/zzz/infer").status, 404)
        XCTAssertEqual(infer(valid, path: "/v2/models/other/infer").status, 404)
        XCTAssertEqual(router.respond(method: "GET", path: "/v2/models/churn/infer", body: Data()).status, 405)
        XCTAssertEqual(router.respond(method: "GET", path: "/nowhere", body: Data()).status, 404)
    }

    func testDrainingTurnsReadinessButNotLiveness() {
        let draining = InferenceRouter(model: EchoModel(), name: "churn", version: "abc")
        draining.beginDraining()
        XCTAssertEqual(draining.respond(method: "GET", path: "/v2/health/ready", body: Data()).status, 503)
        XCTAssertEqual(draining.respond(method: "GET", path: "/v2/health/live", body: Data()).status, 200)
    }

    func testMetricsCountRequestsErrorsAndLatency() {
        let metrics = ServingMetrics()
        metrics.record(endpoint: "infer", status: 200, seconds: 0.003, rows: 5)
        metrics.record(endpoint: "infer", status: 400, seconds: 0.0001)
        let text = metrics.exposition()
        XCTAssertTrue(text.contains(#"sluice_requests_total{endpoint="infer",code="200"} 1"#), text)
        XCTAssertTrue(text.contains(#"sluice_requests_total{endpoint="infer",code="400"} 1"#), text)
        XCTAssertTrue(text.contains(#"sluice_request_errors_total{endpoint="infer"} 1"#), text)
        XCTAssertTrue(text.contains(#"sluice_request_duration_seconds_bucket{endpoint="infer",le="0.0025"} 1"#), text)
        XCTAssertTrue(text.contains(#"sluice_request_duration_seconds_bucket{endpoint="infer",le="0.005"} 2"#), text)
        XCTAssertTrue(text.contains(#"sluice_request_duration_seconds_count{endpoint="infer"} 2"#), text)
        XCTAssertTrue(text.contains("sluice_inference_rows_total 5"), text)
    }
}
