/// Eight bootstrap resamples' draw counts: each resample's counts as bytes in row order
/// (`lanes`), and the same side by side in `words`: row `r`'s counts are the eight bytes of
/// `words[r]`, resample `k` in byte `k` (the lowest first).
///
/// The binary metrics read only the words: one pass in row order sums the confusion
/// matrices and the log-loss and Brier terms of all eight resamples, and the ROC pass,
/// which visits rows in score order, fetches one word per row (one cache access) for all
/// eight where eight separate count arrays cost eight.
struct ResampleBatch {
    static let width = 8
    let lanes: [UnsafeBufferPointer<UInt8>]
    let words: UnsafeBufferPointer<UInt64>

    /// Packs eight lanes of `words.count` counts each into `words`.
    static func pack(_ lanes: [UnsafeBufferPointer<UInt8>], into words: UnsafeMutableBufferPointer<UInt64>) {
        precondition(lanes.count == width)
        let (l0, l1, l2, l3, l4, l5, l6, l7) = (lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5], lanes[6], lanes[7])
        for row in 0..<words.count {
            let low = UInt64(l0[row]) | UInt64(l1[row]) << 8 | UInt64(l2[row]) << 16 | UInt64(l3[row]) << 24
            let high = UInt64(l4[row]) | UInt64(l5[row]) << 8 | UInt64(l6[row]) << 16 | UInt64(l7[row]) << 24
            words[row] = low | high << 32
        }
    }

    /// A word's eight counts as integers. 32 bits hold any sum of them over the rows: each
    /// resample draws as many rows as there are, and the bootstrap takes fewer than 2^31.
    @inline(__always)
    static func lanes(_ word: UInt64) -> SIMD8<Int32> {
        SIMD8<Int32>(truncatingIfNeeded: unsafeBitCast(word, to: SIMD8<UInt8>.self))
    }
}

extension BinaryMetrics {
    /// The metrics of each resample in `batch`, in lane order: for each, exactly what
    /// `metrics(_:)` gives with that resample's counts as weights (per lane the same integer
    /// sums, the same floating-point steps in the same order).
    func metrics(batch: ResampleBatch) -> [[(name: String, value: Double)]] {
        let counts = BatchConfusion(self, batch.words)
        let terms = ranked == nil ? nil : termSums(batch.words)
        let curves = ranked.map { BatchRanking($0, batch.words, positives: counts.actual) }
        return (0..<ResampleBatch.width).map { lane in
            let curve = curves.map { (rocAUC: $0.rocAUC(lane), averagePrecision: $0.averagePrecision(lane)) }
            return report(counts: counts.matrix(lane), curve: curve, termSums: terms.map { ($0.logLoss[lane], $0.brier[lane]) })
        }
    }

    /// `termSums(_:)` for every lane of a batch, in one pass over the rows: each lane's four
    /// partial sums (rows 4k, 4k+1, ...) take the same products in the same order.
    func termSums(_ words: UnsafeBufferPointer<UInt64>) -> (logLoss: SIMD8<Double>, brier: SIMD8<Double>) {
        var l0 = SIMD8<Double>(), l1 = SIMD8<Double>(), l2 = SIMD8<Double>(), l3 = SIMD8<Double>()
        var b0 = SIMD8<Double>(), b1 = SIMD8<Double>(), b2 = SIMD8<Double>(), b3 = SIMD8<Double>()
        logLossTerms.withUnsafeBufferPointer { logLoss in
            brierTerms.withUnsafeBufferPointer { brier in
                @inline(__always) func weights(_ row: Int) -> SIMD8<Double> { SIMD8<Double>(ResampleBatch.lanes(words[row])) }
                let whole = logLoss.count - logLoss.count % 4
                var row = 0
                while row < whole {
                    let (w0, w1, w2, w3) = (weights(row), weights(row + 1), weights(row + 2), weights(row + 3))
                    l0 += w0 * logLoss[row]
                    l1 += w1 * logLoss[row + 1]
                    l2 += w2 * logLoss[row + 2]
                    l3 += w3 * logLoss[row + 3]
                    b0 += w0 * brier[row]
                    b1 += w1 * brier[row + 1]
                    b2 += w2 * brier[row + 2]
                    b3 += w3 * brier[row + 3]
                    row += 4
                }
                while row < logLoss.count {
                    let w = weights(row)
                    l0 += w * logLoss[row]
                    b0 += w * brier[row]
                    row += 1
                }
            }
        }
        return ((l0 + l1) + (l2 + l3), (b0 + b1) + (b2 + b3))
    }
}

/// `BinaryMetrics.confusion` for every lane of a batch, in one pass over the rows: the same
/// four integer sums per lane.
struct BatchConfusion {
    let total: SIMD8<Int32>
    let actual: SIMD8<Int32>
    let predicted: SIMD8<Int32>
    let both: SIMD8<Int32>

    /// The sums are taken within 64-bit words, four lanes of 16 bits in each (the even
    /// resamples' counts in one word, the odd ones' in another), and moved to 32 bits every
    /// 256 rows, before a 16-bit lane could overflow (256 counts of at most 255 each):
    /// integer sums in any grouping are the same.
    init(_ metrics: BinaryMetrics, _ words: UnsafeBufferPointer<UInt64>) {
        // total, actual, predicted and both, in that order.
        var sums = [SIMD8<Int32>](repeating: SIMD8(), count: 4)
        let low: UInt64 = 0x00FF_00FF_00FF_00FF
        metrics.truthMask.withUnsafeBufferPointer { truth in
            metrics.predictedMask.withUnsafeBufferPointer { predictions in
                var start = 0
                while start < truth.count {
                    let end = min(start + 256, truth.count)
                    // Scalars, not SIMD4 vectors of them: measured 2.4 times faster.
                    var (e0, o0, e1, o1, e2, o2, e3, o3): (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
                    for row in start..<end {
                        let w = words[row]
                        let e = w & low, o = (w >> 8) & low
                        let t = UInt64(bitPattern: Int64(truth[row])), p = UInt64(bitPattern: Int64(predictions[row]))
                        e0 &+= e
                        o0 &+= o
                        e1 &+= e & t
                        o1 &+= o & t
                        e2 &+= e & p
                        o2 &+= o & p
                        e3 &+= e & t & p
                        o3 &+= o & t & p
                    }
                    for (k, (even, odd)) in [(e0, o0), (e1, o1), (e2, o2), (e3, o3)].enumerated() {
                        let e = SIMD4<Int32>(truncatingIfNeeded: unsafeBitCast(even, to: SIMD4<UInt16>.self))
                        let o = SIMD4<Int32>(truncatingIfNeeded: unsafeBitCast(odd, to: SIMD4<UInt16>.self))
                        sums[k] &+= SIMD8(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3])
                    }
                    start = end
                }
            }
        }
        (total, actual, predicted, both) = (sums[0], sums[1], sums[2], sums[3])
    }

    func matrix(_ lane: Int) -> [[Double]] {
        BinaryMetrics.confusionMatrix(total: Int(total[lane]), actual: Int(actual[lane]), predicted: Int(predicted[lane]), both: Int(both[lane]))
    }
}

/// `Ranking`'s area and average precision for every lane of a batch, in one pass over the
/// ranked rows: per lane the same integer counts and the same floating-point steps at the
/// same run ends as `Ranking`, so each lane's values are equal to the bit.
struct BatchRanking {
    private let sums: BatchRankingSums
    private let positives: SIMD8<Int32>

    init(_ rows: RankedRows, _ words: UnsafeBufferPointer<UInt64>, positives: SIMD8<Int32>) {
        var sums = BatchRankingSums(words: words, divisor: SIMD8<Double>(pointwiseMax(positives, SIMD8(repeating: 1))))
        if let slots = rows.runSlots {
            // Few runs: each run's positive and negative weights summed in row order (a
            // small table that stays in cache, where the rank order looks every row's word
            // up at random), then one positive and one negative step a run. The counts at
            // each run's end are the same integers; a run with no positive (or negative)
            // row adds exactly +0 in the step that `BatchRankingSums` would skip.
            let table = UnsafeMutableBufferPointer<SIMD8<Int32>>.allocate(capacity: RankedRows.maxRunSlots)
            defer { table.deallocate() }
            table.initialize(repeating: SIMD8())
            slots.withUnsafeBufferPointer { slots in
                for row in 0..<slots.count { table[Int(slots[row])] &+= ResampleBatch.lanes(words[row]) }
            }
            for run in 0..<rows.flags.reduce(0, { $0 + Int($1 >> 1) }) {
                sums.add(flags: RankedRows.flags(positive: true, end: false), weight: table[2 * run])
                sums.add(flags: RankedRows.flags(positive: false, end: true), weight: table[2 * run + 1])
            }
        } else {
            rows.visit(&sums)
        }
        self.sums = sums
        self.positives = positives
    }

    func rocAUC(_ lane: Int) -> Double? {
        positives[lane] > 0 && sums.fp[lane] > 0 ? sums.area[lane] / (Double(positives[lane]) * Double(sums.fp[lane])) : nil
    }

    func averagePrecision(_ lane: Int) -> Double? {
        positives[lane] > 0 && sums.fp[lane] > 0 ? sums.ap[lane] : nil
    }
}

/// `RankingSums` in eight lanes.
private struct BatchRankingSums: RankedPass {
    let words: UnsafeBufferPointer<UInt64>
    let divisor: SIMD8<Double>
    var tp = SIMD8<Int32>(), fp = SIMD8<Int32>()
    /// The counts at the last run's end, as the numbers its step used (whole numbers, so
    /// the same as converting the counts again).
    var runTP = SIMD8<Double>(), runFP = SIMD8<Double>()
    var area = SIMD8<Double>(), ap = SIMD8<Double>()
    /// The classes of the rows since the last run's end: bit 0 a negative, bit 1 a positive.
    var runClasses: UInt8 = 0

    func weight(row: Int) -> UInt64 { words[row] }

    @inline(__always)
    mutating func step(flags flag: UInt8, weight word: UInt64) {
        add(flags: flag, weight: ResampleBatch.lanes(word))
    }

    /// The step of a row, or of rows of one class within a run, with weights `w`.
    @inline(__always)
    mutating func add(flags flag: UInt8, weight w: SIMD8<Int32>) {
        let t = SIMD8<Int32>(repeating: -Int32(flag & 1))
        tp &+= w & t
        fp &+= w & ~t
        runClasses |= 1 << (flag & 1)
        guard flag & 2 != 0 else { return }
        let tpValue = SIMD8<Double>(tp), fpValue = SIMD8<Double>(fp)
        // A run with no negative row leaves every lane's false positives where they were,
        // so its area step adds exactly +0 in every lane; a run with no positive row adds
        // exactly +0 to the average precision. Such steps are skipped: on continuous scores
        // nearly every row is a run of its own, and the precision step's two divisions per
        // lane are the dearest part of the pass.
        if runClasses & 1 != 0 { area += (fpValue - runFP) * (tpValue + runTP) / 2 }
        if runClasses & 2 != 0 { ap += (tpValue - runTP) / divisor * (tpValue / pointwiseMax(tpValue + fpValue, SIMD8(repeating: 1))) }
        runTP = tpValue
        runFP = fpValue
        runClasses = 0
    }
}
