import Foundation
import ReportModel
import Stats

/// Compares one feature between reference and current, choosing the method as Evidently
/// does unless told, and says how the numbers were obtained.
final class FeatureComparison {
    let name: String
    let reference: ColumnProfile
    let current: ColumnProfile
    let referenceSide: DriftSide
    let currentSide: DriftSide
    let options: DriftOptions

    init(name: String, reference: ColumnProfile, current: ColumnProfile, referenceSide: DriftSide, currentSide: DriftSide, options: DriftOptions) {
        self.name = name
        self.reference = reference
        self.current = current
        self.referenceSide = referenceSide
        self.currentSide = currentSide
        self.options = options
    }

    /// Both numeric samples, built (and sorted) once.
    private lazy var numericSamples: (WeightedSample, WeightedSample) = (referenceSide.sample(reference), currentSide.sample(current))

    /// The kind both sides agree on, or why they cannot be compared.
    private enum Agreement { case kind(ColumnKind), changed(ColumnKind, ColumnKind), empty(String) }

    func run() -> FeatureDrift {
        let missingReference = rate(reference, rows: referenceSide.profile.rowCount)
        let missingCurrent = rate(current, rows: currentSide.profile.rowCount)
        func untested(kind: String, method: FeatureDrift.Method, drifted: Bool, note: String) -> FeatureDrift {
            FeatureDrift(name: name, kind: kind, method: method, statistic: nil, pValue: nil, threshold: 0, drifted: drifted, missingRateReference: missingReference, missingRateCurrent: missingCurrent, note: note)
        }
        let kind: ColumnKind
        switch agreement() {
        case .changed(let before, let after):
            return untested(kind: after.rawValue, method: .typeChange, drifted: true, note: "type changed: \(before.rawValue) in reference, \(after.rawValue) in current")
        case .empty(let why):
            return untested(kind: reference.kind == .empty ? current.kind.rawValue : reference.kind.rawValue, method: .none, drifted: false, note: why)
        case .kind(let agreed):
            kind = agreed
        }
        let method = options.columnMethods[name] ?? options.method ?? automaticMethod(kind)
        let threshold = options.columnThresholds[name] ?? options.threshold ?? method.defaultThreshold
        if method.numericOnly && kind != .numeric {
            return untested(kind: kind.rawValue, method: .measured(method), drifted: false, note: "\(method.rawValue) needs a numeric column; this one is categorical")
        }
        var outcome: Outcome
        do {
            outcome = try measure(method, kind: kind)
        } catch let problem as Untestable {
            return untested(kind: kind.rawValue, method: .measured(method), drifted: false, note: problem.reason)
        } catch {
            return untested(kind: kind.rawValue, method: .measured(method), drifted: false, note: "\(error)")
        }
        let score = method.isTest ? outcome.pValue ?? .nan : outcome.statistic
        let drifted = score.isNaN ? false : method.drifted(score: score, threshold: threshold)
        if score.isNaN { outcome.notes.append("the \(method.isTest ? "p-value" : "statistic") is undefined for these values") }
        return FeatureDrift(
            name: name, kind: kind.rawValue, method: .measured(method),
            statistic: outcome.statistic.isNaN ? nil : outcome.statistic,
            pValue: outcome.pValue.flatMap { $0.isNaN ? nil : $0 },
            threshold: threshold, drifted: drifted,
            missingRateReference: missingReference, missingRateCurrent: missingCurrent,
            note: outcome.notes.isEmpty ? nil : outcome.notes.joined(separator: "; "),
            distribution: distribution(kind: kind))
    }

    /// Whether the result came from sketches rather than every value.
    var usesSketches: Bool {
        if agreementKind == .numeric {
            let (a, b) = numericSamples
            return !a.isExact || !b.isExact
        }
        return !reference.countsAreExact || !current.countsAreExact
    }

    private var agreementKind: ColumnKind? {
        if case .kind(let kind) = agreement() { return kind }
        return nil
    }

    private func rate(_ column: ColumnProfile, rows: Int) -> Double {
        rows > 0 ? Double(column.missing + column.invalid) / Double(rows) : 0
    }

    private func agreement() -> Agreement {
        if reference.count == 0 { return .empty("no values in the reference after dropping missing values") }
        if current.count == 0 { return .empty("no values in the current data after dropping missing values") }
        let before = reference.kind, after = current.kind
        if before != after { return .changed(before, after) }
        return .kind(before)
    }

    /// Evidently's default: by reference size (after dropping missing values), kind and the
    /// number of distinct values in reference and current together.
    private func automaticMethod(_ kind: ColumnKind) -> DriftMethod {
        let unique = unionDistinct()
        if reference.count <= 1000 {
            if kind == .numeric && unique > 5 { return .ks }
            return unique > 2 ? .chisquare : .z
        }
        if kind == .numeric && unique > 5 { return .wasserstein }
        return .jensenshannon
    }

    /// Distinct non-missing values over both sides: exact from counts when both have them,
    /// else the merged HyperLogLog estimate.
    private func unionDistinct() -> Int {
        if let table = try? categories(kind: reference.kind), table.exact { return table.keys.count }
        var sketch = reference.distinctSketch
        sketch.merge(current.distinctSketch)
        return Int(sketch.estimate.rounded())
    }

    // MARK: - Measuring

    struct Outcome {
        var statistic: Double
        var pValue: Double?
        var notes: [String] = []
    }

    struct Untestable: Error { let reason: String }

    private func measure(_ method: DriftMethod, kind: ColumnKind) throws -> Outcome {
        switch method {
        case .ks:
            let (a, b, note) = samples()
            guard let result = KolmogorovSmirnov.test(a, b) else { throw Untestable(reason: "no values to compare") }
            var outcome = Outcome(statistic: result.statistic, pValue: result.pValue)
            outcome.notes += note.map { [$0 + sketchBoundNote(a, b, what: "the KS statistic")] } ?? []
            if !result.exact { outcome.notes.append("asymptotic p-value (a sample has more than \(KolmogorovSmirnov.maxExactSampleSize) values)") }
            return outcome
        case .wasserstein:
            let (a, b, note) = samples()
            let deviation = max(reference.numbers.populationVariance.map { $0.squareRoot() } ?? 0, 0.001)
            var outcome = Outcome(statistic: Distances.wasserstein(a, b) / deviation)
            if let note { outcome.notes.append(note + wassersteinBoundNote(a, b, deviation: deviation)) }
            return outcome
        case .chisquare:
            let table = try categories(kind: kind)
            let scale = Double(current.count) / Double(reference.count)
            let result = ChiSquare.test(observed: table.current, expected: table.reference.map { $0 * scale })
            return Outcome(statistic: result.statistic, pValue: result.pValue, notes: table.notes)
        case .z:
            return try zTest(kind: kind)
        case .jensenshannon, .jsDivergence, .lInfinity, .klDiv:
            let binned = try evidentlyBins(kind: kind)
            var (p, q) = (binned.reference, binned.current)
            if method == .klDiv { (p, q) = (Distances.fillingZeros(p), Distances.fillingZeros(q)) }
            let value: Double
            switch method {
            case .jensenshannon: value = Distances.jensenShannon(p, q)
            case .jsDivergence: value = Distances.jensenShannonDivergence(p, q)
            case .lInfinity: value = Distances.lInfinity(p, q)
            default: value = Distances.kullbackLeibler(p, q)
            }
            return Outcome(statistic: value, notes: binned.notes)
        case .psi:
            let binned = try psiBins(kind: kind)
            let value = Distances.populationStability(Distances.fillingZeros(binned.reference), Distances.fillingZeros(binned.current))
            return Outcome(statistic: value, notes: binned.notes)
        case .hellinger:
            return try hellinger(kind: kind)
        }
    }

    private func sketchBoundNote(_ a: WeightedSample, _ b: WeightedSample, what: String) -> String {
        let bound = (a.isExact ? 0 : referenceSide.profile.sketches.quantileRankError) + (b.isExact ? 0 : currentSide.profile.sketches.quantileRankError)
        return String(format: " (%@ within ±%.4f of the exact value)", what, bound)
    }

    /// The bound of a Wasserstein distance from sketches. A sketch with rank error ε puts
    /// each quantile between the exact quantiles at ranks u − ε and u + ε, so its quantile
    /// function differs from the exact one by at most 2ε · (max − min) in area; the distance
    /// moves by at most the sum over the sketched sides, divided by the same deviation.
    private func wassersteinBoundNote(_ a: WeightedSample, _ b: WeightedSample, deviation: Double) -> String {
        func side(_ sample: WeightedSample, _ moments: RunningMoments, _ error: Double) -> Double {
            sample.isExact || moments.count == 0 ? 0 : 2 * error * (moments.maximum - moments.minimum)
        }
        let bound = (side(a, reference.numbers, referenceSide.profile.sketches.quantileRankError)
            + side(b, current.numbers, currentSide.profile.sketches.quantileRankError)) / deviation
        return String(format: " (the distance within ±%.4f of the exact value, 99%% confidence)", bound)
    }

    /// The two numeric samples, and a note when either comes from a sketch.
    private func samples() -> (WeightedSample, WeightedSample, String?) {
        let (a, b) = numericSamples
        if a.isExact && b.isExact { return (a, b, nil) }
        let sides = [a.isExact ? nil : "reference", b.isExact ? nil : "current"].compactMap { $0 }.joined(separator: " and ")
        return (a, b, "from quantile sketches (\(sides) over the exact-value limit or given as a profile)")
    }

    /// Counts per category over the union of both sides' values, in a stable order.
    struct Table {
        var keys: [String]
        var numericKeys: [Double]?
        var reference: [Double]
        var current: [Double]
        var exact: Bool
        var notes: [String]
    }

    private func categories(kind: ColumnKind) throws -> Table {
        if kind == .numeric {
            guard reference.numberCounts.state == .exact, current.numberCounts.state == .exact else {
                throw Untestable(reason: "more than \(ColumnProfile.numberCountCapacity) distinct numbers: too many to compare as categories; use ks, wasserstein or a binned method")
            }
            let keys = Set(reference.numberCounts.counts.keys).union(current.numberCounts.counts.keys).sorted()
            return Table(keys: keys.map(ColumnProfile.label), numericKeys: keys,
                         reference: keys.map { Double(reference.numberCounts.counts[$0] ?? 0) },
                         current: keys.map { Double(current.numberCounts.counts[$0] ?? 0) },
                         exact: true, notes: [])
        }
        let a = reference.categoryCounts, b = current.categoryCounts
        var keys = Set(a.counts.keys).union(b.counts.keys).sorted()
        var ref = keys.map { Double(a.counts[$0] ?? 0) }
        var cur = keys.map { Double(b.counts[$0] ?? 0) }
        let exact = a.state == .exact && b.state == .exact
        var notes: [String] = []
        if !exact {
            // Values outside the heavy hitters are pooled so the shares still sum to one.
            keys.append("(other)")
            ref.append(Double(reference.count) - ref.reduce(0, +))
            cur.append(Double(current.count) - cur.reduce(0, +))
            notes.append("from heavy-hitter counts (more than \(a.capacity) distinct values): counts within \(max(a.errorBound, b.errorBound)) of exact, the rest pooled as (other)")
        }
        return Table(keys: keys, numericKeys: nil, reference: ref, current: cur, exact: exact, notes: notes)
    }

    private func zTest(kind: ColumnKind) throws -> Outcome {
        let table = try categories(kind: kind)
        let refPresent = table.reference.filter { $0 > 0 }.count
        let curPresent = table.current.filter { $0 > 0 }.count
        if refPresent == 1 && curPresent == 1 && table.keys.count == 1 {
            return Outcome(statistic: 0, pValue: 1, notes: table.notes)
        }
        // The first category in sorted order against all others, as Evidently does.
        let n1 = Double(reference.count), n2 = Double(current.count)
        let result = TwoProportionZ.test(successes1: n1 - table.reference[0], n1: n1, successes2: n2 - table.current[0], n2: n2)
        return Outcome(statistic: result.statistic, pValue: result.pValue, notes: table.notes)
    }

    /// Evidently's `get_binned_data`: numeric columns with more than 20 distinct reference
    /// values go into Sturges bins over both sides; others into categories. Shares of each side.
    private func evidentlyBins(kind: ColumnKind) throws -> (reference: [Double], current: [Double], notes: [String]) {
        if kind == .numeric && reference.distinctValues.value > 20 {
            let (a, b, note) = samples()
            let low = min(reference.numbers.minimum, current.numbers.minimum)
            let high = max(reference.numbers.maximum, current.numbers.maximum)
            let edges = Binning.sturgesEdges(minimum: low, maximum: high, size: reference.count + current.count, integral: integral(a, b))
            let p = Binning.counts(a, edges: edges).map { $0 / Double(reference.count) }
            let q = Binning.counts(b, edges: edges).map { $0 / Double(current.count) }
            return (p, q, note.map { [$0] } ?? [])
        }
        let table = try categories(kind: kind)
        return (table.reference.map { $0 / Double(reference.count) }, table.current.map { $0 / Double(current.count) }, table.notes)
    }

    /// Whether pandas would hold the values as integers (no missing value, every value whole),
    /// which makes numpy widen Sturges bins to at least 1.
    private func integral(_ a: WeightedSample, _ b: WeightedSample) -> Bool {
        guard a.isExact, b.isExact, reference.missing == 0, current.missing == 0, reference.invalid == 0, current.invalid == 0 else { return false }
        return a.values.allSatisfy { $0 == $0.rounded() } && b.values.allSatisfy { $0 == $0.rounded() }
    }

    /// PSI bins: numeric columns with more than 20 distinct reference values use the reference
    /// deciles as cut points (outer bins open); others use categories.
    private func psiBins(kind: ColumnKind) throws -> (reference: [Double], current: [Double], notes: [String]) {
        if kind == .numeric && reference.distinctValues.value > 20 {
            let (a, b, note) = samples()
            var cuts: [Double] = []
            for decile in 1...9 {
                let cut = a.quantile(Double(decile) / 10)
                if cuts.last != cut { cuts.append(cut) }
            }
            let p = Binning.countsOpenEnded(a, cuts: cuts).map { $0 / a.totalWeight }
            let q = Binning.countsOpenEnded(b, cuts: cuts).map { $0 / b.totalWeight }
            return (p, q, note.map { [$0] } ?? [])
        }
        let table = try categories(kind: kind)
        return (table.reference.map { $0 / Double(reference.count) }, table.current.map { $0 / Double(current.count) }, table.notes)
    }

    /// Evidently's Hellinger distance: category shares, or for numbers density histograms
    /// over Sturges bins sized by the number of distinct values.
    private func hellinger(kind: ColumnKind) throws -> Outcome {
        if kind == .categorical {
            let table = try categories(kind: kind)
            let p = table.reference.map { $0 / Double(reference.count) }
            let q = table.current.map { $0 / Double(current.count) }
            return Outcome(statistic: Distances.hellinger(p, q), notes: table.notes)
        }
        let (a, b, note) = samples()
        let distinct: Int
        if a.isExact && b.isExact {
            distinct = WeightedSample(exact: a.values + b.values).distinctCount
        } else {
            distinct = unionDistinct()
        }
        let low = min(reference.numbers.minimum, current.numbers.minimum)
        let high = max(reference.numbers.maximum, current.numbers.maximum)
        let edges = Binning.sturgesEdges(minimum: low, maximum: high, size: distinct, integral: integral(a, b))
        let value = Distances.hellinger(counts: Binning.counts(a, edges: edges), Binning.counts(b, edges: edges), edges: edges)
        return Outcome(statistic: value, notes: note.map { [$0] } ?? [])
    }

    // MARK: - Charts

    private func distribution(kind: ColumnKind) -> Distribution? {
        if kind == .numeric && (reference.numberCounts.state != .exact || current.numberCounts.state != .exact || unionDistinct() > 20) {
            let (a, b, _) = samples()
            let low = min(reference.numbers.minimum, current.numbers.minimum)
            let high = max(reference.numbers.maximum, current.numbers.maximum)
            // Bins at the reference's deciles follow the data: a long tail (incomes) gets
            // ten bins where the rows are, not twenty equal ones that are mostly empty.
            var edges = [low]
            for decile in 1...9 {
                let cut = a.quantile(Double(decile) / 10)
                if cut > edges[edges.count - 1], cut < high { edges.append(cut) }
            }
            edges.append(high)
            let p = Binning.counts(a, edges: edges).map { $0 / a.totalWeight }
            let q = Binning.counts(b, edges: edges).map { $0 / b.totalWeight }
            let labels = (0..<(edges.count - 1)).map { String(format: "[%.4g, %.4g%@", edges[$0], edges[$0 + 1], $0 == edges.count - 2 ? "]" : ")") }
            return Distribution(bins: labels, reference: p, current: q, edges: edges, binning: .referenceDeciles)
        }
        guard let table = try? categories(kind: kind) else { return nil }
        let order = table.keys.indices.sorted { table.reference[$0] + table.current[$0] > table.reference[$1] + table.current[$1] }
        let shown = order.prefix(20)
        return Distribution(bins: shown.map { table.keys[$0] },
                            reference: shown.map { table.reference[$0] / Double(reference.count) },
                            current: shown.map { table.current[$0] / Double(current.count) })
    }
}
