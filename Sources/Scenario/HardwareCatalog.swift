import ExperimentDesign
import FileIO
import Foundation
import Hardware
import Numerics

/// The hardware profiles of one directory (`hardware-profiles/*.yaml`).
public struct HardwareCatalog: Sendable {
    /// The directory the profiles were read from.
    public let directory: String
    /// Profiles sorted by name.
    public let profiles: [HardwareProfile]

    /// Loads every `*.yaml` file in `directory` (not recursively).
    ///
    /// - Throws: `InputError` when the directory cannot be read, holds no profiles, any profile
    ///   is invalid, or a profile's name differs from its file name (so names are unique).
    public static func load(directory: String) throws(InputError) -> HardwareCatalog {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw InputError(file: directory, "cannot list the hardware profile directory")
        }
        var profiles: [HardwareProfile] = []
        for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(file)
            profiles.append(try HardwareProfile.load(path: path, requireNameMatchesFile: true))
        }
        guard !profiles.isEmpty else { throw InputError(file: directory, "the directory holds no hardware profiles (*.yaml)") }
        return HardwareCatalog(directory: directory, profiles: profiles.sorted { $0.name < $1.name })
    }

    /// The profile called `name`, or, when `name` names a `.yaml` file, that file's profile.
    ///
    /// - Throws: `InputError` for an unknown name, listing the known ones.
    public func profile(named name: String) throws(InputError) -> HardwareProfile {
        if let p = profiles.first(where: { $0.name == name }) { return p }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return try HardwareProfile.load(path: name) }
        let close = profiles.map(\.name).filter { $0.hasPrefix(name) || name.hasPrefix($0) }
        let hint = close.isEmpty ? "" : " (did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?)"
        throw InputError(file: "--hardware", "unknown hardware '\(name)'\(hint); known: \(profiles.map(\.name).joined(separator: ", "))")
    }

    /// The profile directory: `explicit` if given, else `$SCALEPLAN_PROFILES`, else
    /// `./hardware-profiles`, else a `hardware-profiles` directory in the executable's
    /// directory or any of its parents (so a binary under `.build/` finds the repository's).
    /// Nil when none exists.
    public static func locateDirectory(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                       executable: String = CommandLine.arguments.first ?? "",
                                       currentDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        if let explicit { return explicit }
        if let env = environment["SCALEPLAN_PROFILES"], !env.isEmpty { return env }
        func isDirectory(_ path: String) -> Bool {
            var flag: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
        let local = (currentDirectory as NSString).appendingPathComponent("hardware-profiles")
        if isDirectory(local) { return local }
        var url = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true))
            .standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            let candidate = url.appendingPathComponent("hardware-profiles").path
            if isDirectory(candidate) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return nil
    }
}
