import Core
import Stats
import Tabular
import TestSupport
import XCTest

final class ProfileTests: XCTestCase {
    private func profile(_ text: String, options: ProfileOptions = ProfileOptions()) throws -> Profile {
        let directory = try TemporaryDirectory()
        let path = try directory.write("data.csv", text)
        return try Profiler.profile(TableSource(path: path), options: options).0
    }

    func testColumnStatisticsAndInferredKinds() throws {
        let result = try profile("x,label,mixed,empty\n1,a,1,\n0,b,x,\n3,a,2,NA\n,a,3,\n2.5,,4,\n")
        XCTAssertEqual(result.rowCount, 5)
        let x = try XCTUnwrap(result.column("x"))
        XCTAssertEqual(x.kind, .numeric)
        XCTAssertEqual(x.count, 4)
        XCTAssertEqual(x.missing, 1)
        XCTAssertEqual(x.zeros, 1)
        let summary = try XCTUnwrap(x.summary)
        XCTAssertEqual(summary.minimum, 0)
        XCTAssertEqual(summary.maximum, 3)
        XCTAssertEqual(summary.mean!, 1.625, accuracy: 1e-15)
        // pandas: Series([1, 0, 3, 2.5]).var() == 1.8958333333333333
        XCTAssertEqual(summary.variance!, 1.8958333333333333, accuracy: 1e-15)
        XCTAssertEqual(summary.distinct, 4)
        XCTAssertTrue(summary.distinctExact)
        XCTAssertEqual(summary.quantiles?["p50"], 1.75, "exact while small, interpolated like numpy.quantile([0, 1, 2.5, 3], 0.5)")
        XCTAssertEqual(summary.histogram?.counts.reduce(0, +), 4)
        let label = try XCTUnwrap(result.column("label"))
        XCTAssertEqual(label.kind, .categorical)
        XCTAssertEqual(label.summary?.topValues.first, ValueCount(value: "a", count: 3))
        let mixed = try XCTUnwrap(result.column("mixed"))
        XCTAssertEqual(mixed.kind, .categorical, "one non-number makes a column categorical")
        XCTAssertEqual(mixed.categoryCounts.counts, ["1": 1, "x": 1, "2": 1, "3": 1, "4": 1])
        XCTAssertEqual(result.column("empty")?.kind, .empty)
        XCTAssertEqual(result.column("empty")?.missing, 5)
    }

    func testDeclaredTypesCountInvalidNumbersApart() throws {
        let schema = try TableSchema(json: Data(#"{"fields": [{"name": "n", "type": "integer"}, {"name": "code", "type": "string"}], "missingValues": ["-"]}"#.utf8), source: "schema.json")
        let result = try profile("n,code\n1,007\nseven,008\n-,\n3,7\n", options: ProfileOptions(schema: schema))
        let n = try XCTUnwrap(result.column("n"))
        XCTAssertEqual(n.kind, .numeric)
        XCTAssertEqual(n.count, 2)
        XCTAssertEqual(n.invalid, 1)
        XCTAssertEqual(n.missing, 1)
        let code = try XCTUnwrap(result.column("code"))
        XCTAssertEqual(code.kind, .categorical, "declared strings stay labels even when they look numeric")
        XCTAssertEqual(code.labelCounts.counts["007"], 1)
        XCTAssertEqual(code.count, 4, "an empty string is a value when the schema's missing values are only \"-\"")
    }

    func testMergeOfRandomSplitsEqualsProfileOfTheWhole() throws {
        var rng = SketchTests.SplitMix(state: 99)
        var rows: [String] = []
        for index in 0..<30_000 {
            let value = (Double.random(in: -1...1, using: &rng) * 1000).rounded() / 8
            let category = ["red", "green", "blue", "teal"][Int.random(in: 0..<4, using: &rng)]
            let sparse = index % 7 == 0 ? "" : String(Int.random(in: 0..<5, using: &rng))
            rows.append("\(value),\(category),\(sparse)")
        }
        let header = "value,colour,sparse\n"
        let whole = try profile(header + rows.joined(separator: "\n") + "\n")
        for trial in 0..<3 {
            let shards = Int.random(in: 2...6, using: &rng)
            var parts = [[String]](repeating: [], count: shards)
            for row in rows { parts[Int.random(in: 0..<shards, using: &rng)].append(row) }
            // Through JSON, as `sluice profile merge` reads them.
            let profiles = try parts.map { part -> Profile in
                let text = try JSONOutput.string(try profile(header + part.joined(separator: "\n") + "\n"))
                return try Profile.decode(Data(text.utf8), path: "part.json")
            }
            let merged = try Profile.merged(profiles)
            XCTAssertEqual(merged.rowCount, whole.rowCount, "trial \(trial)")
            for column in whole.columns {
                let other = try XCTUnwrap(merged.column(column.name))
                XCTAssertEqual(other.count, column.count)
                XCTAssertEqual(other.missing, column.missing)
                XCTAssertEqual(other.zeros, column.zeros)
                XCTAssertEqual(other.numbers.count, column.numbers.count)
                XCTAssertEqual(other.numbers.minimum, column.numbers.minimum)
                XCTAssertEqual(other.numbers.maximum, column.numbers.maximum)
                XCTAssertEqual(other.numbers.mean, column.numbers.mean, accuracy: max(abs(column.numbers.mean) * 1e-12, 1e-12))
                if let variance = column.numbers.sampleVariance {
                    XCTAssertEqual(other.numbers.sampleVariance!, variance, accuracy: variance * 1e-12)
                }
                XCTAssertEqual(other.labelCounts, column.labelCounts)
                XCTAssertEqual(other.numberCounts.counts, column.numberCounts.counts)
                XCTAssertEqual(other.distinctSketch, column.distinctSketch, "HyperLogLog registers merge exactly")
                XCTAssertEqual(other.summary?.distinct, column.summary?.distinct)
                // Quantiles within the rank-error bound of the whole's exact ranks.
                if column.kind == .numeric {
                    let bound = KLLSketch.rankErrorBound(k: KLLSketch.defaultK)
                    let sample = other.quantileSketch.sample
                    let truth = WeightedSample(exact: rows.compactMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[column.name == "value" ? 0 : 2]) })
                    for q in stride(from: 0.05, to: 1, by: 0.05) {
                        let x = sample.quantile(q)
                        // With ties the true rank of x is an interval [share below x, share at or below x].
                        let below = truth.cdfAtIndex(truth.indexBelow(x))
                        XCTAssertLessThanOrEqual(below - bound, q + 1e-9, "\(column.name) q=\(q)")
                        XCTAssertGreaterThanOrEqual(truth.cdf(x) + bound, q - 1e-9, "\(column.name) q=\(q)")
                    }
                }
            }
        }
    }

    func testProfilesRejectOtherVersionsAndFormats() throws {
        let directory = try TemporaryDirectory()
        let wrong = try directory.write("p.json", #"{"format": "sluice-profile", "version": 99}"#)
        XCTAssertThrowsError(try Profile.read(path: wrong)) { error in
            XCTAssertEqual((error as? Failure)?.message, "\(wrong): profile version 99 is not supported; this Sluice reads versions 1 to 2 (profile the data again with this Sluice)")
        }
        let other = try directory.write("q.json", #"{"fields": []}"#)
        XCTAssertThrowsError(try Profile.read(path: other)) { error in
            XCTAssertEqual((error as? Failure)?.exitStatus, .usage)
        }
    }

    func testShardsPartitionTheRows() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("d.csv", "n\n" + (1...10).map(String.init).joined(separator: "\n") + "\n")
        var total = 0.0
        for index in 0..<3 {
            let part = try Profiler.profile(TableSource(path: path), options: ProfileOptions(shard: (index, 3))).0
            total += part.column("n")!.numbers.mean * Double(part.column("n")!.count)
            XCTAssertEqual(part.rowCount, index == 0 ? 4 : 3)
        }
        XCTAssertEqual(total, 55)
    }
}
