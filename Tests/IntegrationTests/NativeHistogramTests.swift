import AsyncHTTPClient
import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// agentgateway with `histograms: native` (native histograms, only through the protobuf format)
/// scraped by Prometheus 2.42 with `--enable-feature=native-histograms`: the token histogram is
/// there, its `_sum` is not. `report` stops with exit 64 and says what to change, instead of
/// reporting no usage.
final class NativeHistogramTests: XCTestCase {
    func testANativeTokenHistogramStopsTheReportWithWhatToChange() async throws {
        let exporter = try await AgentgatewayExporter.start([
            .init(
                name: "agentgateway-native-0", gateway: "agentgateway-system/agentgateway", tag: "v1.4.1",
                histograms: .native)
        ])
        let config = """
            global: { scrape_interval: 1s, scrape_timeout: 900ms }
            scrape_configs:
              - job_name: agentgateway
                static_configs:
                  - targets: ['127.0.0.1:\(exporter.port("agentgateway-native-0"))']
                    labels: { namespace: agentgateway-system, pod: agentgateway-native-0 }
            """
        let prometheus: LiveScraper
        do {
            prometheus = try await LiveScraper(
                .prometheus, scrapeConfig: config,
                extraFlags: ["--enable-feature=native-histograms"])
        } catch {
            await exporter.stop()
            throw error
        }
        defer { prometheus.stop() }
        let start = Date()
        for step in 0..<40 {
            exporter.serve(
                pod: "agentgateway-native-0", system: "anthropic", model: "claude-sonnet-4-5-20250929",
                route: "agentgateway-system/anthropic", tokens: ["input": Int64(100 + step * 37), "output": 80])
            try await Task.sleep(for: .milliseconds(50))
        }
        // Scraped after the last request: Prometheus holds the exporter's request count exactly.
        try await Task.sleep(for: .seconds(3))
        let requests = Double(exporter.requests.count)
        var seen: Double?
        for _ in 0..<20 {
            seen = try await Self.value(
                prometheus.url,
                #"sum(histogram_count(agentgateway_gen_ai_client_token_usage{gen_ai_token_type="input"}))"#)
            if seen == requests { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        await exporter.stop()
        XCTAssertEqual(seen, requests, "the native histogram as Prometheus read it")
        let sum = try await Self.value(prometheus.url, "count(agentgateway_gen_ai_client_token_usage_sum)")
        XCTAssertNil(sum, "a native histogram has no _sum series")

        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        let output = TemporaryFolder("cb-native")
        defer { try? FileManager.default.removeItem(at: output.url) }
        let from = DateText.utc(Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down)))
        let to = DateText.utc(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let run = try SampleWorld.execute(
            binary,
            [
                "report", "--config", PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path,
                "--from", from, "--to", to, "--prometheus-url", prometheus.url, "--output", output.path,
            ], environment: [:])
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("agentgateway_gen_ai_client_token_usage is a native histogram"), run.stderr)
        XCTAssertTrue(run.stderr.contains("histograms:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("both"), run.stderr)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0 != OutputLock.fileName }, [])
    }

    /// The value of an instant query's only series, or `nil` when it returns none.
    static func value(_ url: String, _ promql: String) async throws -> Double? {
        let result = try await BackendReport.withClient(url) { try await $0.query(promql, at: Date()) }
        return result.series.first?.samples.first?.1
    }
}
