import Foundation

/// A small seeded generator (SplitMix64), so a bootstrap with the same seed gives the same
/// interval on every machine and Swift version.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (multiply-shift; the bias is below 2^-40 for any table size).
    mutating func next(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}

/// The paired bootstrap of metric deltas: each resample draws holdout rows with replacement
/// and scores candidate and champion on the same draw, so the interval reflects the
/// difference between the models rather than the luck of the holdout.
enum PairedBootstrap {
    /// The `confidence` percentile interval of candidate − champion for each metric both report.
    ///
    /// Resample `b` draws from its own generator seeded by `seed` and `b`, so resamples run
    /// in parallel on `threads` threads (default: every core) and the result does not
    /// depend on how many there are.
    static func intervals(candidate: MetricSuite, champion: MetricSuite, resamples: Int, seed: UInt64, confidence: Double, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [String: (low: Double, high: Double)] {
        let n = candidate.rowCount
        let workers = max(1, min(threads, resamples))
        let slots = UnsafeMutableBufferPointer<[(name: String, delta: Double)]>.allocate(capacity: resamples)
        slots.initialize(repeating: [])
        defer { slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var counts = [UInt8](repeating: 0, count: n)
            for b in stride(from: worker, to: resamples, by: workers) {
                let seedOfResample = seed ^ (UInt64(b) &* 0xD1B5_4A32_D192_ED03)
                var generator = SplitMix64(seed: seedOfResample)
                var overflowed = false
                counts.withUnsafeMutableBufferPointer { counts in
                    counts.update(repeating: 0)
                    for _ in 0..<n {
                        let row = generator.next(below: n)
                        counts[row] &+= 1
                        if counts[row] == 0 { overflowed = true }
                    }
                }
                let scores: (MetricSuite) -> [(name: String, value: Double)]
                if overflowed {
                    // A row drawn 256 times or more (all but impossible past a few rows):
                    // the same draws again, counted as numbers.
                    var weights = [Double](repeating: 0, count: n)
                    generator = SplitMix64(seed: seedOfResample)
                    for _ in 0..<n { weights[generator.next(below: n)] += 1 }
                    scores = { $0.metrics(weights) }
                } else {
                    scores = { $0.metrics(counts: counts) }
                }
                let championValues = Dictionary(scores(champion).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                slots[b] = scores(candidate).compactMap { metric in championValues[metric.name].map { (metric.name, metric.value - $0) } }
            }
        }
        var deltas: [String: [Double]] = [:]
        for slot in slots { for (name, delta) in slot { deltas[name, default: []].append(delta) } }
        let tail = (1 - confidence) / 2
        return deltas.mapValues { values in
            let sorted = values.sorted()
            return (percentile(sorted, tail), percentile(sorted, 1 - tail))
        }
    }

    /// Linear interpolation between closest ranks, numpy's default `percentile` method.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
