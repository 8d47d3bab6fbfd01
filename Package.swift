// swift-tools-version:6.0
import PackageDescription

// Layers (see docs/architecture.md): C libraries -> foundations -> capabilities -> Pipeline -> sluice.
// Arrows point down only; a capability never imports another capability.
let package = Package(
    name: "sluice",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Serving's HTTP server (NIOHTTP1 parses HTTP; nothing hand-written).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        // SSE2 bit masks of a CSV's field and record ends (header only, inlined).
        .systemLibrary(name: "CByteScan"),
        // SSE2 reading of short plain numbers in a CSV cell (header only, inlined).
        .systemLibrary(name: "CNumberScan"),
        // glibc's allocator controls (MemoryPolicy).
        .systemLibrary(name: "CMalloc"),
        // RE2 (C++) behind a C interface, for linear-time Table Schema patterns.
        .target(name: "CRE2", linkerSettings: [.linkedLibrary("re2"), .linkedLibrary("stdc++")]),

        // Foundations: no ML pipeline words here.
        .target(name: "Core", dependencies: ["CMalloc", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Tabular", dependencies: ["CByteScan", "CNumberScan", "CZlib", "CISAL", "CSnappy", "CZstd", "CLZ4", "CRE2", "Core"]),
        .target(name: "ReportModel"),
        .target(name: "Config", dependencies: ["Core", .product(name: "Yams", package: "Yams")]),
        .target(name: "HTTP", dependencies: ["CCurl", "Core"]),
        .target(name: "OCI", dependencies: ["HTTP", "CZlib", "Core", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Git", dependencies: ["CGit2", "Core"]),
        .target(name: "CIEnvironment", dependencies: ["Core"]),
        .target(name: "Stats", dependencies: ["Core", "Tabular"]),
        .target(name: "MLflow", dependencies: ["HTTP", "Core"]),

        // Capabilities: one job each; never import one another.
        .target(name: "Drift", dependencies: ["Core", "Tabular", "Stats", "ReportModel", "Config"]),
        .target(name: "Validation", dependencies: ["Core", "Tabular", "ReportModel"]),
        .target(name: "Evaluation", dependencies: ["Core", "Tabular", "ReportModel", "Config"]),
        .target(name: "Gates", dependencies: ["Core", "Tabular", "ReportModel", "Config"]),
        .target(name: "Training", dependencies: ["Core", "Tabular", "Config", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Reports", dependencies: ["Core", "ReportModel", .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "Forges", dependencies: ["CIEnvironment", "HTTP", "ReportModel", "CZlib"]),
        .target(name: "ModelRegistry", dependencies: ["MLflow", "Core", "Config", "ReportModel"]),

        // Capabilities: one job each; never import one another.
        .target(name: "Packaging", dependencies: ["OCI", "HTTP", "Core", "ReportModel"]),
        .target(name: "Serving", dependencies: [
            "Core", "Tabular",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        // Orchestration
        .target(name: "Pipeline", dependencies: [
            "Core", "ReportModel", "Config", "CIEnvironment", "Git", "Tabular", "HTTP", "OCI",
            "Validation", "Drift", "Training", "Evaluation", "Gates", "Reports", "Forges", "Packaging", "Serving", "MLflow", "ModelRegistry",
        ]),

        // Scaffolding: `sluice init` (a starter sluice.yml, schema and CI file from the data).
        .target(name: "Scaffolding", dependencies: ["Core", "Tabular", "ReportModel", "Validation", "Evaluation"]),

        // Command line
        .executableTarget(name: "sluice", dependencies: [
            "Core", "Tabular", "ReportModel", "Config", "Stats", "Drift", "Validation", "CIEnvironment", "Reports", "Forges", "HTTP", "Evaluation", "Training", "Gates",
            "OCI", "Packaging", "Serving", "Pipeline", "Scaffolding",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests
        .target(name: "TestSupport", dependencies: ["Core", "HTTP", .product(name: "Crypto", package: "swift-crypto")], path: "Tests/TestSupport"),
        .testTarget(name: "TabularTests", dependencies: ["CByteScan", "CNumberScan", "Core", "Tabular", "TestSupport"]),
        .testTarget(name: "InitTests", dependencies: ["Scaffolding", "Evaluation", "Tabular", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "RunEndToEndTests", dependencies: ["TestSupport", "MLflow", "HTTP", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "CMalloc", "Core", "ReportModel", "Config", "Tabular", "Validation", "OCI", "Packaging", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Core"]),
        .testTarget(name: "GatesTests", dependencies: ["Gates", "ReportModel", "Config", "Core", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Core", "Tabular", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "ReportModel", "Core", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["Core", "HTTP", "TestSupport"]),
        .testTarget(name: "OCITests", dependencies: ["Core", "HTTP", "OCI", "TestSupport"]),
        .testTarget(name: "PackagingTests", dependencies: ["Core", "HTTP", "OCI", "Packaging", "Config", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "GitTests", dependencies: ["Core", "Git", "TestSupport"]),
        .testTarget(name: "CIEnvironmentTests", dependencies: ["CIEnvironment"]),
        .testTarget(name: "StatsTests", dependencies: ["Core", "Tabular", "Stats", "TestSupport"]),
        .testTarget(name: "DriftTests", dependencies: ["Core", "Tabular", "Stats", "Drift", "ReportModel", "TestSupport"]),
        .testTarget(name: "ValidationTests", dependencies: ["Core", "Tabular", "ReportModel", "Validation", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Core", "ReportModel", "Reports", "TestSupport"]),
        .testTarget(name: "ServingTests", dependencies: ["Serving", "Core", "TestSupport"]),
        .testTarget(name: "MLflowTests", dependencies: ["Core", "HTTP", "MLflow", "TestSupport"]),
        .testTarget(name: "ModelRegistryTests", dependencies: ["Core", "HTTP", "MLflow", "ModelRegistry", "ReportModel", "Config", "TestSupport"]),
        .testTarget(name: "ForgesTests", dependencies: ["CIEnvironment", "Forges", "HTTP", "ReportModel", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
