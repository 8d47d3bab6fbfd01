@testable import Stats
import XCTest

/// The sketches keep their stated error bounds, merge like the stream they summarise, and
/// are exact while small.
final class SketchTests: XCTestCase {
    /// A seeded generator so every run tests the same streams.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return Hashing.mix(state)
        }
    }

    private func streams() -> [(String, [Double])] {
        var rng = SplitMix(state: 7)
        let uniform = (0..<200_000).map { _ in Double.random(in: 0..<1, using: &rng) }
        let lognormal = (0..<200_000).map { _ -> Double in
            let u1 = Double.random(in: 1e-12..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
            return exp((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
        }
        let ascending = (0..<200_000).map(Double.init)
        let ties = (0..<200_000).map { _ in Double(Int.random(in: 0..<50, using: &rng)) }
        return [("uniform", uniform), ("lognormal", lognormal), ("sorted input", ascending), ("ties", ties)]
    }

    /// The largest |sketch CDF − true CDF| over 200 evenly spaced true quantiles.
    private func maxRankError(_ sketch: KLLSketch, _ values: [Double]) -> Double {
        let sorted = values.sorted()
        let truth = WeightedSample(exact: sorted)
        let sample = sketch.sample
        var worst = 0.0
        for step in 1..<200 {
            let x = sorted[step * sorted.count / 200]
            worst = max(worst, abs(sample.cdf(x) - truth.cdf(x)))
        }
        return worst
    }

    func testKLLRankErrorStaysWithinTheStatedBound() {
        let bound = KLLSketch.rankErrorBound(k: KLLSketch.defaultK)
        XCTAssertEqual(bound, 0.0086, accuracy: 0.0001, "the documented bound at k = 400")
        for (name, values) in streams() {
            var sketch = KLLSketch()
            for value in values { sketch.add(value) }
            XCTAssertEqual(sketch.count, values.count)
            XCTAssertEqual(sketch.sample.totalWeight, Double(values.count), "weights are conserved")
            XCTAssertFalse(sketch.isExact)
            XCTAssertLessThan(sketch.levels.reduce(0) { $0 + $1.count }, 3 * KLLSketch.defaultK + 200, "memory stays O(k)")
            XCTAssertLessThanOrEqual(maxRankError(sketch, values), bound, name)
        }
    }

    func testKLLMergedFromRandomSplitsStaysWithinTheBound() {
        var rng = SketchTests.SplitMix(state: 11)
        for (name, values) in streams() {
            let shards = Int.random(in: 2...9, using: &rng)
            var parts = [KLLSketch](repeating: KLLSketch(), count: shards)
            for value in values { parts[Int.random(in: 0..<shards, using: &rng)].add(value) }
            var merged = KLLSketch()
            for part in parts { merged.merge(part) }
            XCTAssertEqual(merged.count, values.count)
            XCTAssertLessThanOrEqual(maxRankError(merged, values), KLLSketch.rankErrorBound(k: KLLSketch.defaultK), "\(name) in \(shards) shards")
        }
    }

    func testKLLFromCountsKeepsWeightsAndTheBound() {
        var rng = SplitMix(state: 23)
        var counts: [Double: Int] = [:]
        for value in 0..<900 { counts[Double(value)] = Int.random(in: 1...5000, using: &rng) }
        var sketch = KLLSketch()
        sketch.add(counts: counts)
        let total = counts.values.reduce(0, +)
        XCTAssertEqual(sketch.count, total)
        XCTAssertEqual(sketch.sample.totalWeight, Double(total))
        let truth = WeightedSample(points: counts.map { ($0.key, Double($0.value)) }, count: total, exact: true)
        for step in 1..<100 {
            let x = Double(step * 9)
            XCTAssertEqual(sketch.sample.cdf(x), truth.cdf(x), accuracy: KLLSketch.rankErrorBound(k: KLLSketch.defaultK))
        }
        var again = KLLSketch()
        again.add(counts: counts)
        XCTAssertEqual(again, sketch, "reproducible whatever the dictionary's order")
    }

    func testKLLIsExactWhileSmall() {
        var sketch = KLLSketch()
        let values = (0..<300).map { Double(($0 * 37) % 300) }
        for value in values { sketch.add(value) }
        XCTAssertTrue(sketch.isExact)
        XCTAssertEqual(sketch.sample.quantile(0.5), WeightedSample(exact: values).quantile(0.5))
    }

    func testHyperLogLogWithinFivePercent() {
        XCTAssertEqual(HyperLogLog.standardError, 0.01625, accuracy: 1e-5)
        for cardinality in [10, 1000, 9000, 30_000, 300_000] {
            var sketch = HyperLogLog()
            for index in 0..<cardinality {
                sketch.add(hash: Hashing.hash("value-\(index)"))
                sketch.add(hash: Hashing.hash("value-\(index / 2)"))
            }
            let error = abs(sketch.estimate - Double(cardinality)) / Double(cardinality)
            XCTAssertLessThan(error, 0.05, "\(cardinality) distinct values estimated as \(sketch.estimate)")
        }
    }

    func testHyperLogLogMergeEqualsOneSketch() {
        var whole = HyperLogLog(), left = HyperLogLog(), right = HyperLogLog()
        for index in 0..<50_000 {
            let hash = Hashing.hash(Double(index))
            whole.add(hash: hash)
            if index % 3 == 0 { left.add(hash: hash) } else { right.add(hash: hash) }
        }
        left.merge(right)
        XCTAssertEqual(left, whole)
    }

    func testFrequentItemsExactThenHeavyHittersWithBoundedUndercount() {
        var items = FrequentItems<String>(capacity: 100)
        for index in 0..<50 { items.add("v\(index)", count: index + 1) }
        XCTAssertEqual(items.state, .exact)
        XCTAssertEqual(items.counts["v49"], 50)
        // A heavy value among 10 000 singletons survives, undercounted by at most n/(capacity+1).
        var rng = SplitMix(state: 3)
        var stream = Array(repeating: "heavy", count: 3000) + (0..<10_000).map { "rare\($0)" }
        stream.shuffle(using: &rng)
        var summary = FrequentItems<String>(capacity: 100)
        for value in stream { summary.add(value) }
        XCTAssertEqual(summary.state, .approximate)
        let heavy = summary.counts["heavy"] ?? 0
        XCTAssertLessThanOrEqual(heavy, 3000)
        XCTAssertGreaterThanOrEqual(heavy, 3000 - summary.errorBound)
        XCTAssertLessThanOrEqual(summary.errorBound, stream.count / 101)
        XCTAssertEqual(summary.top(1).first?.value, "heavy")
    }

    func testNumericCountsAreAbandonedPastCapacity() {
        var counts = FrequentItems<Double>(capacity: 10, abandonOnOverflow: true)
        for value in 0..<11 { counts.add(Double(value)) }
        XCTAssertEqual(counts.state, .abandoned)
        XCTAssertTrue(counts.counts.isEmpty)
    }

    func testRunningMomentsMergeMatchesOnePass() {
        var rng = SplitMix(state: 5)
        let values = (0..<10_000).map { _ in 1e6 + Double.random(in: -1...1, using: &rng) }
        var whole = RunningMoments()
        for value in values { whole.add(value) }
        var left = RunningMoments(), right = RunningMoments()
        for (index, value) in values.enumerated() { if index < 3333 { left.add(value) } else { right.add(value) } }
        left.merge(right)
        XCTAssertEqual(left.count, whole.count)
        XCTAssertEqual(left.minimum, whole.minimum)
        XCTAssertEqual(left.maximum, whole.maximum)
        XCTAssertEqual(left.mean, whole.mean, accuracy: abs(whole.mean) * 1e-13)
        XCTAssertEqual(left.sampleVariance!, whole.sampleVariance!, accuracy: whole.sampleVariance! * 1e-9)
        // Two-pass variance as the reference: Welford stays accurate despite the large offset.
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        XCTAssertEqual(whole.sampleVariance!, variance, accuracy: variance * 1e-9)
    }
}

/// The compaction sort agrees with the standard library on awkward inputs.
final class CompactionSortTests: XCTestCase {
    func testRadixSortMatchesSorted() {
        var rng = SketchTests.SplitMix(state: 17)
        let inputs: [[Double]] = [
            [], [1], [2, 1], (0..<1000).map(Double.init), (0..<1000).reversed().map(Double.init),
            [Double](repeating: 3, count: 500),
            (0..<2000).map { _ in Double(Int.random(in: 0..<5, using: &rng)) },
            (0..<2000).map { _ in Double.random(in: -1e9...1e9, using: &rng) },
            [0, -0.0, -.infinity, .infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude, -1, 1, -2.5, 1e-310],
            (0..<400).map { _ in Double(Int.random(in: -3...3, using: &rng)) * 0.1 },
            // Runs equal in the upper 32 bits, short and long: epoch seconds with
            // milliseconds, and numbers that differ only in their lowest bits.
            (0..<400).map { _ in 1.7e9 + Double(Int.random(in: 0..<600_000, using: &rng)) / 1000 },
            (0..<400).map { _ in Double(bitPattern: 1.5.bitPattern | UInt64.random(in: 0..<(1 << 20), using: &rng)) },
            (0..<400).map { _ in Double(bitPattern: (-1.5).bitPattern | UInt64.random(in: 0..<(1 << 20), using: &rng)) },
            (0..<400).map { index in Double(bitPattern: 2.0.bitPattern + UInt64(index % 40) << 32 + UInt64.random(in: 0..<4, using: &rng)) },
            // The window starts at the sign (numbers of both signs), or high in the exponent
            // with most numbers in one long run below it (one outlier), or low in the bits.
            (0..<400).map { _ in Double.random(in: -200...200, using: &rng) },
            (0..<400).map { index in index == 7 ? 1e300 : Double.random(in: 1...2, using: &rng) },
            (0..<400).map { index in index == 7 ? -1e-300 : Double.random(in: 1...1.0001, using: &rng) },
            (0..<400).map { _ in Double(bitPattern: 3.0.bitPattern + UInt64.random(in: 0..<300, using: &rng)) },
        ]
        for input in inputs {
            var copy = input
            copy.withUnsafeMutableBufferPointer { KLLSketch.sort($0) }
            XCTAssertEqual(copy, input.sorted())
        }
    }

    /// -0 goes before 0 wherever it stands, also in input already in order by `<` (which
    /// holds 0 and -0 equal), so the sketch's items are the same bits either way.
    func testZeroesAreOrderedBySignInInputAlreadyInOrder() {
        let inputs: [[Double]] = [[-1, 0, -0.0, 1], [0, -0.0], (0..<400).map { $0 == 200 ? -0.0 : Double($0 - 199) }, [-0.0, 0, 1]]
        for input in inputs {
            var copy = input
            copy.withUnsafeMutableBufferPointer { KLLSketch.sort($0) }
            let expected = input.sorted { $0 < $1 || ($0 == 0 && $1 == 0 && $0.sign == .minus && $1.sign == .plus) }
            XCTAssertEqual(copy.map(\.bitPattern), expected.map(\.bitPattern))
        }
    }
}

/// Adding a batch at a time builds the same sketches as adding each value in turn, which
/// is what lets the profiler batch a column's numbers without changing its profile.
final class BatchedSketchTests: XCTestCase {
    private func values() -> [Double] {
        var rng = SketchTests.SplitMix(state: 23)
        var values = (0..<5_000).map { _ in Double.random(in: -1e6...1e6, using: &rng) }
        values[17] = .nan
        values[2_345] = .nan
        values[400] = -0.0
        return values
    }

    func testKLLBatchesOfAnySizeEqualOneValueAtATime() {
        let values = values()
        for (start, sizes) in [(false, [1, 255, 256, 399, 400, 401, 1_000]), (true, [7, 800, 3])] {
            var one = KLLSketch(), batched = KLLSketch()
            if start {
                // Counts first, as the profiler adds them when its exact counts overflow:
                // level 0 then holds more than k values before the batches.
                let counts = Dictionary((0..<700).map { (Double($0), $0 % 3 + 1) }, uniquingKeysWith: +)
                one.add(counts: counts)
                batched.add(counts: counts)
            }
            for x in values { one.add(x) }
            var next = 0, turn = 0
            while next < values.count {
                let end = min(values.count, next + sizes[turn % sizes.count])
                values[next..<end].withUnsafeBufferPointer { batched.add(contentsOf: $0) }
                next = end
                turn += 1
            }
            XCTAssertEqual(batched, one)
            XCTAssertFalse(batched.isExact, "the batches crossed compactions")
        }
    }

    func testHyperLogLogOfABatchEqualsOneHashAtATime() {
        let values = values().filter { !$0.isNaN } + [0, 1, 1, 2]
        var one = HyperLogLog(), batched = HyperLogLog()
        for x in values { one.add(hash: Hashing.hash(x)) }
        values.withUnsafeBufferPointer { batched.add(numbers: $0) }
        XCTAssertEqual(batched, one)
        XCTAssertEqual(batched.estimate, one.estimate)
    }

    /// The padded hash (the tail in one load) is the byte loop's, whatever follows the
    /// bytes: every length from 0 to 40, at every alignment, with junk after the end.
    func testPaddedHashOfBytesEqualsTheByteLoop() {
        var rng = SketchTests.SplitMix(state: 11)
        let storage = (0..<80).map { _ in UInt8.random(in: 0...255, using: &rng) }
        storage.withUnsafeBufferPointer { all in
            for start in 0..<8 {
                for length in 0...40 {
                    let bytes = UnsafeBufferPointer<UInt8>(rebasing: all[start..<(start + length)])
                    XCTAssertEqual(Hashing.hash(padded: bytes), Hashing.hash(bytes), "offset \(start), \(length) bytes")
                }
            }
        }
        XCTAssertEqual(Hashing.hash(padded: UnsafeBufferPointer(start: nil, count: 0)), Hashing.hash(UnsafeBufferPointer<UInt8>(start: nil, count: 0)))
    }
}
