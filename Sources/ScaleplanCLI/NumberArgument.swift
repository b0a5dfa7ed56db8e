import ArgumentParser
import ExperimentDesign
import FileIO
import Numerics
import Scenario

/// A positive number written with an optional SI suffix on the command line ("70B", "1.4T", "5.76e23").
struct PositiveNumber: ExpressibleByArgument, Sendable {
    let value: Double

    init?(argument: String) {
        guard let v = Quantity.parse(argument), v > 0 else { return nil }
        value = v
    }

    static var defaultValueDescription: String { "a positive number, SI suffixes allowed (70B, 1.4T, 5.76e23)" }
}
