import FileIO
import Hardware
import PlanModel

/// The `inference.purchasing:` block: how serving capacity is bought (`CapacityPurchasing`).
///
/// ```yaml
/// purchasing:
///   reserved: {term_months: 12, discount: 0.3}   # or discount: {h100-sxm: 0.4, l40s: 0.25}
///   change_cost_replica_hours: 24                # per replica added or removed between months
/// ```
///
/// Without `discount`, each listed accelerator whose profile states a discount for the term
/// (`price.reserved`) is reserved at it, cited to the profile's source.
enum PurchasingSection {
    static let keys = ["reserved", "change_cost_replica_hours"]

    static func decode(_ v: YAMLValue, hardware: [HardwareProfile]) throws(InputError) -> CapacityPurchasing {
        let m = try v.mapping(allowed: keys)
        var purchasing = CapacityPurchasing()
        if let r = m.optional("reserved") {
            let rm = try r.mapping(allowed: ["term_months", "discount"])
            let term = try rm.required("term_months").integer(in: HardwareProfile.reservedTermRange)
            var discounts: [String: Double] = [:], sources: [String: String] = [:]
            let range = HardwareProfile.reservedDiscountRange
            if let d = rm.optional("discount") {
                discounts = try InferenceSection.perAccelerator(d, hardware: hardware) { v throws(InputError) in try v.number(in: range) }
                guard !discounts.isEmpty else {
                    throw d.error("'inference.purchasing.reserved.discount' needs a fraction, or at least one accelerator of 'hardware' with its fraction")
                }
                for name in discounts.keys { sources[name] = "scenario" }
            } else {
                for h in hardware {
                    guard let stated = h.reservedDiscounts[term] else { continue }
                    discounts[h.name] = stated.value
                    sources[h.name] = stated.source
                }
                guard !discounts.isEmpty else {
                    throw r.error("'inference.purchasing.reserved' has no 'discount', and no listed accelerator's profile states one for a \(term)-month term (price.reserved); give 'discount'")
                }
            }
            purchasing.reservation = .init(termMonths: term, discounts: discounts, sources: sources)
        }
        if let c = m.optional("change_cost_replica_hours") { purchasing.changeCostReplicaHours = try c.number(in: 0...8_766) }
        return purchasing
    }
}
