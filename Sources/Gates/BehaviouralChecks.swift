import Core
import Foundation
import ReportModel

/// The built-in behavioural checks, each one test case with the numbers that decided it.
enum BehaviouralChecks {
    static let suite = "behaviour"

    static func run(_ check: TestsSection.Check, index: Int, predictor: Predictor, rows: [[String: String]]) throws -> TestCaseResult {
        let place = "tests.checks[\(index)]"
        let started = Date()
        let (name, failure) = try evaluate(check, place: place, predictor: predictor, rows: rows)
        return TestCaseResult(suite: suite, name: check.name ?? name, status: failure == nil ? .passed : .failed, durationSeconds: Date().timeIntervalSince(started), message: failure)
    }

    /// The check's default name and, when it failed, why.
    private static func evaluate(_ check: TestsSection.Check, place: String, predictor: Predictor, rows: [[String: String]]) throws -> (String, String?) {
        func require<T>(_ value: T?, _ key: String) throws -> T {
            guard let value else { throw Failure.usage("\(place): a \(check.kind.rawValue) check needs \(key)") }
            return value
        }
        func sample() throws -> [[String: String]] {
            guard !rows.isEmpty else { throw Failure.usage("\(place): the check data has no rows") }
            return Array(rows.prefix(check.rows ?? 100))
        }
        switch check.kind {
        case .examples:
            let examples = try require(check.examples, "examples")
            let predictions = try predictor.predict(examples.map(\.input))
            var misses: [String] = []
            for (number, (example, prediction)) in zip(examples, predictions).enumerated() {
                let output = prediction.value
                if let label = example.label, prediction.label != label {
                    misses.append("example \(number + 1): predicted \(prediction.label ?? "-") (score \(String(format: "%.4f", output))), expected \(label)")
                }
                if let min = example.min, output < min { misses.append("example \(number + 1): \(String(format: "%.4f", output)) < \(min)") }
                if let max = example.max, output > max { misses.append("example \(number + 1): \(String(format: "%.4f", output)) > \(max)") }
            }
            return ("\(examples.count) fixed examples", misses.isEmpty ? nil : misses.joined(separator: "; "))
        case .invariance:
            let column = try require(check.column, "column"), values = try require(check.values, "values")
            let epsilon = check.epsilon ?? 1e-6
            let base = try sample()
            let original = try predictor.predict(base).map(\.value)
            var largest = 0.0, violations = 0
            for value in values {
                let changed = try predictor.predict(base.map { var row = $0; row[column] = value; return row }).map(\.value)
                for (a, b) in zip(original, changed) {
                    largest = Swift.max(largest, abs(a - b))
                    if abs(a - b) > epsilon { violations += 1 }
                }
            }
            let name = "invariance of \(column) over \(values.joined(separator: ", "))"
            return (name, violations == 0 ? nil : "\(violations) of \(base.count * values.count) changed predictions moved more than \(epsilon) (largest \(String(format: "%.6f", largest)))")
        case .directional:
            let column = try require(check.column, "column"), change = try require(check.change, "change"), direction = try require(check.expect, "expect")
            let base = try sample()
            let shifted = try base.map { row -> [String: String] in
                guard let value = row[column].flatMap(Double.init) else {
                    throw Failure.usage("\(place): column \(column) is not numeric in the check data ('\(row[column] ?? "")')")
                }
                var copy = row
                copy[column] = "\(value + change)"
                return copy
            }
            let before = try predictor.predict(base).map(\.value), after = try predictor.predict(shifted).map(\.value)
            let wrong = zip(before, after).filter { direction == .increase ? $1 < $0 - 1e-12 : $1 > $0 + 1e-12 }.count
            let name = "\(direction.rawValue) when \(column) changes by \(change)"
            return (name, wrong == 0 ? nil : "\(wrong) of \(base.count) predictions moved the other way")
        case .latency:
            let budget = try require(check.p95, "p95")
            let base = try sample()
            var durations: [Double] = []
            for row in base {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try predictor.predict([row])
                durations.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            durations.sort()
            let p95 = durations[Swift.min(durations.count - 1, Int((0.95 * Double(durations.count)).rounded(.up)) - 1)]
            let name = "p95 latency of one-row predictions <= \(milliseconds(budget.seconds))"
            return (name, p95 <= budget.seconds ? nil : "p95 \(milliseconds(p95)) over \(base.count) rows exceeds \(milliseconds(budget.seconds))")
        case .size:
            let budget = try require(check.maxSize, "max_size")
            let size = try bytes(at: predictor.modelPath)
            let name = "model size <= \(budget.bytes) bytes"
            return (name, size <= budget.bytes ? nil : "model \(predictor.modelPath) is \(size) bytes, over \(budget.bytes)")
        }
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.3f ms", seconds * 1000) }

    /// A file's size, or the total of the files below a directory.
    static func bytes(at path: String) throws -> Int64 {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw Failure.usage("no model at \(path)") }
        guard isDirectory.boolValue else { return (try manager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0 }
        var total: Int64 = 0
        for relative in manager.subpaths(atPath: path) ?? [] {
            let attributes = try manager.attributesOfItem(atPath: (path as NSString).appendingPathComponent(relative))
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? NSNumber)?.int64Value ?? 0 }
        }
        return total
    }
}
