// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "chargeback",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chargeback", targets: ["chargeback"]),
        .executable(name: "generate-history", targets: ["generate-history"]),
        .library(name: "ChargebackCore", targets: ["ChargebackCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .executableTarget(
            name: "chargeback",
            dependencies: [
                "ChargebackCore", "ChargebackStores",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The library along the pipeline (docs/architecture.md): a target may import only those
        // named in its dependencies, so an arrow the design forbids does not compile.
        // The money and usage model and the pure stages that make it: Foundation only.
        .target(name: "ChargebackModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // chargeback.yaml, pricing.yaml and teams.yaml read into the model's values.
        .target(name: "ChargebackConfig", dependencies: ["ChargebackModel", .product(name: "Yams", package: "Yams")]),
        // What both network clients share: secrets, credentials, TLS files, the retry policy, errors.
        .target(
            name: "ChargebackNetwork",
            dependencies: ["ChargebackModel", "ChargebackConfig", .product(name: "NIOSSL", package: "swift-nio-ssl")]),
        // The Prometheus-API client behind ``MetricsBackend``, the query plan and the fetch.
        .target(
            name: "ChargebackMeasure",
            dependencies: [
                "ChargebackModel", "ChargebackConfig", "ChargebackNetwork",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // Markdown, CSV, XLSX (the only user of libxlsxwriter), FOCUS and the manifest, from the Report alone.
        .target(
            name: "ChargebackRender",
            dependencies: [
                "ChargebackModel", "CXlsxWriter",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // SMTP, exactly once, and its ledger.
        .target(
            name: "ChargebackDeliver",
            dependencies: [
                "ChargebackModel", "ChargebackConfig", "ChargebackNetwork", "ChargebackRender",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // The pipeline that wires the stages, the usage store's protocol and collection, the checks
        // and the rules; it re-exports the stages for the executable and the tests.
        .target(
            name: "ChargebackCore",
            dependencies: [
                "ChargebackModel", "ChargebackConfig", "ChargebackNetwork", "ChargebackMeasure",
                "ChargebackRender", "ChargebackDeliver",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The usage store's databases, apart from the core so that no SQL string-literal type
        // reaches it; ChargebackStores maps a `store.url` scheme to one of them.
        .target(
            name: "ChargebackStoreSQLite",
            dependencies: ["ChargebackCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "ChargebackStorePostgres",
            dependencies: [
                "ChargebackCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ChargebackStores",
            dependencies: ["ChargebackCore", "ChargebackStoreSQLite", "ChargebackStorePostgres"]),
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .executableTarget(name: "generate-history"),
        // Benchmarks/run.sh's million-row workbook timing (a benchmark, not a test).
        .executableTarget(
            name: "chargeback-xlsx-bench", dependencies: ["ChargebackCore", "TestSupport"],
            path: "Benchmarks/XLSXBench"),
        .target(
            name: "TestSupport",
            dependencies: [
                "ChargebackCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ], path: "Tests/TestSupport"),
        .testTarget(
            name: "ChargebackCoreTests",
            dependencies: [
                "ChargebackCore", "ChargebackModel", "ChargebackConfig", "ChargebackNetwork", "ChargebackMeasure",
                "ChargebackRender", "ChargebackDeliver",
                "chargeback", "TestSupport", "ChargebackStoreSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "ChargebackCore", "ChargebackModel", "ChargebackConfig", "ChargebackNetwork", "ChargebackMeasure",
                "ChargebackRender", "ChargebackDeliver",
                "generate-history", "chargeback", "TestSupport", "ChargebackStores",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)

// The libFuzzer harness, only when scripts/fuzz.sh asks for it (CHARGEBACK_FUZZ=1): it links
// with -sanitize=fuzzer, which a normal build does not have.
if ProcessInfo.processInfo.environment["CHARGEBACK_FUZZ"] == "1" {
    package.products.append(.executable(name: "chargeback-fuzz", targets: ["chargeback-fuzz"]))
    package.targets += [
        .target(name: "CLibFuzzer"),
        // gold fails on the sanitized objects ("internal error in format_file_lineno"); lld links them.
        .executableTarget(
            name: "chargeback-fuzz", dependencies: ["ChargebackCore", "CLibFuzzer"],
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]),
    ]
}
