import ExperimentDesign
import FileIO
import Numerics
import Yams

/// Limits that keep a hostile or mistyped YAML file from exhausting time or memory, checked
/// on the text before it is composed.
///
/// libyaml stops at `maximumDepth` nested collections by itself. Aliases need a check of
/// their own: Yams hashes every mapping key while composing, and a key that is an alias of
/// an alias of ... ("billion laughs") hashes an exponentially large tree. Each alias can at
/// most triple the expanded size of what it refers to, so `maximumAliases` bounds the
/// expansion at 3^(maximumAliases / 3) times the file.
enum YAMLLimits {
    /// libyaml's nesting limit (MAX_NESTING_LEVEL in Yams' copy of parser.c).
    static let maximumDepth = 1000
    /// The most aliases (`*name`) a file may use.
    static let maximumAliases = 16

    static func check(_ text: String, file: String) throws(InputError) {
        if let (line, column) = aliasPosition(number: maximumAliases + 1, in: text) {
            throw InputError(file: file, line: line, column: column,
                             "the file uses more than \(maximumAliases) YAML aliases (*name); scaleplan limits them so that aliases of aliases cannot expand without bound")
        }
    }

    /// The position of the `number`-th alias token, or nil when there are fewer. A token is a
    /// `*` at the start of a line or after a space, tab, `[`, `{` or `,`, followed by a
    /// character that can start an anchor name: every alias YAML reads is one. The count is
    /// textual and errs on the safe side: `*word` inside quotes, block scalars or comments
    /// counts too (tracking quotes would let a stray apostrophe hide the aliases after it).
    static func aliasPosition(number: Int, in text: String) -> (line: Int, column: Int)? {
        var count = 0
        var line = 1, column = 0
        var previous: Unicode.Scalar = "\n"
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let c = pending {
            pending = scalars.next()
            column += 1
            defer { previous = c }
            if c == "\n" || (c == "\r" && pending != "\n") { line += 1; column = 0; continue }
            guard c == "*", " \t\n\r[{,".unicodeScalars.contains(previous),
                  let n = pending, !" \t\n\r,[]{}".unicodeScalars.contains(n) else { continue }
            count += 1
            if count == number { return (line, column) }
        }
        return nil
    }

    /// Where `key` occurs again as a key of the mapping whose first such key is at `first`:
    /// on a later line, at the same column, before the mapping's indentation ends. Nil when
    /// not found (for example in a one-line flow mapping).
    static func secondOccurrence(of key: String, after first: Mark, in text: String) -> (Int, Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        let forms = [key, "\"\(key)\"", "'\(key)'"]
        for index in first.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            let leading = scalars.prefix { $0 == " " }.count
            let rest = String(String.UnicodeScalarView(scalars.dropFirst(leading)))
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            if leading < indent { return nil }
            guard leading == indent else { continue }
            for form in forms where rest.hasPrefix(form) {
                let after = rest.dropFirst(form.count).drop { $0 == " " }
                if after.hasPrefix(":") { return (index + 1, first.column) }
            }
        }
        return nil
    }
}
