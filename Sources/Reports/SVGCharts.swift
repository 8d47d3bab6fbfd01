import Foundation
import ReportModel

/// Charts drawn as inline SVG for the self-contained HTML report.
enum SVGCharts {
    static let width = 480.0, height = 260.0
    static let margin = (left: 48.0, right: 12.0, top: 42.0, bottom: 56.0)
    static let referenceColour = "#7f8c8d", currentColour = "#e67e22"
    static let palette = ["#2e86de", "#c0392b", "#27ae60", "#8e44ad"]

    /// Reference and current share per bin, as grouped bars.
    static func distribution(_ feature: FeatureDrift, _ distribution: Distribution) -> String {
        let bins = distribution.bins.count
        guard bins > 0 else { return "" }
        let scale = niceScale(max(distribution.reference.max() ?? 0, distribution.current.max() ?? 0))
        let top = scale.top
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        let slot = plotWidth / Double(bins)
        let bar = slot * 0.38
        var svg = header(title: "\(feature.name): reference vs current")
        svg += axes(yMax: top, step: scale.step, format: { String(format: scale.step < 0.01 ? "%.1f%%" : "%.0f%%", $0 * 100) })
        for (index, label) in distribution.bins.enumerated() {
            let x = margin.left + slot * Double(index) + slot * 0.12
            for (offset, values, colour) in [(0.0, distribution.reference, referenceColour), (bar, distribution.current, currentColour)] {
                let share = index < values.count ? values[index] : 0
                let h = plotHeight * share / top
                svg += rect(x: x + offset, y: margin.top + plotHeight - h, width: bar, height: h, fill: colour, tip: "\(label): \(Format.percent(share))")
            }
            let labelX = margin.left + slot * (Double(index) + 0.5)
            svg += "<text x=\"\(f(labelX))\" y=\"\(f(height - margin.bottom + 14))\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-30 \(f(labelX)) \(f(height - margin.bottom + 14)))\">\(Escape.html(String(label.prefix(18))))</text>"
        }
        svg += legend([("reference", referenceColour), ("current", currentColour)])
        return svg + "</svg>"
    }

    /// ROC curves of each model, with the chance diagonal.
    static func roc(_ curves: [String: [CurvePoint]]) -> String {
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        func point(_ p: CurvePoint) -> String {
            "\(f(margin.left + plotWidth * min(max(p.x, 0), 1))),\(f(margin.top + plotHeight * (1 - min(max(p.y, 0), 1))))"
        }
        var svg = header(title: "ROC curves")
        svg += axes(yMax: 1, step: 0.2, format: { String(format: "%.1f", $0) })
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            svg += "<text x=\"\(f(margin.left + plotWidth * tick))\" y=\"\(f(margin.top + plotHeight + 14))\" font-size=\"10\" text-anchor=\"middle\">\(String(format: "%.1f", tick))</text>"
        }
        svg += "<text x=\"12\" y=\"\(f(margin.top + plotHeight / 2))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(margin.top + plotHeight / 2)))\">true positive rate</text>"
        svg += "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top + plotHeight))\" x2=\"\(f(margin.left + plotWidth))\" y2=\"\(f(margin.top))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>"
        var entries: [(String, String)] = []
        for (index, name) in curves.keys.sorted().enumerated() {
            let colour = palette[index % palette.count]
            let points = (curves[name] ?? []).sorted { ($0.x, $0.y) < ($1.x, $1.y) }.map(point).joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"><title>\(Escape.html(name))</title></polyline>"
            entries.append((name, colour))
        }
        svg += "<text x=\"\(f(margin.left + plotWidth / 2))\" y=\"\(f(height - 20))\" font-size=\"11\" text-anchor=\"middle\">false positive rate</text>"
        svg += legend(entries)
        return svg + "</svg>"
    }

    private static func header(title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\"><title>\(Escape.html(title))</title>"
            + "<text x=\"\(f(margin.left))\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(Escape.html(title.count > 34 ? title.prefix(33) + "…" : title))</text>"
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

    private static func axes(yMax: Double, step: Double, format: (Double) -> String) -> String {
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        var svg = "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" x2=\"\(f(margin.left))\" y2=\"\(f(margin.top + plotHeight))\" stroke=\"#333\"/>"
        svg += "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top + plotHeight))\" x2=\"\(f(margin.left + plotWidth))\" y2=\"\(f(margin.top + plotHeight))\" stroke=\"#333\"/>"
        for value in stride(from: 0.0, through: yMax + step / 2, by: step) {
            let y = margin.top + plotHeight * (1 - value / yMax)
            svg += "<line x1=\"\(f(margin.left))\" y1=\"\(f(y))\" x2=\"\(f(margin.left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(f(margin.left - 4))\" y=\"\(f(y + 3))\" font-size=\"10\" text-anchor=\"end\">\(format(value))</text>"
        }
        return svg
    }

    private static func legend(_ entries: [(String, String)]) -> String {
        var svg = ""
        for (index, entry) in entries.enumerated() {
            // Under the title, right-aligned, so it never covers data or the title.
            let x = width - margin.right - 90 * Double(entries.count - index), y = 22.0
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"10\" height=\"10\" fill=\"\(entry.1)\"/><text x=\"\(f(x + 14))\" y=\"\(f(y + 9))\" font-size=\"11\">\(Escape.html(String(entry.0.prefix(11))))</text>"
        }
        return svg
    }

    private static func rect(x: Double, y: Double, width: Double, height: Double, fill: String, tip: String) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(max(height, 0)))\" fill=\"\(fill)\"><title>\(Escape.html(tip))</title></rect>"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
