import Diagnostics
import ExperimentDesign
import FileIO
import Numerics
import ScalingLaws
import ValueTree

/// Report values for laws and allocations, shared by `law` and `fit`.
public enum LawReport {
    /// `{params, tokens, tokens_per_param, loss, compute}` for an allocation.
    public static func allocation(_ a: ComputeAllocation) -> ReportValue {
        reportObject([
            ("params", .number(a.params)),
            ("tokens", .number(a.tokens)),
            ("tokens_per_param", .number(a.tokensPerParam)),
            ("loss", .number(a.loss)),
            ("compute", .number(a.compute)),
        ])
    }

    /// `{form, parameters}` for a law.
    public static func law(_ law: ScalingLaw) -> ReportValue {
        reportObject([
            ("form", .string(law.form.rawValue)),
            ("parameters", .object(law.parameters.map { ($0.name, .number($0.value)) })),
        ])
    }
}
