import FileIO
import Foundation
import Hardware
import PlanModel
import PlanSolver
import Scenario
import Testing
import TestSupport

/// Reserved discounts a profile states (`price.reserved`): read and written back with their
/// sources, taken by a scenario's `purchasing.reserved` without a `discount`, and cited in the
/// plan's reservations.
@Suite("Reserved discounts in profiles")
struct ReservedDiscountProfileTests {
    /// The shipped H100 profile with a 12- and a 36-month discount (made-up quotes: no shipped
    /// profile states one, for want of a citable public reserved price).
    static func reservedH100() throws -> String {
        let text = try String(contentsOfFile: Fixtures.path("hardware-profiles/h100-sxm.yaml"), encoding: .utf8)
        let price = try #require(text.range(of: "price:\n"))
        return text.replacingCharacters(in: price, with: """
            price:
              reserved:
                - {term_months: 36, discount: {value: 0.55, source: "test quote, 36 months"}}
                - {term_months: 12, discount: {value: 0.3, source: "test quote, 12 months"}}

            """)
    }

    @Test func profileReadsAndWritesItsDiscounts() throws {
        let profile = try HardwareProfile.parse(text: try Self.reservedH100(), file: "h100-sxm.yaml")
        #expect(profile.reservedDiscounts[12] == SourcedValue(0.3, source: "test quote, 12 months"))
        #expect(profile.reservedDiscounts[36]?.value == 0.55)
        #expect(profile.figures.contains { $0.label == "reserved_36_months_discount" && $0.figure.value == 0.55 })
        let again = try HardwareProfile.parse(text: profile.yamlText(), file: "h100-sxm.yaml")
        #expect(again == profile)
        let shipped = try HardwareProfile.load(path: Fixtures.path("hardware-profiles/h100-sxm.yaml"))
        #expect(shipped.reservedDiscounts.isEmpty)
        #expect(try HardwareProfile.parse(text: shipped.yamlText(), file: "h100-sxm.yaml") == shipped)
    }

    /// A scenario reserving for 12 months without a discount takes the H100's from its profile
    /// (the L40S states none and stays on demand); the plan's reservation cites the profile.
    @Test func scenarioTakesTheProfilesDiscount() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reserved-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.reservedH100().write(to: dir.appendingPathComponent("h100-sxm.yaml"), atomically: true, encoding: .utf8)
        let catalog = try HardwareCatalog.load(directory: Fixtures.path("hardware-profiles")).adding(directory: dir.path)
        var text = try String(contentsOfFile: Fixtures.path("Tests/Fixtures/scenarios/reserved-fleet.yaml"), encoding: .utf8)
        let stated = "reserved: {term_months: 12, discount: 0.35}"
        #expect(text.contains(stated))
        text = text.replacingOccurrences(of: stated, with: "reserved: {term_months: 12}")
        let spec = try ScenarioSpec.decode(try YAMLValue.parse(text, file: "inline.yaml"), catalog: catalog)
        let reservation = try #require(spec.problem.inference?.purchasing.reservation)
        #expect(reservation.discounts == ["h100-sxm": 0.3])
        #expect(reservation.sources == ["h100-sxm": "test quote, 12 months"])
        // A term the profile does not state is an error that says what to add.
        let other = text.replacingOccurrences(of: "reserved: {term_months: 12}", with: "reserved: {term_months: 24}")
        let refused = #expect(throws: InputError.self) { try ScenarioSpec.decode(try YAMLValue.parse(other, file: "inline.yaml"), catalog: catalog) }
        #expect(refused?.message.contains("for a 24-month term") == true, "\(String(describing: refused))")
        // The fleet bought on it cites the profile's figure.
        let sized = try FleetSizer.size(slots: try CapacityPurchasingTests.slots(), demand: try CapacityPurchasingTests.forecast(CapacityPurchasingTests.peaks),
                                        purchasing: CapacityPurchasing(reservation: reservation))
        let held = try #require(sized.fleet.reservations.first)
        #expect(held.hardware == "h100-sxm" && held.discount == 0.3 && held.discountSource == "test quote, 12 months")
    }
}
