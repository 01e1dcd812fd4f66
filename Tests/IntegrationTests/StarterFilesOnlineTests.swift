import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// `chargeback init`'s files, unedited, against a real Prometheus scraping agentgateway's
/// exposition for a few seconds: `validate --online` finds the gateways without a selector edit and
/// says which cache convention `auto` applies per provider and build (one gateway on v1.4.1, the
/// other on a build after it).
final class StarterFilesOnlineTests: XCTestCase {
    static let pods: [AgentgatewayExporter.PodSpec] = [
        .init(name: "agentgateway-6c8d-x2", gateway: "agentgateway-system/agentgateway", tag: "v1.4.1"),
        .init(name: "agentgateway-eu-77f2-q9", gateway: "agentgateway-system/agentgateway-eu", tag: "v1.5.0"),
    ]

    func testInitThenValidateOnlineFindsTheGatewaysVersionsAndConventions() async throws {
        let exporter = try await AgentgatewayExporter.start(Self.pods)
        let targets = Self.pods.map { pod in
            """
                  - targets: ['127.0.0.1:\(exporter.port(pod.name))']
                    labels: { namespace: agentgateway-system, pod: \(pod.name) }

            """
        }.joined()
        let prometheus: LiveScraper
        do {
            prometheus = try await LiveScraper(
                .prometheus,
                scrapeConfig: """
                    global: { scrape_interval: 1s, scrape_timeout: 900ms }
                    scrape_configs:
                      - job_name: agentgateway
                        static_configs:
                    \(targets)
                    """)
        } catch {
            await exporter.stop()
            throw error
        }
        defer { prometheus.stop() }
        try await NativeHistogramTests.waitForScrape(prometheus.url)
        let traffic: [(system: String, model: String)] = [
            ("anthropic", "claude-sonnet-4-5-20250929"), ("openai", "gpt-4o-2024-08-06"),
            ("aws.bedrock", "claude-3-5-haiku-20241022"),
        ]
        for pod in Self.pods {
            for (system, model) in traffic {
                exporter.serve(
                    pod: pod.name, system: system, model: model, route: "agentgateway-system/\(system)",
                    tokens: ["input": 1200, "output": 300, "input_cache_read": 800])
            }
        }
        // Two scrapes after the traffic.
        try await Task.sleep(for: .seconds(2.5))
        await exporter.stop()

        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        let folder = TemporaryFolder("cb-init-online")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let initRun = try SampleWorld.execute(binary, ["init", folder.path], environment: [:])
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        let run = try SampleWorld.execute(
            binary,
            [
                "validate", "--config", folder.file("chargeback.yaml").path, "--online", "--prometheus-url",
                prometheus.url, "--as-of", TestClock.serverNowArgument(),
            ], environment: [:])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for expected in [
            "gateways (gateway): agentgateway-system/agentgateway, agentgateway-system/agentgateway-eu",
            "agentgateway v1.4.1: 1 target(s) (agentgateway-6c8d-x2)",
            "agentgateway v1.5.0: 1 target(s) (agentgateway-eu-77f2-q9)",
            "cache convention: anthropic: input excludes cache tokens (agentgateway v1.4.x default) on v1.4.1",
            "cache convention: anthropic: input includes cache tokens (agentgateway after v1.4.1, by "
                + "agentgateway_build_info) on v1.5.0",
            "cache convention: aws.bedrock: input excludes cache tokens (agentgateway v1.4.x default) on v1.4.1",
            "cache convention: aws.bedrock: input includes cache tokens (agentgateway after v1.4.1, by "
                + "agentgateway_build_info) on v1.5.0",
            "cache convention: openai: input includes cache tokens (agentgateway v1.4.x default) on v1.4.1",
        ] {
            XCTAssertTrue(lines.contains(expected), "missing '\(expected)' in:\n\(run.stdout)")
        }
        XCTAssertTrue(
            lines.contains {
                $0.contains(": 18 series of agentgateway_gen_ai_client_token_usage_sum from ")
                    && $0.hasSuffix(" (the 30 days before --as-of)")
            },
            run.stdout)
        // Nothing to fix: no selector or label hint, no version warning.
        for hint in ["matches none", "is on none of the series", "counts cache tokens inside input"] {
            XCTAssertFalse(run.stderr.contains(hint), "\(hint): \(run.stderr)")
        }
    }
}
