import Diagnostics
import ExperimentDesign
import FileIO
import Foundation
import Numerics
import Yams

/// A YAML node that knows where it came from, with typed accessors that throw
/// `InputError`s naming the file, line and column and saying what was expected.
public struct YAMLValue {
    let node: Node
    /// The file the value was read from.
    public let file: String
    /// Dotted path from the document root, for messages ("inference.demand").
    public let path: String

    /// Where the value starts.
    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// Parses a whole document.
    ///
    /// - Throws: `InputError` for YAML syntax errors (with libyaml's position), duplicate keys
    ///   (at the second occurrence), an empty document, more than one document, nesting
    ///   deeper than libyaml's 1000 levels, or more than `maximumAliases` aliases.
    public static func parse(_ text: String, file: String) throws(InputError) -> YAMLValue {
        try YAMLLimits.check(text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.translate(error, text: text, file: file)
        } catch {
            throw InputError(file: file, "cannot parse YAML: \(error)")
        }
        guard let root else { throw InputError(file: file, "the document is empty") }
        if case .scalar(let s) = root, s.string.isEmpty, s.style == .plain { throw InputError(file: file, "the document is empty") }
        return YAMLValue(node: root, file: file, path: "")
    }

    /// Reads and parses a YAML file.
    public static func load(path: String) throws(InputError) -> YAMLValue {
        try parse(try InputFile.text(at: path), file: path)
    }

    private static func translate(_ error: YamlError, text: String, file: String) -> InputError {
        func clean(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem.hasPrefix("Maximum nesting level") || (context?.text.hasPrefix("Maximum nesting level") ?? false) {
                return InputError(file: file, line: mark.line, column: mark.column,
                                  "the YAML nests deeper than \(YAMLLimits.maximumDepth) levels, the most scaleplan reads")
            }
            if problem.contains("end of stream"), let context, context.mark.line >= 1 {
                return InputError(file: file, line: context.mark.line, column: context.mark.column,
                                  "invalid YAML: the file ends \(clean(context.text)) that starts here (an unclosed quote or bracket?)")
            }
            let ctx = context.map { " (\(clean($0.text)))" } ?? ""
            return InputError(file: file, line: mark.line, column: mark.column, "invalid YAML: \(problem)\(ctx)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let first = context.mark
            if let (line, column) = YAMLLimits.secondOccurrence(of: key, after: first, in: text) {
                return InputError(file: file, line: line, column: column,
                                  "duplicate key '\(key)' in this mapping (first at line \(first.line))")
            }
            return InputError(file: file, line: first.line, column: first.column, "duplicate key '\(key)' in this mapping")
        case .reader(let problem, let offset, _, _):
            if let offset {
                let (line, column) = InputFile.position(of: offset, in: Array(text.utf8))
                return InputError(file: file, line: line, column: column, "cannot read YAML: \(problem)")
            }
            return InputError(file: file, "cannot read YAML: \(problem)")
        default:
            return InputError(file: file, "cannot parse YAML: \(error)")
        }
    }

    private func child(_ node: Node, _ key: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty || key.hasPrefix("[") ? path + key : "\(path).\(key)")
    }

    /// What the node is, for messages.
    var kindName: String {
        switch node {
        case .scalar(let s): s.string.isEmpty || s.tag.description.hasSuffix(":null") ? "an empty value" : "'\(s.string.prefix(40))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    var name: String { path.isEmpty ? "the document" : "'\(path)'" }

    /// Whether the value is a mapping (for keys that take a number or a mapping).
    public var isMapping: Bool {
        if case .mapping = node { true } else { false }
    }

    /// An error at this value.
    public func error(_ message: String) -> InputError { InputError(at: location, message) }

    /// The value as a mapping whose keys must all be in `allowed`.
    public func mapping(allowed: [String]) throws(InputError) -> YAMLMapping {
        guard case .mapping(let m) = node else {
            throw error("\(name) must be a mapping with keys \(allowed.joined(separator: ", ")), found \(kindName)")
        }
        var entries: [(key: String, keyLocation: SourceLocation, value: YAMLValue)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else {
                throw InputError(at: YAMLValue(node: k, file: file, path: path).location, "keys of \(name) must be plain names")
            }
            let keyValue = YAMLValue(node: k, file: file, path: path)
            guard allowed.contains(ks.string) else {
                let hint = Suggestion.hint(ks.string, in: allowed)
                throw keyValue.error("unknown key '\(ks.string)' in \(name)\(hint); expected one of \(allowed.joined(separator: ", "))")
            }
            entries.append((ks.string, keyValue.location, child(v, ks.string)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    /// The value as a list of values.
    public func list(allowEmpty: Bool = false) throws(InputError) -> [YAMLValue] {
        guard case .sequence(let s) = node else { throw error("\(name) must be a list, found \(kindName)") }
        guard allowEmpty || !s.isEmpty else { throw error("\(name) must not be an empty list") }
        return s.enumerated().map { child($1, "[\($0)]") }
    }

    /// The value as a non-empty string.
    /// The longest text value a scenario may hold: names, labels and paths (4,096 characters,
    /// Linux's PATH_MAX), so that a runaway value is not echoed into every output.
    public static let maximumTextLength = 4096

    public func string() throws(InputError) -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw error("\(name) must be a text value, found \(kindName)") }
        guard s.string.count <= Self.maximumTextLength else {
            throw error("\(name) is \(s.string.count) characters long; text values are limited to \(Self.maximumTextLength) characters")
        }
        return s.string
    }

    /// The value as a finite number; SI suffixes allowed ("70B", "1.4T", "5.76e23").
    public func number() throws(InputError) -> Double {
        guard case .scalar(let s) = node, let v = Quantity.parse(s.string) else {
            throw error("\(name) must be a finite number (SI suffixes K, M, B, T allowed), found \(kindName)")
        }
        return v
    }

    /// The value as a number greater than zero.
    public func positiveNumber() throws(InputError) -> Double {
        let v = try number()
        guard v > 0 else { throw error("\(name) must be greater than 0, found \(Self.plain(v))") }
        return v
    }

    /// The value as a number at least zero.
    public func nonNegativeNumber() throws(InputError) -> Double {
        let v = try number()
        guard v >= 0 else { throw error("\(name) must be at least 0, found \(Self.plain(v))") }
        return v
    }

    /// The value as a number in a closed range.
    public func number(in range: ClosedRange<Double>) throws(InputError) -> Double {
        let v = try number()
        guard range.contains(v) else { throw error("\(name) must be between \(Self.plain(range.lowerBound)) and \(Self.plain(range.upperBound)), found \(Self.plain(v))") }
        return v
    }

    /// The value as a whole number in a range.
    public func integer(in range: ClosedRange<Int>) throws(InputError) -> Int {
        let v = try number()
        guard v.rounded() == v, v >= Double(range.lowerBound), v <= Double(range.upperBound) else {
            throw error("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), found \(kindName)")
        }
        return Int(v)
    }

    /// The value as one of the given words.
    public func oneOf(_ choices: [String]) throws(InputError) -> String {
        let s = try string()
        guard choices.contains(s) else {
            let hint = Suggestion.hint(s, in: choices)
            throw error("\(name) is '\(s)'\(hint); expected one of \(choices.joined(separator: ", "))")
        }
        return s
    }

    static func plain(_ v: Double) -> String { Quantity.plain(v) }

    /// The closest choice by edit distance, if it is close enough to be a likely typo.
}

/// A YAML mapping whose keys have been checked against an allowed set.
public struct YAMLMapping {
    /// The mapping itself, for messages about missing keys.
    public let owner: YAMLValue
    let entries: [(key: String, keyLocation: SourceLocation, value: YAMLValue)]

    /// Keys present, in file order.
    public var keys: [String] { entries.map(\.key) }

    /// The value for `key`, or nil when absent.
    public func optional(_ key: String) -> YAMLValue? { entries.first { $0.key == key }?.value }

    /// The value for `key`; throws when it is absent.
    public func required(_ key: String) throws(InputError) -> YAMLValue {
        guard let v = optional(key) else {
            let where_ = owner.path.isEmpty ? "the document" : "'\(owner.path)'"
            throw owner.error("\(where_) is missing the required key '\(key)'")
        }
        return v
    }
}
