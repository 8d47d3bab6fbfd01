import ReportModel

/// Slices as a table a reviewer can scan: one row per slice, the gated metrics first, then
/// the headline ones, the rest kept for a collapsible part; the worst slice of each gated
/// metric is marked, and each slice gate is stated with its threshold and result. Both the
/// HTML and the Markdown render from this one value.
struct SliceTable {
    /// A metric column.
    struct Column {
        let name: String
        let higherIsBetter: Bool
        let gated: Bool
    }

    /// One slice.
    struct Row {
        let column: String
        let value: String
        let rowCount: Int
        /// Values in `columns` order.
        let values: [Double?]
        /// Whether the value is the worst slice's for a gated column.
        let worst: [Bool]
        /// Values in `otherColumns` order.
        let others: [Double?]
    }

    let columns: [Column]
    let otherColumns: [String]
    let rows: [Row]
    /// The slice gates as they were judged.
    let gates: [GateResult]

    /// Headline metrics shown besides the gated ones (the evaluation lists the task's main
    /// metrics first).
    static let headlineCount = 2

    init(_ evaluation: EvaluationSummary, gates: [GateResult]) {
        let known = evaluation.metrics
        let gatedNames = gates.compactMap(\.metric).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let inSlices = Set(evaluation.slices.flatMap(\.metrics.keys))
        let gated = known.filter { gatedNames.contains($0.name) && inSlices.contains($0.name) }
        let headline = known.filter { !gatedNames.contains($0.name) && inSlices.contains($0.name) }.prefix(Self.headlineCount)
        columns = gated.map { Column(name: $0.name, higherIsBetter: $0.higherIsBetter, gated: true) }
            + headline.map { Column(name: $0.name, higherIsBetter: $0.higherIsBetter, gated: false) }
        let shown = Set(columns.map(\.name))
        otherColumns = inSlices.filter { !shown.contains($0) }.sorted()
        self.gates = gates.filter { $0.kind == .slice }

        // The worst value of each gated column across slices, by the metric's direction.
        // The worst slice of each gated column by the metric's direction: the first slice
        // holding the worst value, and none when every slice has the same value.
        let worstRow: [Int?] = columns.map { column in
            guard column.gated else { return nil }
            let values = evaluation.slices.map { $0.metrics[column.name] }
            let finite = values.compactMap { $0 }.filter(\.isFinite)
            guard let worst = column.higherIsBetter ? finite.min() : finite.max(), finite.contains(where: { $0 != worst }) else { return nil }
            return values.firstIndex { $0 == worst }
        }
        let others = otherColumns
        let columns = self.columns
        rows = evaluation.slices.enumerated().map { index, slice in
            Row(column: slice.column, value: slice.value, rowCount: slice.rowCount, values: columns.map { slice.metrics[$0.name] },
                worst: worstRow.map { $0 == index }, others: others.map { slice.metrics[$0] })
        }
    }
}
