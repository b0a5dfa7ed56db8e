// swift-tools-version: 6.1
import PackageDescription

// Dependencies are pinned to exact versions (see README, "Dependencies").
//
// The module graph is the architecture (docs/ARCHITECTURE.md): data flows one way,
//   inputs (Scenario) -> laws, hardware, demand -> PlanModel -> PlanSolver, Downscale -> Report -> ScaleplanCLI,
// with Numerics, LinearAlgebra, GLPK, Diagnostics and FileIO at the bottom. Scenario does not
// depend on the solver, Report does not depend on Scenario, and nothing depends on the CLI.
// Release builds optimise across modules (-cross-module-optimization): the plan model, the
// solver and the numerics are separate modules, and the planner's hot loops call small
// accessors across them (fleet capacity, metric values, scalar searches).
let optimised: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "scaleplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "scaleplan", targets: ["scaleplan"]),
        .library(name: "ScalingLaws", targets: ["ScalingLaws"]),
        .library(name: "ExperimentDesign", targets: ["ExperimentDesign"]),
        .library(name: "ModelSelection", targets: ["ModelSelection"]),
        .library(name: "PlanModel", targets: ["PlanModel"]),
        .library(name: "PlanSolver", targets: ["PlanSolver"]),
        .library(name: "Scenario", targets: ["Scenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
    ],
    targets: [
        // C libraries from the system (Debian: libglpk-dev, libopenblas-dev).
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),

        // Foundations: no domain knowledge.
        .target(name: "Diagnostics", swiftSettings: optimised),
        .target(name: "Numerics", swiftSettings: optimised),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"], swiftSettings: optimised),
        .target(name: "GLPK", dependencies: ["CGLPK", "Diagnostics"], swiftSettings: optimised),
        .target(name: "FileIO", dependencies: ["Diagnostics"], swiftSettings: optimised),
        .target(name: "ValueTree", swiftSettings: optimised),

        // Domain models: laws, pilot designs, hardware, demand.
        .target(name: "ScalingLaws", dependencies: ["Numerics", "LinearAlgebra", "Diagnostics"], swiftSettings: optimised),
        .target(name: "ExperimentDesign", dependencies: ["ScalingLaws", "Numerics", "LinearAlgebra", "Diagnostics"], swiftSettings: optimised),
        .target(name: "Hardware", dependencies: ["Numerics", "LinearAlgebra", "Diagnostics"], swiftSettings: optimised),
        .target(name: "Demand", dependencies: ["Diagnostics"], swiftSettings: optimised),
        // Choosing between candidate configurations from small runs (`scaleplan select`).
        .target(name: "ModelSelection", dependencies: ["ScalingLaws", "Numerics", "LinearAlgebra", "Diagnostics"], swiftSettings: optimised),

        // The planning problem as plain values, and its solvers.
        .target(name: "PlanModel", dependencies: ["ScalingLaws", "Hardware", "Demand", "Numerics", "Diagnostics"], swiftSettings: optimised),
        .target(
            name: "PlanSolver",
            dependencies: [
                "PlanModel", "GLPK", "ScalingLaws", "Hardware", "Demand", "Numerics", "LinearAlgebra", "Diagnostics",
                .product(name: "HeapModule", package: "swift-collections"),
            ], swiftSettings: optimised),
        .target(name: "Downscale", dependencies: ["PlanModel", "PlanSolver", "GLPK", "ScalingLaws", "Hardware", "Numerics", "Diagnostics"],
                swiftSettings: optimised),

        // Inputs (YAML, CSV) decoded into the plan model; outputs rendered from it.
        .target(
            name: "Scenario",
            dependencies: [
                "PlanModel", "ScalingLaws", "ExperimentDesign", "ModelSelection", "Hardware", "Demand", "FileIO", "Diagnostics", "ValueTree",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Profiles/README.md", "Profiles/measurements"],
            // The hardware profiles (hardware-profiles/, linked here) are compiled into the
            // binary, so an installed scaleplan needs no files beside it. BuiltInProfiles.swift
            // lists them; a test checks the list against the folder.
            resources: [
                .embedInCode("Profiles/a100-40gb.yaml"),
                .embedInCode("Profiles/a100-80gb.yaml"),
                .embedInCode("Profiles/apple-m3-max.yaml"),
                .embedInCode("Profiles/b200.yaml"),
                .embedInCode("Profiles/h100-pcie.yaml"),
                .embedInCode("Profiles/h100-sxm.yaml"),
                .embedInCode("Profiles/h200.yaml"),
                .embedInCode("Profiles/jetson-agx-orin-64gb.yaml"),
                .embedInCode("Profiles/l4.yaml"),
                .embedInCode("Profiles/l40s.yaml"),
                .embedInCode("Profiles/mi300x.yaml"),
                .embedInCode("Profiles/tpu-v5e.yaml"),
                .embedInCode("Profiles/tpu-v5p.yaml"),
            ],
            swiftSettings: optimised),
        .target(
            name: "Report",
            dependencies: [
                "PlanModel", "ScalingLaws", "ExperimentDesign", "ModelSelection", "Hardware", "Demand", "FileIO", "Diagnostics", "ValueTree",
                .product(name: "CSV", package: "CSV.swift"),
            ], swiftSettings: optimised),

        // The command line: a library (tested in-process) and a thin executable.
        .target(
            name: "ScaleplanCLI",
            dependencies: [
                "ScalingLaws", "ExperimentDesign", "ModelSelection", "PlanModel", "PlanSolver", "Downscale", "Scenario", "Report",
                "Hardware", "Demand", "LinearAlgebra", "FileIO", "Diagnostics", "ValueTree",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], swiftSettings: optimised),
        .executableTarget(name: "scaleplan", dependencies: ["ScaleplanCLI"]),

        // The fuzzing harness (mutated inputs through the library, in-process) and its soak runner.
        .target(
            name: "Fuzzing",
            dependencies: ["ScalingLaws", "ExperimentDesign", "Hardware", "Demand", "PlanModel", "PlanSolver", "Downscale",
                           "Scenario", "Report", "FileIO", "Diagnostics", "ValueTree"]),
        .executableTarget(
            name: "scaleplan-fuzz",
            dependencies: ["Fuzzing", "Scenario", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Shared test helpers: fixture paths, tolerance checks, processes, located errors.
        .target(name: "TestSupport", dependencies: ["FileIO"], path: "Sources/TestSupport"),

        .testTarget(name: "NumericsTests", dependencies: ["Numerics", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(
            name: "ScalingLawsTests",
            dependencies: [
                "ScalingLaws", "Numerics", "Scenario", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(name: "ExperimentDesignTests", dependencies: ["ExperimentDesign", "ScalingLaws", "Numerics", "Scenario", "TestSupport"]),
        .testTarget(name: "ModelSelectionTests", dependencies: ["ModelSelection", "ScalingLaws", "Numerics", "Scenario", "TestSupport"]),
        .testTarget(name: "PlannerTests", dependencies: ["PlanModel", "PlanSolver", "Downscale", "GLPK", "Scenario", "Fuzzing", "Hardware", "Demand", "FileIO", "ScalingLaws", "TestSupport",
                                                          .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "Scenario", "TestSupport"]),
        .testTarget(name: "DemandTests", dependencies: ["Demand", "Scenario", "TestSupport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "PlanModel", "ExperimentDesign", "ScalingLaws", "FileIO", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Scenario", "PlanModel", "PlanSolver", "Downscale", "Diagnostics", "ScalingLaws", "FileIO", "ValueTree", "TestSupport"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["ScaleplanCLI", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["Snapshots"]),
        // The bad-input corpus (Tests/Fixtures/bad-inputs) run through the built binary.
        .testTarget(name: "BadInputTests", dependencies: ["TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing", "PlanModel", "PlanSolver", "Scenario", "FileIO", "TestSupport"]),
    ]
)
