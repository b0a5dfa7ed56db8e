/// The one rule for "did you mean ...?" everywhere (scenario keys and values, hardware names,
/// presets, commands): names that extend or are extended by what was typed come first
/// ("h100" -> "h100-sxm" or "h100-pcie", "a100" -> "a100-80gb" or "a100-40gb"); otherwise the
/// nearest by edit distance, if within a third of the word (at least 2), all of them on a tie.
public enum Suggestion {
    /// The suggested names, best first (empty when nothing is close).
    public static func closest(_ word: String, in choices: [String]) -> [String] {
        let w = word.lowercased()
        guard !w.isEmpty else { return [] }
        let family = choices.filter { c in let c = c.lowercased(); return c != w && (c.hasPrefix(w) || w.hasPrefix(c)) }
        if !family.isEmpty { return family }
        let scored = choices.map { ($0, editDistance(w, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, w.count / 3) else { return [] }
        // Equally near names are all offered (at most three, in the order they are listed):
        // "gemma-3-13b" is one edit from both "gemma-3-1b" and "gemma-3-12b".
        return Array(scored.filter { $0.1 == best.1 }.map(\.0).prefix(3))
    }

    /// " (did you mean 'a' or 'b'?)", or "" when nothing is close.
    public static func hint(_ word: String, in choices: [String]) -> String {
        let close = closest(word, in: choices)
        return close.isEmpty ? "" : " (did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var prev = row[0]
            row[0] = i
            for j in 1...b.count {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}
