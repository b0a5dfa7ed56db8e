/// Something about an answer that deserves a second look: the answer stands, but one of the
/// models it rests on is being used where it is weak (a law extrapolated, data repeated, an
/// SLO met with little to spare).
///
/// Every outcome value (plan, downscale, fit, law answer, pilot design, estimate) carries its
/// warnings, and every output format shows them: JSON and YAML as a top-level `warnings` list
/// of `{code, message, subject}`, tables as `warning:` lines, the HTML report as a list.
public struct Warning: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A stable, documented code (docs/OUTPUTS.md); scripts may match on it.
    public let code: Code
    /// One sentence for people, with the numbers that triggered it.
    public let message: String
    /// What the warning is about ("recommended plan", "frontier point 3", "fit"), or nil for
    /// the answer as a whole.
    public let subject: String?

    public init(_ code: Code, _ message: String, subject: String? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
    }

    public var description: String {
        subject.map { "\($0): \(message)" } ?? message
    }

    /// The warning codes. New codes are added here, and documented in docs/OUTPUTS.md.
    public struct Code: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        public static func < (a: Code, b: Code) -> Bool { a.rawValue < b.rawValue }

        /// The model size or tokens lie outside the range the law was fitted on.
        public static let extrapolation = Code(rawValue: "extrapolation")
        /// Training tokens exceed the unique tokens available: data is repeated.
        public static let dataRepetition = Code(rawValue: "data_repetition")
        /// A latency SLO is met with less than 10% to spare.
        public static let sloBarelyMet = Code(rawValue: "slo_barely_met")
        /// The runs a law was fitted to vary too little to identify it (too few sizes or token counts).
        public static let weakFit = Code(rawValue: "weak_fit")
        /// The model, its KV cache and activations need more memory than the devices have.
        public static let memoryExceeded = Code(rawValue: "memory_exceeded")
    }
}

extension Array where Element == Warning {
    /// The warnings in first-seen order with repeats (same code, message and subject) removed.
    public func deduplicated() -> [Warning] {
        var seen = Set<Warning>()
        return filter { seen.insert($0).inserted }
    }
}
