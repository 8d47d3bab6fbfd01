/// Eight bootstrap resamples' draw counts: each resample's counts as bytes in row order
/// (`lanes`), and the same side by side in `words`: row `r`'s counts are the eight bytes of
/// `words[r]`, resample `k` in byte `k` (the lowest first).
///
/// The row-order sums read each lane's bytes in order; the ROC pass, which visits rows in
/// score order, fetches one word per row (one cache access) for all eight resamples where
/// eight separate count arrays cost eight.
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

    /// A word's eight counts as integers.
    @inline(__always)
    static func lanes(_ word: UInt64) -> SIMD8<Int64> {
        SIMD8<Int64>(truncatingIfNeeded: unsafeBitCast(word, to: SIMD8<UInt8>.self))
    }
}

extension BinaryMetrics {
    /// The metrics of each resample in `batch`, in lane order: for each, exactly what
    /// `metrics(_:)` gives with that resample's counts as weights (the same row-order sums,
    /// and each lane of the batched ROC pass takes the same steps as `Ranking`).
    func metrics(batch: ResampleBatch) -> [[(name: String, value: Double)]] {
        let confusions = batch.lanes.map { confusion(DrawCounts(counts: $0)) }
        let positives = SIMD8<Int64>((0..<ResampleBatch.width).map { Int64(confusions[$0][1][0] + confusions[$0][1][1]) })
        let curves = ranked.map { BatchRanking($0, batch, positives: positives) }
        return (0..<ResampleBatch.width).map { lane in
            let curve = curves.map { (rocAUC: $0.rocAUC(lane), averagePrecision: $0.averagePrecision(lane)) }
            return report(counts: confusions[lane], curve: curve, termSums: ranked == nil ? nil : termSums(DrawCounts(counts: batch.lanes[lane])))
        }
    }
}

/// `Ranking`'s area and average precision for every lane of a batch, in one pass over the
/// ranked rows: per lane the same integer counts and the same floating-point steps at the
/// same run ends as `Ranking`, so each lane's values are equal to the bit.
struct BatchRanking {
    private let area: SIMD8<Double>
    private let ap: SIMD8<Double>
    private let positives: SIMD8<Int64>
    private let negatives: SIMD8<Int64>

    init(_ rows: RankedRows, _ batch: ResampleBatch, positives: SIMD8<Int64>) {
        let divisor = SIMD8<Double>(pointwiseMax(positives, SIMD8(repeating: 1)))
        var tp = SIMD8<Int64>(), fp = SIMD8<Int64>(), runTP = SIMD8<Int64>(), runFP = SIMD8<Int64>()
        var area = SIMD8<Double>(), ap = SIMD8<Double>()
        rows.visit({ batch.words[$0] }) { flag, word in
            let w = ResampleBatch.lanes(word), t = SIMD8<Int64>(repeating: -Int64(flag & 1))
            tp &+= w & t
            fp &+= w & ~t
            if flag & 2 != 0 {
                let (tpValue, fpValue, runTPValue, runFPValue) = (SIMD8<Double>(tp), SIMD8<Double>(fp), SIMD8<Double>(runTP), SIMD8<Double>(runFP))
                area += (fpValue - runFPValue) * (tpValue + runTPValue) / 2
                ap += (tpValue - runTPValue) / divisor * (tpValue / pointwiseMax(tpValue + fpValue, SIMD8(repeating: 1)))
                runTP = tp
                runFP = fp
            }
        }
        self.area = area
        self.ap = ap
        self.positives = positives
        negatives = fp
    }

    func rocAUC(_ lane: Int) -> Double? {
        positives[lane] > 0 && negatives[lane] > 0 ? area[lane] / (Double(positives[lane]) * Double(negatives[lane])) : nil
    }

    func averagePrecision(_ lane: Int) -> Double? {
        positives[lane] > 0 && negatives[lane] > 0 ? ap[lane] : nil
    }
}
