import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// agentgateway with `histograms: native` (native histograms, only through the protobuf format)
/// scraped by Prometheus 2.42 with `--enable-feature=native-histograms`: the token histogram is
/// there under its own name, its `_sum` is not. `report` and `validate --online` stop with exit 64
/// and say what to change, instead of reporting no usage.
final class NativeHistogramTests: XCTestCase {
    static let pod = "agentgateway-native-0"
    static let histogram = "agentgateway_gen_ai_client_token_usage"

    func testANativeTokenHistogramStopsReportAndValidateWithWhatToChange() async throws {
        let exporter = try await AgentgatewayExporter.start([
            .init(name: Self.pod, gateway: "agentgateway-system/agentgateway", tag: "v1.4.1", histograms: .native)
        ])
        let config = """
            global: { scrape_interval: 1s, scrape_timeout: 900ms }
            scrape_configs:
              - job_name: agentgateway
                static_configs:
                  - targets: ['127.0.0.1:\(exporter.port(Self.pod))']
                    labels: { namespace: agentgateway-system, pod: \(Self.pod) }
            """
        let prometheus: LiveScraper
        do {
            prometheus = try await LiveScraper(
                .prometheus, scrapeConfig: config, extraFlags: ["--enable-feature=native-histograms"])
        } catch {
            await exporter.stop()
            throw error
        }
        defer { prometheus.stop() }
        // Prometheus scrapes a new target only after its discovery settles (about 5 s): the traffic
        // and the period start once it has.
        try await Self.waitForScrape(prometheus.url)
        let start = TestClock.serverNow()
        for step in 0..<30 {
            exporter.serve(
                pod: Self.pod, system: "anthropic", model: "claude-sonnet-4-5-20250929",
                route: "agentgateway-system/anthropic", tokens: ["input": Int64(100 + step * 37), "output": 80])
            try await Task.sleep(for: .milliseconds(50))
        }
        var seen: Double?
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(500))
            seen = try await Self.value(
                prometheus.url, #"sum(histogram_count(\#(Self.histogram){gen_ai_token_type="input"}))"#)
            if seen == Double(exporter.requests.count) { break }
        }
        await exporter.stop()
        let scrapes = exporter.scrapes
        XCTAssertFalse(scrapes.isEmpty)
        XCTAssertTrue(scrapes.allSatisfy(\.protobuf), "Prometheus asks for protobuf first with native histograms on")
        XCTAssertEqual(seen, Double(exporter.requests.count), "the native histogram as Prometheus read it")
        let sum = try await Self.value(prometheus.url, "count(\(Self.histogram)_sum)")
        XCTAssertNil(sum, "a native histogram has no _sum series")
        try await Task.sleep(for: .seconds(1))

        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        let folder = TemporaryFolder("cb-native")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let initRun = try SampleWorld.execute(binary, ["init", folder.file("config").path], environment: [:])
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        let configFile = folder.file("config/chargeback.yaml").path
        let output = folder.file("reports")
        let from = DateText.utc(Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down)))
        let to = DateText.utc(Date(timeIntervalSince1970: TestClock.serverNow().timeIntervalSince1970.rounded(.down)))
        let runs = [
            (
                "report",
                [
                    "report", "--config", configFile, "--from", from, "--to", to, "--prometheus-url", prometheus.url,
                    "--output", output.path, "--allow-empty",
                ]
            ),
            (
                "validate",
                ["validate", "--config", configFile, "--online", "--prometheus-url", prometheus.url, "--as-of", to]
            ),
        ]
        for (name, arguments) in runs {
            let run = try SampleWorld.execute(binary, arguments, environment: [:])
            XCTAssertEqual(run.status, 64, "\(name): \(run.stderr)")
            for part in [
                "chargeback.yaml: metrics.tokens: \(Self.histogram) is a native histogram", "pod=\"\(Self.pod)\"",
                "histograms:", "`classic`", "`both`", "scrape_classic_histograms",
            ] {
                XCTAssertTrue(run.stderr.contains(part), "\(name) names \(part): \(run.stderr)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("manifest.json").path))
    }

    /// Waits until Prometheus holds a sample of the target (its build info), at most 20 s.
    static func waitForScrape(_ url: String) async throws {
        for _ in 0..<80 {
            if try await value(url, "count(agentgateway_build_info)") != nil { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        XCTFail("Prometheus did not scrape the exporter within 20 s")
    }

    /// The value of an instant query's only series, or `nil` when it returns none.
    static func value(_ url: String, _ promql: String) async throws -> Double? {
        let result = try await BackendReport.withClient(url) { try await $0.query(promql, at: TestClock.serverNow()) }
        return result.series.first?.samples.first?.1
    }
}
