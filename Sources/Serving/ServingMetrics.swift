import Foundation

/// Request counts, errors and a latency histogram per endpoint, in the Prometheus text
/// exposition format (`GET /metrics`). Thread-safe: the server's event loops record into it.
public final class ServingMetrics: @unchecked Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: ServingMetrics.buckets.count)
        var count = 0
        var sum = 0.0
    }

    private let lock = NSLock()
    private var requests: [String: [Int: Int]] = [:]
    private var latency: [String: Histogram] = [:]
    private var rows = 0

    public init() {}

    /// Records one answered request: its endpoint (a route name, never the raw path, so the
    /// label set stays bounded), status, duration and, for inference, the rows predicted.
    func record(endpoint: String, status: Int, seconds: Double, rows predicted: Int = 0) {
        lock.lock()
        defer { lock.unlock() }
        requests[endpoint, default: [:]][status, default: 0] += 1
        var histogram = latency[endpoint] ?? Histogram()
        for (index, bound) in Self.buckets.enumerated() where seconds <= bound { histogram.counts[index] += 1 }
        histogram.count += 1
        histogram.sum += seconds
        latency[endpoint] = histogram
        rows += predicted
    }

    /// The metrics as Prometheus text.
    public func exposition() -> String {
        lock.lock()
        defer { lock.unlock() }
        var text = "# HELP sluice_requests_total HTTP requests answered, by endpoint and status code.\n# TYPE sluice_requests_total counter\n"
        for endpoint in requests.keys.sorted() {
            for (status, count) in requests[endpoint]!.sorted(by: { $0.key < $1.key }) {
                text += "sluice_requests_total{endpoint=\"\(endpoint)\",code=\"\(status)\"} \(count)\n"
            }
        }
        text += "# HELP sluice_request_errors_total HTTP requests answered with a 4xx or 5xx status, by endpoint.\n# TYPE sluice_request_errors_total counter\n"
        for endpoint in requests.keys.sorted() {
            let errors = requests[endpoint]!.filter { $0.key >= 400 }.values.reduce(0, +)
            text += "sluice_request_errors_total{endpoint=\"\(endpoint)\"} \(errors)\n"
        }
        text += "# HELP sluice_request_duration_seconds Time from a complete request to its response, by endpoint.\n# TYPE sluice_request_duration_seconds histogram\n"
        for endpoint in latency.keys.sorted() {
            let histogram = latency[endpoint]!
            for (bound, count) in zip(Self.buckets, histogram.counts) {
                text += "sluice_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"\(bound)\"} \(count)\n"
            }
            text += "sluice_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"+Inf\"} \(histogram.count)\n"
            text += "sluice_request_duration_seconds_sum{endpoint=\"\(endpoint)\"} \(histogram.sum)\n"
            text += "sluice_request_duration_seconds_count{endpoint=\"\(endpoint)\"} \(histogram.count)\n"
        }
        text += "# HELP sluice_inference_rows_total Rows predicted.\n# TYPE sluice_inference_rows_total counter\nsluice_inference_rows_total \(rows)\n"
        return text
    }
}
