import Diagnostics
import ExperimentDesign
import FileIO
import Numerics

/// A self-contained HTML page: inline CSS, inline SVG, no scripts, fonts, images or links
/// that load anything. Text is escaped; callers add markup through the builders below.
public struct HTMLPage: Sendable {
    public var title: String
    /// Body markup, in order.
    var body: [String] = []

    public init(title: String) { self.title = title }

    static let style = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#1d1d1f;line-height:1.45}
        main{max-width:1000px;margin:0 auto;padding:24px 28px 48px;background:#fff}
        h1{font-size:26px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        h3{font-size:15px;margin:18px 0 6px}p.lead{color:#555;margin:0 0 12px}
        table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}th,td{padding:3px 9px;border-bottom:1px solid #e6e6e6;text-align:left;vertical-align:top}
        th{background:#f0f2f5;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        tr.knee td{background:#fff3f3}tr.recommended td{font-weight:600}
        .cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}.card{border:1px solid #dde;border-radius:6px;padding:8px 12px;min-width:140px;background:#fafbff}
        .card .v{font-size:20px;font-weight:600}.card .k{font-size:12px;color:#555}
        .warn{border-left:4px solid #e0a100;background:#fff8e1;padding:8px 12px;margin:8px 0}.ok{border-left:4px solid #2ca25f;background:#effaf3;padding:8px 12px}
        .bad{border-left:4px solid #d62728;background:#fdecec;padding:8px 12px}
        figure{margin:12px 0}figcaption{font-size:12px;color:#555}svg{max-width:100%;height:auto}
        .src{font-size:11px;color:#666}footer{margin-top:32px;font-size:12px;color:#666}
        """

    /// A heading (level 1 to 3).
    public mutating func heading(_ text: String, level: Int = 2) {
        let l = min(max(level, 1), 3)
        body.append("<h\(l)>\(XMLText.escape(text, quotes: false))</h\(l)>")
    }

    /// A paragraph of plain text, with an optional CSS class (lead, warn, ok, bad).
    public mutating func paragraph(_ text: String, class cls: String? = nil) {
        let attr = cls.map { " class=\"\(XMLText.escape($0, quotes: true))\"" } ?? ""
        body.append("<p\(attr)>\(XMLText.escape(text, quotes: false))</p>")
    }

    /// Boxed notes (warnings), one paragraph each.
    public mutating func notes(_ texts: [String], class cls: String) {
        for t in texts { body.append("<div class=\"\(XMLText.escape(cls, quotes: true))\">\(XMLText.escape(t, quotes: false))</div>") }
    }

    /// Headline figures as cards: (label, value).
    public mutating func cards(_ items: [(String, String)]) {
        var s = "<div class=\"cards\">"
        for (k, v) in items { s += "<div class=\"card\"><div class=\"v\">\(XMLText.escape(v, quotes: false))</div><div class=\"k\">\(XMLText.escape(k, quotes: false))</div></div>" }
        body.append(s + "</div>")
    }

    /// A table cell: text, right-aligned when numeric.
    public struct Cell: Sendable {
        public var text: String
        public var numeric: Bool
        public init(_ text: String, numeric: Bool = false) { self.text = text; self.numeric = numeric }
    }

    /// A table with a header row; `rowClasses[i]` styles row i (knee, recommended).
    public mutating func table(header: [String], rows: [[Cell]], rowClasses: [String?] = [], caption: String? = nil) {
        var s = "<table>"
        if let caption { s += "<caption>\(XMLText.escape(caption, quotes: false))</caption>" }
        s += "<thead><tr>" + header.map { "<th>\(XMLText.escape($0, quotes: false))</th>" }.joined() + "</tr></thead><tbody>"
        for (i, row) in rows.enumerated() {
            let cls = i < rowClasses.count ? rowClasses[i] : nil
            s += cls.map { "<tr class=\"\(XMLText.escape($0, quotes: true))\">" } ?? "<tr>"
            s += row.map { "<td\($0.numeric ? " class=\"num\"" : "")>\(XMLText.escape($0.text, quotes: false))</td>" }.joined()
            s += "</tr>"
        }
        body.append(s + "</tbody></table>")
    }

    /// A two-column table of (label, value, source) facts; the source is printed small.
    public mutating func facts(_ rows: [(String, String, String?)]) {
        var s = "<table><tbody>"
        for (k, v, src) in rows {
            s += "<tr><th>\(XMLText.escape(k, quotes: false))</th><td class=\"num\">\(XMLText.escape(v, quotes: false))</td>"
            s += "<td class=\"src\">\(XMLText.escape(src ?? "", quotes: false))</td></tr>"
        }
        body.append(s + "</tbody></table>")
    }

    /// An inline SVG chart with a caption.
    public mutating func figure(_ svg: SVGElement, caption: String) {
        body.append("<figure>\(svg.rendered())<figcaption>\(XMLText.escape(caption, quotes: false))</figcaption></figure>")
    }

    /// The whole document.
    public func rendered() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(XMLText.escape(title, quotes: false))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <main>
        \(body.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }
}
