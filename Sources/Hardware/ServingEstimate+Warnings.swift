import Diagnostics

extension ServingEstimate {
    /// Where the estimate stands on weak ground: a workload that does not fit in memory is still
    /// estimated (the roofline does not know), and says so.
    public var warnings: [Warning] {
        guard !memory.fits else { return [] }
        let gb = 1e9
        return [Warning(.memoryExceeded,
                        "The workload needs \(NumberText.short(memory.requiredBytes / gb)) GB per device but \(NumberText.short(memory.usableBytes / gb)) GB are usable; it would not run as estimated (use more devices, a smaller batch or a lower precision).",
                        subject: "estimate")]
    }
}
