import ReportModel

/// The slices section of the HTML report, from `SliceTable`.
enum HTMLSlices {
    static func render(_ table: SliceTable) -> String {
        let h = Escape.html
        var html = "<h3>Slices</h3>\n"
        for gate in table.gates {
            html += "<p class=\"slice-gate\">\(HTMLReport.nowrap(Format.mark(gate.status))) slice gate <b>\(h(gate.name))</b>: \(h(gate.detail))</p>\n"
        }
        for (index, column) in table.columns.enumerated() where column.gated {
            guard let worst = table.rows.first(where: { $0.worst[index] }) else { continue }
            html += "<p class=\"worst-slice\">Worst slice for \(h(column.name)): <b>\(h(worst.column))=\(h(worst.value))</b> (\(Format.number(worst.values[index])), \(Format.count(worst.rowCount)) rows)</p>\n"
        }
        var header = ["column", "value", "rows"] + table.columns.map { column in
            h(column.name) + (column.higherIsBetter ? " ↑" : " ↓") + (column.gated ? " <span class=\"gated\">gated</span>" : "")
        }
        if !table.otherColumns.isEmpty { header.append("other metrics") }
        html += "<table class=\"slices\"><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in table.rows {
            var cells = ["<td>\(h(row.column))</td>", "<td>\(h(row.value))</td>", "<td>\(Format.count(row.rowCount))</td>"]
            for (value, worst) in zip(row.values, row.worst) {
                cells.append(worst ? "<td class=\"worst\"><b>\(Format.number(value))</b> \(HTMLReport.nowrap("▼ worst"))</td>" : "<td>\(Format.number(value))</td>")
            }
            if !table.otherColumns.isEmpty {
                let list = zip(table.otherColumns, row.others).map { "\(h($0)) \(Format.number($1))" }.joined(separator: "<br>")
                cells.append("<td><details><summary>\(table.otherColumns.count) more</summary>\(list)</details></td>")
            }
            html += "<tr>" + cells.joined() + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }
}
