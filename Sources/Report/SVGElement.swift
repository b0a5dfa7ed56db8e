import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics

/// A node of an XML document: an element or escaped character data.
public enum XMLNode: Equatable, Sendable {
    case element(SVGElement)
    case text(String)
}

/// A small XML element tree for SVG (and the HTML report's inline SVG), written with
/// escaping so no label can break the markup: `&`, `<`, `>` and quotes become entities, and
/// characters XML 1.0 forbids (control characters other than tab, newline and return, lone
/// surrogates cannot occur in Swift strings) are dropped.
public struct SVGElement: Equatable, Sendable {
    public var name: String
    /// Attributes in the order they are written.
    public var attributes: [(String, String)]
    public var children: [XMLNode]

    public init(_ name: String, _ attributes: [(String, String)] = [], children: [XMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.children = children
    }

    /// An element whose only child is `text`.
    public init(_ name: String, _ attributes: [(String, String)] = [], text: String) {
        self.init(name, attributes, children: [.text(text)])
    }

    public static func == (a: SVGElement, b: SVGElement) -> Bool {
        a.name == b.name && a.children == b.children && a.attributes.count == b.attributes.count
            && zip(a.attributes, b.attributes).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Appends a child element.
    public mutating func append(_ child: SVGElement) { children.append(.element(child)) }

    /// Appends child elements.
    public mutating func append(contentsOf elements: [SVGElement]) { children += elements.map { .element($0) } }

    /// The value of an attribute, if set.
    public subscript(attribute name: String) -> String? { attributes.first { $0.0 == name }?.1 }

    /// Every element below this one (depth first, this one included) named `name`.
    public func descendants(named name: String) -> [SVGElement] {
        var out: [SVGElement] = self.name == name ? [self] : []
        for case .element(let e) in children { out += e.descendants(named: name) }
        return out
    }

    /// The markup, without an XML declaration: elements without children are self-closed.
    public func rendered() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        out += "<" + name
        for (k, v) in attributes { out += " \(k)=\"\(XMLText.escape(v, quotes: true))\"" }
        if children.isEmpty { out += "/>"; return }
        out += ">"
        for child in children {
            switch child {
            case .element(let e): e.write(into: &out)
            case .text(let t): out += XMLText.escape(t, quotes: false)
            }
        }
        out += "</\(name)>"
    }
}

/// Escaping of text and attribute values for XML and HTML.
public enum XMLText {
    /// `s` with `&`, `<`, `>` (and, for attribute values, `"` and `'`) replaced by entities
    /// and characters that XML 1.0 forbids removed.
    public static func escape(_ s: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF: continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

/// Coordinates for attributes: at most two decimals, no trailing zeros, never "-0" or NaN.
public func svgNumber(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let r = (v * 100).rounded() / 100
    if r == 0 { return "0" }
    if r == r.rounded() { return String(Int64(r)) }
    var s = String(format: "%.2f", r)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
