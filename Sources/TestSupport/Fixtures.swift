import Foundation

/// Paths to files in the repository, for tests.
public enum Fixtures {
    /// The repository root (found from this source file's location).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A path relative to the repository root.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The built `scaleplan` executable for end-to-end tests (the build directory of the
    /// running test bundle).
    public static var executable: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("scaleplan").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}

/// Relative difference |a - b| / max(|a|, |b|), 0 when both are 0.
public func relativeDifference(_ a: Double, _ b: Double) -> Double {
    let scale = max(abs(a), abs(b))
    return scale == 0 ? 0 : abs(a - b) / scale
}
