import Diagnostics
import Scenario

/// Clearer sentences for the command-line mistakes ArgumentParser reports tersely: a mistyped
/// command, a negative number (which it reads as an option), and a value that is not a number
/// or not positive. Each says what the flag accepts and why this value is refused.
enum ArgumentAdvice {
    /// A better message for `message` (ArgumentParser's, without "Error: "), given the raw
    /// arguments; nil to keep the original.
    static func refine(_ message: String, arguments: [String]) -> String? {
        if message.hasPrefix("Missing value for '"), let flag = flag(in: message),
           let i = arguments.firstIndex(of: flag), i + 1 < arguments.count,
           let v = Quantity.parse(arguments[i + 1]), v <= 0 {
            return "\(flag) must be greater than 0; '\(arguments[i + 1])' is \(v == 0 ? "zero" : "negative")"
        }
        // Only for values that look like numbers ("2TB", "1e99x"): "--format xml" keeps
        // ArgumentParser's own message, which lists the choices.
        if message.hasPrefix("The value '"), let flag = flag(in: message), let value = quoted(message),
           let first = value.first, first.isNumber || "+-.".contains(first) {
            guard let v = Quantity.parse(value) else {
                return "\(flag) takes a number, with an optional SI suffix K, M, B (or G), T or P, or e-notation (70B, 1.4T, 5.76e23); '\(value)' is not one (write units such as bytes or FLOP out of it)"
            }
            if v <= 0 { return "\(flag) must be greater than 0; '\(value)' is \(v == 0 ? "zero" : "negative")" }
        }
        if message.contains("unexpected argument"), let first = arguments.first, !first.hasPrefix("-"),
           !Scaleplan.configuration.subcommands.contains(where: { $0._commandName == first }) {
            let names = Scaleplan.configuration.subcommands.map { $0._commandName }
            return "'\(first)' is not a scaleplan command\(Suggestion.hint(first, in: names)); the commands are \(names.joined(separator: ", "))"
        }
        return nil
    }

    /// The "--flag" a message names ("... for '--compute <compute>'").
    private static func flag(in message: String) -> String? {
        guard let start = message.range(of: "'--") else { return nil }
        let rest = message[start.lowerBound...].dropFirst()
        return String(rest.prefix { $0 != " " && $0 != "'" })
    }

    /// The first single-quoted value in a message.
    private static func quoted(_ message: String) -> String? {
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[1]) : nil
    }
}
