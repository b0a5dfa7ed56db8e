import Diagnostics
import FileIO
import Foundation
import Hardware

/// The hardware profiles a run can name: the profiles built into the binary, with the
/// profiles of user directories layered on top (a user profile replaces the built-in one of
/// the same name, or adds a new one).
public struct HardwareCatalog: Sendable {
    /// Where the profiles came from, lowest layer first: `built-in`, then each directory.
    public let layers: [String]
    /// Profiles sorted by name.
    public let profiles: [HardwareProfile]

    /// The label of the built-in layer, also the "file" named by errors in a built-in profile.
    public static let builtInLayer = "built-in"

    /// The profiles compiled into the binary (hardware-profiles/*.yaml).
    ///
    /// - Throws: `InputError` if a built-in profile does not parse (a packaging defect that
    ///   ProfileCatalogTests rules out).
    public static func builtIn() throws(InputError) -> HardwareCatalog {
        var profiles: [HardwareProfile] = []
        for (name, bytes) in BuiltInProfiles.files {
            let label = "\(builtInLayer):\(name)"
            let text = try InputFile.decode(Data(bytes), file: label)
            profiles.append(try HardwareProfile.parse(text: text, file: label, requireNameMatches: stem(name)))
        }
        return HardwareCatalog(layers: [builtInLayer], profiles: profiles.sorted { $0.name < $1.name })
    }

    /// Loads every `*.yaml` file in `directory` (not recursively), without the built-in profiles.
    ///
    /// - Throws: `InputError` when the directory cannot be read, holds no profiles, any profile
    ///   is invalid, or a profile's name differs from its file name (so names are unique).
    public static func load(directory: String) throws(InputError) -> HardwareCatalog {
        HardwareCatalog(layers: [directory], profiles: try profiles(in: directory).sorted { $0.name < $1.name })
    }

    /// This catalog with the profiles of `directory` layered on top.
    public func adding(directory: String) throws(InputError) -> HardwareCatalog {
        var byName = Dictionary(profiles.map { ($0.name, $0) }, uniquingKeysWith: { _, b in b })
        for p in try Self.profiles(in: directory, known: byName) { byName[p.name] = p }
        return HardwareCatalog(layers: layers + [directory], profiles: byName.values.sorted { $0.name < $1.name })
    }

    /// The catalog a command uses: the built-in profiles, then `./hardware-profiles` when the
    /// current directory has one, then `$SCALEPLAN_PROFILES` (a directory, or several
    /// separated by ':'), then `explicit` (`--profiles DIR`), each layer overriding the ones
    /// before it by profile name.
    ///
    /// - Throws: `InputError` naming a directory given in the environment or by flag that does
    ///   not exist, or any invalid profile.
    public static func standard(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                currentDirectory: String = FileManager.default.currentDirectoryPath) throws(InputError) -> HardwareCatalog {
        var catalog = try builtIn()
        let local = (currentDirectory as NSString).appendingPathComponent("hardware-profiles")
        if isDirectory(local) { catalog = try catalog.adding(directory: local) }
        for directory in (environment["SCALEPLAN_PROFILES"] ?? "").split(separator: ":").map(String.init) where !directory.isEmpty {
            guard isDirectory(directory) else {
                throw InputError(file: directory, "SCALEPLAN_PROFILES names this directory, which does not exist")
            }
            catalog = try catalog.adding(directory: directory)
        }
        if let explicit {
            guard isDirectory(explicit) else { throw InputError(file: explicit, "--profiles names this directory, which does not exist") }
            catalog = try catalog.adding(directory: explicit)
        }
        return catalog
    }

    /// The profile called `name`, or, when `name` names a `.yaml` file, that file's profile.
    ///
    /// - Throws: `InputError` for an unknown name, listing the known ones.
    public func profile(named name: String) throws(InputError) -> HardwareProfile {
        if let p = profiles.first(where: { $0.name == name }) { return p }
        if Self.isProfilePath(name) { return try HardwareProfile.load(path: name) }
        throw InputError(file: "--hardware", unknownMessage(name))
    }

    /// "unknown hardware 'x' (did you mean 'y'?); known: ...".
    public func unknownMessage(_ name: String) -> String {
        let hint = Suggestion.hint(name, in: profiles.map(\.name))
        return "unknown hardware '\(name)'\(hint); known: \(profiles.map(\.name).joined(separator: ", ")), or a profile file (*.yaml)"
    }

    /// The names of the profiles compiled into scaleplan (for shell completion; a catalogue may
    /// add or replace profiles from directories).
    public static var builtInNames: [String] {
        BuiltInProfiles.files.map { ($0.name as NSString).deletingPathExtension }.sorted()
    }

    /// Whether a hardware name is a path to a profile file rather than a profile name.
    public static func isProfilePath(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

    /// The profiles of `directory`. A file whose text is that of the built-in profile of the
    /// same name (the repository's own hardware-profiles/, run from its root) is not parsed
    /// again: the `known` profile stands for it.
    private static func profiles(in directory: String, known: [String: HardwareProfile] = [:]) throws(InputError) -> [HardwareProfile] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw InputError(file: directory, "cannot list the hardware profile directory")
        }
        var profiles: [HardwareProfile] = []
        for file in files.sorted() where isProfilePath(file) {
            let path = (directory as NSString).appendingPathComponent(file)
            if let same = known[stem(file)], let builtIn = BuiltInProfiles.bytes(file), try InputFile.text(at: path).utf8.elementsEqual(builtIn) {
                profiles.append(same)
                continue
            }
            profiles.append(try HardwareProfile.load(path: path, requireNameMatchesFile: true))
        }
        guard !profiles.isEmpty else { throw InputError(file: directory, "the directory holds no hardware profiles (*.yaml)") }
        return profiles
    }

    private static func stem(_ file: String) -> String { URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent }

    private static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }
}
