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

/// Batch numbers 0, 1, 2, ... handed out one at a time to whichever thread asks.
private final class BatchQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
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
        // A batch sums each resample's counts in 32 bits (`ResampleBatch.lanes`).
        precondition(n < Int(Int32.max), "a bootstrap over 2^31 rows or more")
        // Resamples go in batches of eight (`ResampleBatch`), batch `j` holding resamples
        // 8j ..< 8j + 8; each thread takes the next batch when it is done with one, so a
        // thread on a core that other processes share takes fewer and none waits idle.
        let width = ResampleBatch.width
        let batches = (resamples + width - 1) / width
        let workers = max(1, min(threads, batches))
        let slots = UnsafeMutableBufferPointer<[(name: String, delta: Double)]>.allocate(capacity: resamples)
        slots.initialize(repeating: [])
        defer { slots.deallocate() }
        let queue = BatchQueue()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            // A lane per resample of a batch (a lane past the last resample stays zero),
            // drawn as bytes in row order: a million rows' counts fit a core's cache.
            let lanes = (0..<width).map { _ in UnsafeMutableBufferPointer<UInt8>.allocate(capacity: n) }
            let words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
            defer {
                lanes.forEach { $0.deallocate() }
                words.deallocate()
            }
            while case let batch = queue.take(), batch < batches {
                let first = batch * width, used = min(width, resamples - first)
                var overflowed = [Bool](repeating: false, count: width)
                for lane in 0..<width {
                    let counts = lanes[lane]
                    counts.update(repeating: 0)
                    guard lane < used else { continue }
                    var generator = SplitMix64(seed: resampleSeed(seed, first + lane))
                    for _ in 0..<n { counts[generator.next(below: n)] &+= 1 }
                    // Each draw adds 1 to a byte, so the bytes sum to n unless one wrapped
                    // past 255: one check per resample rather than one per draw.
                    var drawn = 0
                    for count in counts { drawn &+= Int(count) }
                    overflowed[lane] = drawn != n
                }
                let readOnly = lanes.map { UnsafeBufferPointer($0) }
                ResampleBatch.pack(readOnly, into: words)
                let resample = ResampleBatch(lanes: readOnly, words: UnsafeBufferPointer(words))
                let (candidateValues, championValues) = (candidate.metrics(batch: resample), champion.metrics(batch: resample))
                for lane in 0..<used {
                    var values = (candidateValues[lane], championValues[lane])
                    if overflowed[lane] {
                        // A row drawn 256 times or more (all but impossible past a few rows):
                        // the same draws again, counted as numbers.
                        var weights = [Double](repeating: 0, count: n)
                        var generator = SplitMix64(seed: resampleSeed(seed, first + lane))
                        for _ in 0..<n { weights[generator.next(below: n)] += 1 }
                        values = (candidate.metrics(weights), champion.metrics(weights))
                    }
                    let championByName = Dictionary(values.1.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                    slots[first + lane] = values.0.compactMap { metric in championByName[metric.name].map { (metric.name, metric.value - $0) } }
                }
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

    /// The seed of resample `b`'s generator.
    static func resampleSeed(_ seed: UInt64, _ b: Int) -> UInt64 {
        seed ^ (UInt64(b) &* 0xD1B5_4A32_D192_ED03)
    }

    /// Linear interpolation between closest ranks, numpy's default `percentile` method.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
