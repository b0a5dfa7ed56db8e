// swift-tools-version: 6.1
import PackageDescription

// Dependencies are pinned to exact versions (see README, "Dependencies").
let package = Package(
    name: "scaleplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "scaleplan", targets: ["scaleplan"]),
        .library(name: "ScalingLaws", targets: ["ScalingLaws"]),
        .library(name: "Planner", targets: ["Planner"]),
        .library(name: "Scenario", targets: ["Scenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
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

        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        .target(name: "ScalingLaws", dependencies: ["LinearAlgebra"]),
        .target(name: "Hardware", dependencies: ["LinearAlgebra"]),
        .target(name: "Demand"),
        .target(name: "Planner", dependencies: ["CGLPK", "ScalingLaws", "Hardware", "Demand", "LinearAlgebra"]),
        .target(
            name: "Scenario",
            dependencies: [
                "ScalingLaws", "Hardware", "Demand", "Planner",
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(
            name: "Report",
            dependencies: ["ScalingLaws", "Hardware", "Demand", "Planner", "Scenario", .product(name: "CSV", package: "CSV.swift")]),
        .executableTarget(
            name: "scaleplan",
            dependencies: [
                "ScalingLaws", "Planner", "Scenario", "Report", "Hardware", "Demand", "LinearAlgebra",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The fuzzing harness (mutated inputs through the library, in-process) and its soak runner.
        .target(name: "Fuzzing", dependencies: ["ScalingLaws", "Hardware", "Planner", "Scenario", "Report"]),
        .executableTarget(
            name: "scaleplan-fuzz",
            dependencies: ["Fuzzing", "Scenario", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Shared test helpers: fixture paths and tolerance checks.
        .target(name: "TestSupport", path: "Sources/TestSupport"),

        .testTarget(
            name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(
            name: "ScalingLawsTests",
            dependencies: [
                "ScalingLaws", "Scenario", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Scenario", "TestSupport"]),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "Scenario", "TestSupport"]),
        .testTarget(name: "DemandTests", dependencies: ["Demand", "Scenario", "TestSupport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        // The bad-input corpus (Tests/Fixtures/bad-inputs) run through the built binary.
        .testTarget(name: "BadInputTests", dependencies: ["TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing", "Planner", "Scenario", "TestSupport"]),
    ]
)
