import Foundation
import ReportModel

/// Charts drawn as inline SVG for the self-contained HTML report. Text is laid out from an
/// estimate of its width, so labels stay inside the chart and apart from each other, and
/// titles wrap instead of being cut; the browser tests (Tests/ReportsTests) measure it.
enum SVGCharts {
    static let width = 480.0
    static let referenceColour = "#7f8c8d", currentColour = "#e67e22"
    static let palette = ["#2e86de", "#c0392b", "#27ae60", "#8e44ad"]
    static let plotHeight = 150.0

    /// Reference and current share per bin: a histogram over numeric bin edges, or bars
    /// per category.
    static func distribution(_ feature: FeatureDrift, _ distribution: Distribution) -> String {
        guard !distribution.bins.isEmpty else { return "" }
        if let edges = distribution.edges, edges.count == distribution.bins.count + 1 {
            return histogram(title: "\(feature.name): reference vs current", edges: edges, distribution)
        }
        return categoryBars(title: "\(feature.name): reference vs current", distribution)
    }

    /// Grouped bars over numeric bins, the edges labelled for people (21k, 1.5M) and thinned
    /// until they fit; the binning is said under the axis.
    private static func histogram(title: String, edges: [Double], _ distribution: Distribution) -> String {
        var chart = Chart(title: title, width: width, left: 44, right: 28)
        chart.legend([("reference", referenceColour), ("current", currentColour)])
        let top = chart.top, plotWidth = chart.plotWidth
        let scale = niceScale(max(distribution.reference.max() ?? 0, distribution.current.max() ?? 0))
        chart.yAxis(top: top, height: plotHeight, scale: scale)
        let slot = plotWidth / Double(distribution.bins.count), bar = slot * 0.38
        let labels = Format.axisLabels(edges)
        for index in distribution.bins.indices {
            let x = chart.left + slot * Double(index) + slot * 0.12
            for (offset, values, colour) in [(0.0, distribution.reference, referenceColour), (bar, distribution.current, currentColour)] {
                let share = index < values.count ? values[index] : 0
                let h = plotHeight * share / scale.top
                let range = "\(labels[index])–\(labels[index + 1])"
                chart.body += rect(x: x + offset, y: top + plotHeight - h, width: bar, height: h, fill: colour, tip: "\(range): \(Format.percent(share))")
            }
        }
        // Label every k-th edge, k the smallest step at which neighbouring labels do not touch.
        let widest = labels.map { Chart.textWidth($0, size: 10) }.max() ?? 0
        let every = max(1, Int((widest + 6) / slot) + 1)
        for index in stride(from: 0, to: edges.count, by: every) {
            chart.text(labels[index], x: chart.left + slot * Double(index), y: top + plotHeight + 16, size: 10, anchor: "middle")
        }
        let note = distribution.binning == .referenceDeciles ? "bins: the reference's deciles (a tenth of its rows each)" : "bins"
        chart.text(note, x: chart.left + plotWidth / 2, y: top + plotHeight + 33, size: 10, anchor: "middle", colour: "#555")
        chart.height = top + plotHeight + 42
        return chart.svg
    }

    /// Horizontal grouped bars, one row per category, so long names read whole.
    private static func categoryBars(title: String, _ distribution: Distribution) -> String {
        let labelWidth = distribution.bins.map { Chart.textWidth($0, size: 11) }.max() ?? 0
        var chart = Chart(title: title, width: max(width, labelWidth + 300), left: labelWidth + 14, right: 24)
        chart.legend([("reference", referenceColour), ("current", currentColour)])
        let top = chart.top, plotWidth = chart.plotWidth, row = 20.0
        let scale = niceScale(max(distribution.reference.max() ?? 0, distribution.current.max() ?? 0))
        let plotBottom = top + row * Double(distribution.bins.count)
        for (index, label) in distribution.bins.enumerated() {
            let y = top + row * Double(index)
            chart.text(label, x: chart.left - 6, y: y + 14, size: 11, anchor: "end")
            for (offset, values, colour) in [(3.0, distribution.reference, referenceColour), (10.0, distribution.current, currentColour)] {
                let share = index < values.count ? values[index] : 0
                chart.body += rect(x: chart.left, y: y + offset, width: plotWidth * share / scale.top, height: 7, fill: colour, tip: "\(label): \(Format.percent(share))")
            }
        }
        chart.body += line(chart.left, top, chart.left, plotBottom, "#333")
        for value in stride(from: 0.0, through: scale.top + scale.step / 2, by: scale.step) {
            let x = chart.left + plotWidth * value / scale.top
            chart.body += line(x, top, x, plotBottom, "#eee")
            chart.text(Format.axisShare(value), x: x, y: plotBottom + 13, size: 10, anchor: "middle")
        }
        chart.height = plotBottom + 22
        return chart.svg
    }

    /// ROC curves of each model, with the chance diagonal.
    static func roc(_ curves: [String: [CurvePoint]]) -> String {
        var chart = Chart(title: "ROC curves", width: width, left: 52, right: 28)
        let names = curves.keys.sorted()
        chart.legend(names.enumerated().map { ($1, palette[$0 % palette.count]) })
        let top = chart.top, plotWidth = chart.plotWidth
        func point(_ p: CurvePoint) -> String {
            "\(f(chart.left + plotWidth * min(max(p.x, 0), 1))),\(f(top + plotHeight * (1 - min(max(p.y, 0), 1))))"
        }
        chart.yAxis(top: top, height: plotHeight, scale: (1, 0.2), format: { String(format: "%.1f", $0) })
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            chart.text(String(format: "%.1f", tick), x: chart.left + plotWidth * tick, y: top + plotHeight + 16, size: 10, anchor: "middle")
        }
        chart.text("false positive rate", x: chart.left + plotWidth / 2, y: top + plotHeight + 33, size: 11, anchor: "middle")
        chart.body += "<text x=\"12\" y=\"\(f(top + plotHeight / 2))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(top + plotHeight / 2)))\">true positive rate</text>"
        chart.body += "<line x1=\"\(f(chart.left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(chart.left + plotWidth))\" y2=\"\(f(top))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>"
        for (index, name) in names.enumerated() {
            let points = (curves[name] ?? []).sorted { ($0.x, $0.y) < ($1.x, $1.y) }.map(point).joined(separator: " ")
            chart.body += "<polyline fill=\"none\" stroke=\"\(palette[index % palette.count])\" stroke-width=\"2\" points=\"\(points)\"><title>\(Escape.html(name))</title></polyline>"
        }
        chart.height = top + plotHeight + 42
        return chart.svg
    }

    /// Each metric over the target branch's last runs and this run, one line per metric on
    /// a shared axis that spans their values; x labels are short commits, thinned to fit.
    static func trend(_ rows: [RunHistory.Row], branch: String, commits: [String]) -> String {
        var chart = Chart(title: "Gated metrics over the last runs of \(branch)", width: width, left: 52, right: 40)
        chart.legend(rows.enumerated().map { ($1.name, palette[$0 % palette.count]) })
        let top = chart.top, plotWidth = chart.plotWidth
        let values = rows.flatMap { $0.history + [$0.current] }
        let ticks = axisTicks(low: values.min() ?? 0, high: values.max() ?? 1)
        let low = ticks.first ?? 0, high = ticks.last ?? 1
        let count = (rows.map(\.history.count).max() ?? 0) + 1
        let step = count > 1 ? plotWidth / Double(count - 1) : 0
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / max(high - low, 1e-12)) }
        chart.body += line(chart.left, top, chart.left, top + plotHeight, "#333") + line(chart.left, top + plotHeight, chart.left + plotWidth, top + plotHeight, "#333")
        let tickLabels = Format.axisLabels(ticks)
        for (value, label) in zip(ticks, tickLabels) {
            chart.body += line(chart.left, y(value), chart.left + plotWidth, y(value), "#eee")
            chart.text(label, x: chart.left - 4, y: y(value) + 3, size: 10, anchor: "end")
        }
        for (index, row) in rows.enumerated() {
            let series = row.history + [row.current]
            let offset = count - series.count
            let points = series.enumerated().map { "\(f(chart.left + step * Double($0 + offset))),\(f(y($1)))" }.joined(separator: " ")
            let colour = palette[index % palette.count]
            chart.body += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"><title>\(Escape.html(row.name))</title></polyline>"
            chart.body += "<circle cx=\"\(f(chart.left + step * Double(count - 1)))\" cy=\"\(f(y(row.current)))\" r=\"3.5\" fill=\"\(colour)\"><title>\(Escape.html("\(row.name) this run: \(Format.number(row.current))"))</title></circle>"
        }
        let labels = Array(commits.suffix(count - 1)) + ["this run"]
        let widest = labels.map { Chart.textWidth($0, size: 10) }.max() ?? 0
        let every = step > 0 ? max(1, Int((widest + 6) / step) + 1) : 1
        for index in labels.indices where index == labels.count - 1 || (index % every == 0 && labels.count - 1 - index >= every) {
            chart.text(labels[index], x: chart.left + step * Double(index + count - labels.count), y: top + plotHeight + 16, size: 10, anchor: "middle")
        }
        chart.height = top + plotHeight + 26
        return chart.svg
    }

    /// Four or five round ticks spanning `low`...`high` (steps of 1, 2 or 5 times a power of ten).
    static func axisTicks(low: Double, high: Double) -> [Double] {
        let span = max(high - low, abs(high) * 0.02, 1e-9)
        let raw = span / 4
        let power = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        let first = (low / step).rounded(.down) * step
        var ticks: [Double] = []
        var value = first
        while value < high + step * 0.999 && ticks.count < 8 {
            ticks.append(value)
            value += step
        }
        return ticks
    }

    /// A y-axis top and tick step that read well: the smallest step from 1-2-5 series giving
    /// at most five intervals.
    static func niceScale(_ largest: Double) -> (top: Double, step: Double) {
        let value = max(largest, 0.0001)
        for step in [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0] where (value / step).rounded(.up) <= 5 {
            return ((value / step).rounded(.up) * step, step)
        }
        return (value, value / 4)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String, tip: String) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(width, 0)))\" height=\"\(f(max(height, 0)))\" fill=\"\(fill)\"><title>\(Escape.html(tip))</title></rect>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ colour: String) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(colour)\"/>"
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// One SVG chart being laid out: a title wrapped to the width, a legend under it, then the
/// plot from `top` down; `height` is set by the chart once its parts are placed.
struct Chart {
    let title: String
    let width: Double
    let left: Double
    let right: Double
    /// The title's lines, wrapped at words to the width.
    let titleLines: [String]
    var body = ""
    var top: Double
    var height = 0.0

    init(title: String, width: Double, left: Double, right: Double) {
        self.title = title
        self.width = width
        self.left = left
        self.right = right
        titleLines = Chart.wrap(title, width: width - 16, size: 13)
        top = 8 + 17 * Double(titleLines.count) + 8
    }

    var plotWidth: Double { width - left - right }

    /// A width estimate of text in the report's sans-serif font, on the generous side.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.62
    }

    /// Words packed into lines no wider than `width`; a word longer than a line gets a line
    /// of its own, broken at the width.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        let perLine = max(8, Int(width / (size * 0.62)))
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ").map(String.init) {
            var word = word
            while word.count > perLine {
                if !current.isEmpty { lines.append(current); current = "" }
                // Break a long name after its last underscore or hyphen that fits, else at the width.
                let head = word.prefix(perLine)
                let cut = head.lastIndex { $0 == "_" || $0 == "-" }.map { head.index(after: $0) } ?? head.endIndex
                lines.append(String(word[..<cut]))
                word = String(word[cut...])
            }
            if current.isEmpty { current = word } else if current.count + 1 + word.count <= perLine { current += " " + word } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Coloured squares with names, in one row under the title; the plot starts below.
    mutating func legend(_ entries: [(String, String)]) {
        var x = left, y = top
        for (name, colour) in entries {
            let step = 14 + Chart.textWidth(name, size: 11) + 16
            if x + step > width - right, x > left { x = left; y += 16 }
            body += "<rect x=\"\(SVGCharts.f(x))\" y=\"\(SVGCharts.f(y))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            text(name, x: x + 14, y: y + 9, size: 11, anchor: "start")
            x += step
        }
        top = y + 24
    }

    mutating func text(_ text: String, x: Double, y: Double, size: Double, anchor: String, colour: String? = nil) {
        body += "<text x=\"\(SVGCharts.f(x))\" y=\"\(SVGCharts.f(y))\" font-size=\"\(SVGCharts.f(size))\" text-anchor=\"\(anchor)\"\(colour.map { " fill=\"\($0)\"" } ?? "")>\(Escape.html(text))</text>"
    }

    /// The left axis with gridlines and tick labels (shares as percentages unless told).
    mutating func yAxis(top: Double, height: Double, scale: (top: Double, step: Double), format: (Double) -> String = Format.axisShare) {
        body += SVGCharts.line(left, top, left, top + height, "#333") + SVGCharts.line(left, top + height, left + plotWidth, top + height, "#333")
        for value in stride(from: 0.0, through: scale.top + scale.step / 2, by: scale.step) {
            let y = top + height * (1 - value / scale.top)
            body += SVGCharts.line(left, y, left + plotWidth, y, "#eee")
            text(format(value), x: left - 4, y: y + 3, size: 10, anchor: "end")
        }
    }

    var svg: String {
        var header = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(SVGCharts.f(width)) \(SVGCharts.f(height))\" width=\"\(SVGCharts.f(width))\" height=\"\(SVGCharts.f(height))\"><title>\(Escape.html(title))</title>"
        for (index, line) in titleLines.enumerated() {
            header += "<text x=\"8\" y=\"\(SVGCharts.f(20 + 17 * Double(index)))\" font-size=\"13\" font-weight=\"bold\">\(Escape.html(line))</text>"
        }
        return header + body + "</svg>"
    }
}
