import ExperimentDesign
import FileIO
import Hardware
import Numerics
import PlanModel
import ScalingLaws
import ValueTree

/// The JSON Schema (draft 2020-12) of scenario files, contract v1, generated from the same
/// key lists the decoder enforces so the two cannot drift apart.
public enum ScenarioSchema {
    static func obj(_ props: [(String, ReportValue)], required: [String] = [], description: String? = nil) -> ReportValue {
        reportObject([
            ("type", .string("object")),
            ("description", description.map { .string($0) }),
            ("properties", .object(props)),
            ("required", required.isEmpty ? nil : .list(required.map { .string($0) })),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// A number, or a string with an SI suffix ("70B", "1.4T").
    static let quantity: ReportValue = reportObject([
        ("oneOf", .list([
            reportObject([("type", .string("number")), ("exclusiveMinimum", .integer(0))]),
            reportObject([("type", .string("string")), ("pattern", .string("^[0-9][0-9_]*(\\.[0-9]+)?([eE][+-]?[0-9]+)?[KkMBGTP]?$"))]),
        ])),
    ])

    /// A published model's name (`scaleplan model list`).
    static var modelName: ReportValue { enumeration(ModelCatalog.names) }

    /// `sizes:`: model sizes or published model names.
    static var modelSizes: ReportValue {
        reportObject([("type", .string("array")), ("items", reportObject([("anyOf", .list([quantity, modelName]))])),
                      ("minItems", .integer(1)), ("maxItems", .integer(200))])
    }

    /// `architecture` and `moe`, in `search` and in `downscale` (docs/MOE.md).
    static var architectureProperties: [(String, ReportValue)] {
        [
            ("architecture", reportObject([("type", .string("array")), ("items", enumeration(["dense", "moe"])),
                                           ("description", .string("architectures to compare, each with the joint law (law: {moe: ...})"))])),
            ("moe", obj([
                ("experts", oneOrMany(reportObject([("type", .string("integer")), ("minimum", .integer(2)), ("maximum", .integer(1024))]))),
                ("active_experts", oneOrMany(reportObject([("type", .string("integer")), ("minimum", .integer(1)), ("maximum", .integer(1023))]))),
                ("shared_experts", reportObject([("type", .string("integer")), ("minimum", .integer(0)), ("maximum", .integer(8))])),
                ("mfu", reportObject([("type", .string("number")), ("exclusiveMinimum", .number(0)), ("maximum", .number(1))])),
            ], required: ["experts"], description: "the mixture-of-experts options: every experts x active_experts pair with more experts than active ones")),
        ]
    }

    static func enumeration(_ values: [String]) -> ReportValue {
        reportObject([("type", .string("string")), ("enum", .list(values.map { .string($0) }))])
    }

    /// `prefix_cache_hit_rate`: a fraction of prompt tokens in [0, 1).
    static let prefixCacheHitRate = reportObject([
        ("type", .string("number")), ("minimum", .integer(0)), ("exclusiveMaximum", .integer(1)),
        ("description", .string("fraction of prompt tokens found in the KV cache (prefix caching), taken as given: they skip the prefill's computation")),
    ])

    /// `shared_prefix_tokens`: prompt tokens every request shares, a whole number below the prompt's.
    static let sharedPrefixTokens = reportObject([
        ("type", .string("integer")), ("minimum", .integer(0)),
        ("description", .string("prompt tokens every request shares (a system prompt), below prompt_tokens: held once in each replica's KV cache; the hit rate defaults to their share of the prompt")),
    ])

    static func fraction(_ lo: Double, _ hi: Double) -> ReportValue {
        reportObject([("type", .string("number")), ("minimum", .number(lo)), ("maximum", .number(hi))])
    }

    static func oneOrMany(_ item: ReportValue) -> ReportValue {
        reportObject([("oneOf", .list([item, reportObject([("type", .string("array")), ("items", item), ("minItems", .integer(1))])]))])
    }

    static let range: ReportValue = reportObject([("type", .string("array")), ("items", quantity), ("minItems", .integer(2)), ("maxItems", .integer(2))])

    /// The `quantization:` section (top level or in `downscale:`; keys `QuantizationSection.keys`).
    static var quantization: ReportValue {
        let precision = enumeration(Precision.allCases.map(\.rawValue))
        let constants = obj(PostTrainingQuantizationLaw.parameterNames.map { ($0, quantity) }, required: PostTrainingQuantizationLaw.parameterNames)
        return obj([
            ("method", enumeration(["ptq", "qat", "best"])),
            ("law", reportObject([("oneOf", .list([enumeration(["kumar2024", "none"]), constants]))])),
            ("loss", reportObject([("type", .string("object")), ("propertyNames", precision), ("additionalProperties", fraction(0, 1))])),
            ("gamma_w", quantity),
        ], description: "how serving below bf16 changes the loss: Kumar et al. 2024's laws by default")
    }

    /// The `downscale:` section (keys `ScenarioSpec.downscaleKeys`).
    static func downscale(hw: ReportValue) -> ReportValue {
        let precision = enumeration(Precision.allCases.map(\.rawValue))
        let count = reportObject([("type", .string("integer")), ("minimum", .integer(1))])
        return obj([
            ("reference", obj([("model", modelName), ("params", quantity), ("tokens", quantity), ("loss", quantity)],
                              description: "{model}, {model, tokens}, {params}, {params, tokens} or {loss}")),
            ("reference_serving", obj([("hardware", hw), ("precision", precision)])),
            ("devices", oneOrMany(hw)), ("precision", oneOrMany(precision)),
            ("memory_gb", quantity), ("batch", count), ("prompt_tokens", quantity), ("output_tokens", quantity),
            ("prefix_cache_hit_rate", prefixCacheHitRate), ("shared_prefix_tokens", sharedPrefixTokens),
            ("slo", obj([("ttft_ms", quantity), ("tpot_ms", quantity)])),
            ("joules_per_token_max", quantity), ("usd_per_million_tokens_max", quantity),
            ("family", enumeration(ModelFamily.all.map(\.name))),
            ("sizes", modelSizes),
            ("min_params", quantity), ("tokens_per_param_max", quantity),
            ("quantization_loss", reportObject([("type", .string("object")),
                                                ("propertyNames", precision),
                                                ("additionalProperties", fraction(0, 1))])),
            ("quantization", quantization),
            ("frontier_points", reportObject([("type", .string("integer")), ("minimum", .integer(2)), ("maximum", .integer(500))])),
        ] + architectureProperties, required: ["reference", "devices", "prompt_tokens", "output_tokens"])
    }

    /// The schema, with hardware names from the profiles available.
    public static func value(hardware: [String]) -> ReportValue {
        // A profile name, or a path to a profile file (*.yaml, *.yml) relative to the scenario.
        let profileFile = reportObject([("type", .string("string")), ("pattern", .string("\\.ya?ml$"))])
        let hw = hardware.isEmpty ? reportObject([("type", .string("string"))])
            : reportObject([("anyOf", .list([enumeration(hardware), profileFile]))])
        let objectives = enumeration(Objective.allCases.map(\.rawValue))
        var lawProps: [(String, ReportValue)] = [
            ("preset", enumeration(LawPreset.all.map(\.name))),
            ("moe", reportObject([("enum", .list(LawSection.jointPresets.keys.sorted().map { .string($0) })),
                                  ("description", .string("the joint law of dense and mixture-of-experts models (Ludziejewski et al. 2025); needed by search.architecture"))])),
            ("file", reportObject([("type", .string("string")), ("description", .string("a law file written by `scaleplan fit -o`"))])),
            ("fit", reportObject([("type", .string("string")), ("description", .string("a CSV of training runs to fit"))])),
            ("confidence", reportObject([("type", .string("number")), ("minimum", .number(0.5)), ("maximum", .number(0.999)),
                                         ("description", .string("with a law file that has bootstrap laws: the fraction of them that must meet loss_max"))])),
            ("form", enumeration(LawForm.allCases.map(\.rawValue))),
            ("parameters", reportObject([("type", .string("object")), ("additionalProperties", reportObject([("type", .string("number"))]))])),
            ("params_column", reportObject([("type", .string("string"))])), ("tokens_column", reportObject([("type", .string("string"))])),
            ("compute_column", reportObject([("type", .string("string"))])), ("loss_column", reportObject([("type", .string("string"))])),
            ("unique_tokens_column", reportObject([("type", .string("string"))])),
            ("drop_highest_loss", reportObject([("type", .string("integer")), ("minimum", .integer(0))])),
            ("huber_delta", quantity),
        ]
        var seen = Set(lawProps.map(\.0))
        for f in LawForm.allCases {
            for name in f.parameterNames + f.optionalParameterNames where seen.insert(name).inserted {
                lawProps.append((name, reportObject([("type", .string("number"))])))
            }
        }
        let histogramBin = obj([
            ("tokens", reportObject([("type", .string("integer")), ("minimum", .integer(2))])),
            ("share", fraction(0, 1)),
        ], required: ["tokens", "share"])
        let outputHistogram = obj([
            ("histogram", reportObject([("type", .string("array")), ("items", histogramBin), ("minItems", .integer(1))])),
        ], required: ["histogram"], description: "output lengths and their shares of the requests (summing to 1); the mean is the output tokens")
        let demand = obj([
            ("requests_per_day", quantity), ("tokens_per_day", quantity), ("tokens", quantity),
            ("volumes", reportObject([("type", .string("string")), ("description", .string("CSV of monthly request volumes"))])),
            ("growth", enumeration(["constant", "linear", "exponential"])), ("growth_per_month", reportObject([("type", .string("number"))])),
            ("horizon_months", reportObject([("type", .string("integer")), ("minimum", .integer(1))])),
            ("prompt_tokens", quantity), ("output_tokens", reportObject([("oneOf", .list([quantity, outputHistogram]))])),
            ("peak_to_mean", fraction(1, 1000)),
        ])
        let perHardware = reportObject([("type", .string("object")), ("additionalProperties", quantity)])
        let replicaCount = reportObject([("type", .string("integer")), ("minimum", .integer(1)), ("maximum", .integer(10_000))])
        let figure = obj([("value", reportObject([("type", .string("number"))])), ("source", reportObject([("type", .string("string")), ("minLength", .integer(3))]))],
                         required: ["value", "source"])
        let factors = obj(EfficiencyFactors.keys.map { ($0, figure) }, description: "efficiency factors, each {value, source}")
        let efficiency = reportObject([("oneOf", .list([factors, reportObject([("type", .string("object")), ("additionalProperties", factors)])]))])
        return reportObject([
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://scaleplan.dev/schema/scenario-v1.json")),
            ("title", .string("scaleplan scenario (contract v1)")),
            ("type", .string("object")),
            ("properties", .object([
                ("$schema", reportObject([("type", .string("string"))])),
                ("scenario", reportObject([("type", .string("string")), ("minLength", .integer(1))])),
                ("description", reportObject([("type", .string("string"))])),
                ("law", obj(lawProps, description: "one of: preset, file, fit (with columns), or form plus parameters")),
                ("training", obj([
                    ("hardware", hw), ("mfu", fraction(0.001, 1)), ("price_per_hour", quantity),
                    ("devices", reportObject([("type", .string("integer")), ("minimum", .integer(1))])),
                    ("max_devices", reportObject([("type", .string("integer")), ("minimum", .integer(1))])),
                    ("device_step", reportObject([("type", .string("integer")), ("minimum", .integer(1))])),
                    ("max_days", quantity), ("unique_tokens", quantity), ("pue", fraction(1, 3)),
                ], required: ["hardware"])),
                ("inference", obj([
                    ("hardware", oneOrMany(hw)), ("precision", oneOrMany(enumeration(Precision.allCases.map(\.rawValue)))),
                    ("demand", demand),
                    ("slo", obj([("ttft_ms", quantity), ("tpot_ms", quantity)])),
                    ("mfu", obj([("prefill", fraction(0.001, 1)), ("decode", fraction(0.001, 1))], required: ["prefill", "decode"])),
                    ("price_per_hour", reportObject([("oneOf", .list([quantity, perHardware]))])),
                    ("max_devices", perHardware),
                    ("min_replicas", reportObject([("oneOf", .list([replicaCount, reportObject([("type", .string("object")), ("additionalProperties", replicaCount)])])),
                                                   ("description", .string("fewest replicas of a serving option in a month it runs in (one number for every accelerator, or per accelerator); needs a monthly forecast"))])),
                    ("pue", fraction(1, 3)), ("carbon_intensity", reportObject([("type", .string("number")), ("minimum", .integer(Int(ServingOptions.carbonIntensityRange.lowerBound))),
                                                        ("maximum", .integer(Int(ServingOptions.carbonIntensityRange.upperBound)))])),
                    ("prefix_cache_hit_rate", prefixCacheHitRate), ("shared_prefix_tokens", sharedPrefixTokens),
                    ("pipeline_parallel", reportObject([("type", .string("boolean")),
                                                        ("description", .string("let replicas be pipelines of 2 or more stages (off: the pipeline model has no bubbles)"))])),
                    ("efficiency", efficiency),
                    ("purchasing", obj([
                        ("reserved", obj([
                            ("term_months", reportObject([("type", .string("integer")), ("minimum", .integer(1)), ("maximum", .integer(120))])),
                            ("discount", reportObject([("oneOf", .list([fraction(0, 0.95), reportObject([
                                ("type", .string("object")), ("additionalProperties", fraction(0, 0.95))])]))])),
                        ], required: ["term_months"], description: "devices committed for terms from month 0 at a fraction off on-demand, paid for every month of a term; without a discount, the profiles' price.reserved figure for the term")),
                        ("change_cost_replica_hours", reportObject([("type", .string("number")), ("minimum", .integer(0)), ("maximum", .integer(8766)),
                                                                    ("description", .string("replica-hours of a replica's price per replica added or removed between months"))])),
                    ], description: "how serving capacity is bought (default: on demand, month by month); needs a monthly forecast")),
                ], required: ["demand"], description: "hardware is required unless the demand is a token total without a request shape (a pure-FLOP question)")),
                ("objectives", reportObject([("type", .string("array")), ("items", objectives), ("minItems", .integer(1)), ("maxItems", .integer(2)), ("uniqueItems", .bool(true))])),
                ("constraints", obj([
                    ("loss_max", quantity), ("cost_max", quantity), ("compute_max", quantity), ("energy_max", quantity),
                    ("train_days_max", quantity), ("latency_max", quantity), ("params_max", quantity), ("params_min", quantity),
                    ("tokens_per_param_max", quantity), ("tokens_per_param_min", quantity),
                ])),
                ("search", obj([
                    ("params", range), ("tokens_per_param", range),
                    ("family", enumeration(ModelFamily.all.map(\.name))),
                    ("sizes", modelSizes),
                ] + architectureProperties)),
                ("frontier", obj([
                    ("points", reportObject([("type", .string("integer")), ("minimum", .integer(2)), ("maximum", .integer(FrontierSettings.maximumPoints))])),
                    ("x", objectives), ("y", objectives),
                ])),
                ("downscale", downscale(hw: hw)),
                ("quantization", quantization),
            ])),
            ("required", .list(["scenario", "law", "training"].map { .string($0) })),
            // A scenario asks a planning question (objectives), a downscaling one, or both.
            ("anyOf", .list([reportObject([("required", .list([.string("objectives")]))]),
                             reportObject([("required", .list([.string("downscale")]))])])),
            ("additionalProperties", .bool(false)),
        ])
    }
}
