import ExperimentDesign
import FileIO
import Numerics
import ScalingLaws

/// Seeded mutations of input files: byte flips, token deletions and duplications, number
/// perturbations (0, -1, 1e308, nan, huge suffixes, ...), key swaps, line shuffles,
/// truncation, and YAML or CSV syntax dropped in. The same seed and case index always give
/// the same bytes, so any finding can be replayed from two numbers.
public struct Mutator {
    /// Replacement numbers: boundaries, non-finite spellings, overflow, bad suffixes.
    public static let numbers = [
        "0", "-1", "1", "-0", "0.5", "1e308", "-1e308", "1e-308", "5e-324", "1e309", "nan", ".nan", "NaN", "inf", ".inf",
        "-.inf", "9P", "1e300T", "1e15", "999999999999", "2147483648", "-2147483649", "1.5", "1e-9", "100000000000000000000",
        "1e400", "0x10", "1_000", "7X", "1e", "--1", "0.0001", "12.5", "1e6", "3", "1200", "1201", "500", "501", "2", "10000000",
    ]
    /// Fragments of YAML and CSV syntax to drop in.
    public static let fragments = [
        "[", "]", "{", "}", ":", ": ", "- ", "? ", "&a ", "*a", "!!binary ", "!!str ", "---\n", "...\n", "\"", "'", "#", "|",
        ">", "\t", "\n", ",", ",,", "\"\"", "\u{FEFF}", "\u{0}", "\u{1B}", "\u{85}", "é", "🙂", "~", "null", "true", "<<: *a",
        "%YAML 1.1\n", "\r\n", "\r", " ", "  ", "\\", "\"\\u0000\"",
    ]

    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The mutated bytes for case `index` of `base`, and the operations applied.
    public func mutate(_ base: [UInt8], case index: Int) -> (bytes: [UInt8], operations: [String]) {
        var rng = SeededRandom(seed: seed, stream: index)
        var bytes = base
        var operations: [String] = []
        let count = 1 + Int(rng.next() % 3)
        for _ in 0..<count {
            let op = Int(rng.next() % 10)
            switch op {
            case 0: operations.append(flipByte(&bytes, &rng))
            case 1: operations.append(deleteToken(&bytes, &rng))
            case 2: operations.append(duplicateToken(&bytes, &rng))
            case 3, 4, 5: operations.append(perturbNumber(&bytes, &rng))
            case 6: operations.append(swapKeys(&bytes, &rng))
            case 7: operations.append(shuffleLines(&bytes, &rng))
            case 8: operations.append(truncate(&bytes, &rng))
            default: operations.append(insertFragment(&bytes, &rng))
            }
        }
        return (bytes, operations)
    }

    private func pick<T>(_ items: [T], _ rng: inout SeededRandom) -> T { items[Int(rng.next() % UInt64(items.count))] }
    private func position(_ bytes: [UInt8], _ rng: inout SeededRandom) -> Int { bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count)) }

    private func flipByte(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        guard !bytes.isEmpty else { return "flip (empty)" }
        let i = position(bytes, &rng)
        let bit = UInt8(1) << UInt8(rng.next() % 8)
        bytes[i] ^= bit
        return "flip bit \(bit) of byte \(i)"
    }

    /// Token boundaries: runs of letters, digits and `._-+` (a key, a number, a word).
    private func tokens(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int?
        func isToken(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D || b == 0x2B || b >= 0x80
        }
        for (i, b) in bytes.enumerated() {
            if isToken(b) { if start == nil { start = i } } else if let s = start { out.append(s..<i); start = nil }
        }
        if let s = start { out.append(s..<bytes.count) }
        return out
    }

    private func deleteToken(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        let t = tokens(bytes)
        guard !t.isEmpty else { return "delete token (none)" }
        let r = pick(t, &rng)
        let text = String(decoding: bytes[r], as: UTF8.self)
        bytes.removeSubrange(r)
        return "delete '\(text.prefix(30))' at \(r.lowerBound)"
    }

    private func duplicateToken(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        let t = tokens(bytes)
        guard !t.isEmpty else { return "duplicate token (none)" }
        let r = pick(t, &rng)
        let copy = Array(bytes[r])
        let separators: [[UInt8]] = [[], [0x20], [0x2C], [0x0A], [0x3A, 0x20]]
        bytes.insert(contentsOf: pick(separators, &rng) + copy, at: r.upperBound)
        return "duplicate '\(String(decoding: copy, as: UTF8.self).prefix(30))' at \(r.lowerBound)"
    }

    private func perturbNumber(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        let numeric = tokens(bytes).filter { r in bytes[r].first.map { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E } ?? false }
        guard !numeric.isEmpty else { return insertFragment(&bytes, &rng) }
        let r = pick(numeric, &rng)
        let old = String(decoding: bytes[r], as: UTF8.self)
        let new: String
        switch rng.next() % 4 {
        case 0:
            // Scale the value by a power of ten, keeping it plausible-looking.
            let exponent = Int(rng.next() % 25) - 12
            new = Double(old).map { "\($0 * pow10(exponent))" } ?? pick(Self.numbers, &rng)
        case 1: new = "-" + old
        default: new = pick(Self.numbers, &rng)
        }
        bytes.replaceSubrange(r, with: Array(new.utf8))
        return "number '\(old.prefix(30))' -> '\(new)' at \(r.lowerBound)"
    }

    private func swapKeys(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        let words = tokens(bytes).filter { r in bytes[r].first.map { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) } ?? false }
        guard words.count >= 2 else { return shuffleLines(&bytes, &rng) }
        var a = pick(words, &rng), b = pick(words, &rng)
        if a.lowerBound > b.lowerBound { swap(&a, &b) }
        guard a.upperBound <= b.lowerBound else { return "swap (overlap)" }
        let ta = Array(bytes[a]), tb = Array(bytes[b])
        bytes.replaceSubrange(b, with: ta)
        bytes.replaceSubrange(a, with: tb)
        return "swap '\(String(decoding: ta, as: UTF8.self).prefix(20))' and '\(String(decoding: tb, as: UTF8.self).prefix(20))'"
    }

    private func shuffleLines(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        guard lines.count >= 2 else { return truncate(&bytes, &rng) }
        let i = Int(rng.next() % UInt64(lines.count)), j = Int(rng.next() % UInt64(lines.count))
        let what: String
        switch rng.next() % 3 {
        case 0: lines.swapAt(i, j); what = "swap lines \(i + 1) and \(j + 1)"
        case 1: lines.insert(lines[i], at: j); what = "copy line \(i + 1) before line \(j + 1)"
        default: lines.remove(at: i); what = "delete line \(i + 1)"
        }
        bytes = Array(lines.joined(separator: [0x0A]))
        return what
    }

    private func truncate(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        let n = position(bytes, &rng)
        bytes.removeSubrange(n...)
        return "truncate at \(n)"
    }

    private func insertFragment(_ bytes: inout [UInt8], _ rng: inout SeededRandom) -> String {
        let f = pick(Self.fragments, &rng)
        let i = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
        bytes.insert(contentsOf: Array(f.utf8), at: i)
        return "insert \(f.debugDescription) at \(i)"
    }

    private func pow10(_ k: Int) -> Double {
        var v = 1.0
        for _ in 0..<abs(k) { v *= 10 }
        return k < 0 ? 1 / v : v
    }
}
