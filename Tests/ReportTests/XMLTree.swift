import Diagnostics
import Foundation

#if canImport(FoundationXML)
import FoundationXML
import FileIO
#endif

/// A parsed XML element, for checking what the SVG writer produced: the document is parsed
/// by Foundation's XMLParser (libxml2), so "well formed" means a real parser accepted it.
final class XMLTree: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        var children: [Element]

        /// Every element at or below this one (depth first).
        var all: [Element] { [self] + children.flatMap(\.all) }

        func elements(named name: String) -> [Element] { all.filter { $0.name == name } }

        /// Elements whose class attribute contains `cls` as a word.
        func elements(withClass cls: String) -> [Element] {
            all.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(cls)) }
        }

        /// All text inside this element.
        var fullText: String { text + children.map(\.fullText).joined() }
    }

    private var stack: [Element] = []
    private var root: Element?
    private(set) var error: Error?

    /// Parses `text`; nil (with the parser's error in `error`) when it is not well-formed XML.
    static func parse(_ text: String) -> (Element?, Error?) {
        let tree = XMLTree()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = tree
        let ok = parser.parse()
        return (ok ? tree.root : nil, parser.parserError)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        stack.append(Element(name: name, attributes: attributes, text: "", children: []))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let done = stack.removeLast()
        if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
    }
}
