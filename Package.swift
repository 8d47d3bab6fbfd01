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
    ],
    targets: [
        // C libraries
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),

        // Foundations: no ML pipeline words here.
        .target(name: "Core", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Tabular", dependencies: ["CZlib", "Core"]),
        .target(name: "ReportModel"),
        .target(name: "HTTP", dependencies: ["CCurl", "Core"]),
        .target(name: "OCI", dependencies: ["HTTP", "CZlib", "Core", .product(name: "Crypto", package: "swift-crypto")]),

        // Command line
        .executableTarget(name: "sluice", dependencies: [
            "Core", "Tabular", "ReportModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests
        .target(name: "TestSupport", dependencies: ["Core", .product(name: "Crypto", package: "swift-crypto")], path: "Tests/TestSupport"),
        .testTarget(name: "TabularTests", dependencies: ["Core", "Tabular", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["Core", "HTTP", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
