import Diagnostics
import FileIO
import Report
import Scenario
import Testing
import ValueTree

/// The JSON Schema names exactly the keys the decoder accepts, so editors and `validate` agree.
@Suite struct ScenarioSchemaTests {
    static func keys(_ v: ReportValue?) -> Set<String> {
        guard case .object(let pairs)? = v else { return [] }
        return Set(pairs.map(\.0))
    }

    @Test func schemaKeysAreTheDecodersKeys() {
        let schema = ScenarioSchema.value(hardware: ["h100-sxm"])
        let top = schema["properties"]
        #expect(Self.keys(top) == Set(ScenarioSpec.keys))
        #expect(Self.keys(top?["downscale"]?["properties"]) == Set(ScenarioSpec.downscaleKeys))
    }
}
