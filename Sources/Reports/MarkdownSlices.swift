import ReportModel

/// The slices section of the Markdown view, from `SliceTable`: table lines built here so the
/// number of metric columns can follow the gates; every value is already escaped.
enum MarkdownSlices {
    static func view(_ table: SliceTable, layout: MarkdownLayout, artifactsURL: String?) -> [String: Any] {
        let md = Escape.markdown
        let shown = layout.fullDetails ? table.rows : Array(table.rows.prefix(10))
        let lines = shown.map { row -> [String: Any] in
            let values = zip(row.values, row.worst).map { value, worst in worst ? "**\(Format.number(value))** (worst)" : Format.number(value) }
            return ["line": line([md(row.column), md(row.value), Format.count(row.rowCount)] + values)]
        }
        var view = MarkdownView.trimmed(lines, layout: layout, artifactsURL: artifactsURL)
        view = MarkdownView.withMore(view, (view["more"] as? Int ?? 0) + table.rows.count - shown.count, artifactsURL: artifactsURL)
        view["header"] = line(["column", "value", "rows"] + table.columns.map { md($0.name) + ($0.higherIsBetter ? " ↑" : " ↓") + ($0.gated ? " (gated)" : "") })
        view["align"] = line(["---", "---", "---:"] + table.columns.map { _ in "---:" })
        view["gates"] = table.gates.map { ["mark": Format.mark($0.status), "name": md($0.name), "detail": md($0.detail)] }
        view["worst"] = table.columns.indices.compactMap { index -> [String: Any]? in
            guard let row = table.rows.first(where: { $0.worst[index] }) else { return nil }
            return ["metric": md(table.columns[index].name), "slice": md("\(row.column)=\(row.value)"), "value": Format.number(row.values[index])]
        }
        if layout.fullDetails, !table.otherColumns.isEmpty {
            view["others"] = [
                "header": line(["column", "value"] + table.otherColumns.map(md)),
                "align": line(["---", "---"] + table.otherColumns.map { _ in "---:" }),
                "rows": table.rows.map { ["line": line([md($0.column), md($0.value)] + $0.others.map(Format.number))] },
            ] as [String: Any]
        }
        return view
    }

    private static func line(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }
}
