import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// agentgateway with `histograms: native` (native histograms, only through the protobuf format) or
/// `both`, stored by Prometheus 2.42 with `--enable-feature=native-histograms`: the token histogram
/// is there under its own name and its `_sum` is not. The report reads the native samples' sums
/// exactly and gives the tokens the same traffic exported classically gives, hour by hour, `both`
/// counted once; VictoriaMetrics, which stores no native histograms, is named as the reason.
final class NativeHistogramTests: XCTestCase {
    static let histogram = "agentgateway_gen_ai_client_token_usage"
    static let pods: [(String, AgentgatewayExporter.HistogramMode)] = [
        ("agentgateway-classic-0", .classic), ("agentgateway-native-0", .native), ("agentgateway-both-0", .both),
    ]

    /// Live: three pods serve the same requests, one per `histograms:` mode, scraped every second
    /// by a real Prometheus 2.42 (protobuf negotiated). Each gateway's report tokens equal the
    /// tokens served. About 20 s.
    func testLiveNativeAndBothPodsReportTheTokensServed() async throws {
        let exporter = try await AgentgatewayExporter.start(
            Self.pods.map {
                .init(name: $0.0, gateway: "agentgateway-system/\($0.0.dropLast(2))", tag: "v1.5.0", histograms: $0.1)
            })
        let targets = Self.pods.map { pod in
            """
                  - targets: ['127.0.0.1:\(exporter.port(pod.0))']
                    labels: { namespace: agentgateway-system, pod: \(pod.0) }
            """
        }.joined(separator: "\n")
        let config = """
            global: { scrape_interval: 1s, scrape_timeout: 900ms }
            scrape_configs:
              - job_name: agentgateway
                static_configs:
            \(targets)
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
        try await Self.waitForScrape(prometheus.url, targets: Self.pods.count)
        // A first request per pod before the period, so its series are not at the edge of the
        // backend's data (where a first sample is a baseline).
        for (pod, _) in Self.pods {
            exporter.serve(
                pod: pod, system: "anthropic", model: "claude-sonnet-4-5-20250929",
                route: "agentgateway-system/anthropic", tokens: ["input": 10, "output": 10])
        }
        try await Task.sleep(for: .seconds(3))
        let start = TestClock.serverNow()
        try await Task.sleep(for: .seconds(2))
        for step in 0..<30 {
            for (pod, _) in Self.pods {
                exporter.serve(
                    pod: pod, system: "anthropic", model: "claude-sonnet-4-5-20250929",
                    route: "agentgateway-system/anthropic", tokens: ["input": Int64(100 + step * 37), "output": 80])
            }
            try await Task.sleep(for: .milliseconds(60))
        }
        try await Task.sleep(for: .seconds(3))
        let end = TestClock.serverNow()
        await exporter.stop()
        XCTAssertTrue(
            exporter.scrapes.filter { $0.pod != Self.pods[0].0 }.allSatisfy(\.protobuf),
            "Prometheus asks for protobuf first with native histograms on")
        let stored = try await Self.value(prometheus.url, "count(\(Self.histogram)_sum)")
        XCTAssertEqual(stored, 2, "only the classic pod has _sum series (2.42 keeps only the native kind of `both`)")

        let period = Period(
            label: "live", start: Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down)),
            end: Date(timeIntervalSince1970: end.timeIntervalSince1970.rounded(.up)),
            timeZone: TimeZone(identifier: "UTC")!)
        let report = try await BackendReport.build(
            url: prometheus.url, period: period, now: period.end.addingTimeInterval(1))
        let totals = BackendReport.totals(report)
        let served = exporter.served(from: start, to: end)
        for (pod, mode) in Self.pods {
            for type in ["input", "output"] {
                let key = "agentgateway-system/\(pod.dropLast(2)) \(type)"
                XCTAssertEqual(totals[key], served[key], "\(mode) \(type)")
                print("live \(mode) \(type): \(totals[key] ?? -1) reported, \(served[key] ?? -1) served")
            }
        }
    }

    /// Two days and a half of minute scrapes backfilled by remote write (``NativeHistory``): on
    /// 2026-10-14, with a scrape gap, a restart and a model whose series are classic while empty,
    /// the native and `both` gateways give the classic gateway's tokens hour by hour, under both
    /// plans, and those equal the tokens served; the summaries plan reads fewer points than raw.
    func testNativeHistogramsGiveTheClassicTokensHourByHour() async throws {
        let prometheus = try await LiveScraper(
            .prometheus, scrapeConfig: "scrape_configs: []\n",
            extraFlags: ["--enable-feature=native-histograms", "--web.enable-remote-write-receiver"])
        defer { prometheus.stop() }
        try await NativeHistory.write(to: prometheus.url)
        var points: [FetchPlan: Int] = [:]
        for plan in [FetchPlan.raw, .summaries] {
            // One team per gateway, so each team's requests are its gateway's.
            let report = try await BackendReport.build(url: prometheus.url, period: "2026-10-14") {
                $0.prometheus.plan = plan
                $0.teams = TeamBook(
                    teams: NativeHistory.Kind.allCases.map { Team(name: $0.rawValue) },
                    rules: NativeHistory.Kind.allCases.map {
                        TeamRule(
                            match: ["gateway": Glob(NativeHistory.gateway($0))], action: .team($0.rawValue),
                            origin: "teams.yaml")
                    }, unallocated: .report)
            }
            points[plan] = report.queries.reduce(0) { $0 + $1.samples }
            // Requests: the `input` observations, the classic `_count`'s and the native `count`'s alike.
            let requests = try XCTUnwrap(report.allocation.requests, "\(plan): requests measured")
            for kind in NativeHistory.Kind.allCases {
                XCTAssertEqual(
                    requests.requests(team: kind.rawValue), Decimal(NativeHistory.servedRequests()), "\(plan) \(kind)")
            }
            let hourly = Self.hourlyByGateway(report)
            for type in NativeHistory.tokenTypes {
                let classic = hourly["\(NativeHistory.gateway(.classic)) \(type)"] ?? []
                XCTAssertEqual(classic, NativeHistory.servedPerHour(tokenType: type), "\(plan) classic \(type)")
                for kind in [NativeHistory.Kind.native, .both] {
                    XCTAssertEqual(
                        hourly["\(NativeHistory.gateway(kind)) \(type)"], classic,
                        "\(plan) \(kind) \(type) hour by hour")
                }
                print("\(plan) \(type): \(classic.reduce(0, +)) tokens on every gateway")
            }
            let haiku = report.lines.filter {
                $0.key.gateway == NativeHistory.gateway(.native) && $0.key.model.hasPrefix("claude-3-5-haiku")
            }
            XCTAssertGreaterThan(haiku.reduce(0) { $0 + $1.tokens }, 0, "the series classic while empty, then native")
            // A dashboard's `histogram_sum(increase(…))` is shown beside the native gateway's figure.
            let dashboard = report.reconciliation.dashboard.filter { $0.gateway == NativeHistory.gateway(.native) }
            XCTAssertEqual(Set(dashboard.map(\.tokenType)), Set(NativeHistory.tokenTypes), "\(plan)")
            for row in dashboard {
                XCTAssertLessThan(abs(row.relativeDifference ?? 1), 0.05, "\(plan) \(row)")
            }
            XCTAssertTrue(
                report.diagnostics.contains { $0.message.contains("scraped more than once") },
                "\(plan): `both` is one counter read twice, counted once")
        }
        let (summarised, raw) = (points[.summaries] ?? 0, points[.raw] ?? 0)
        print("native history 2026-10-14: \(summarised) points with summaries, \(raw) raw")
        XCTAssertLessThan(summarised * 2, raw, "the summaries plan reads less")
    }

    /// VictoriaMetrics scraping a native-only gateway stores its build info and no token series: the
    /// run says VictoriaMetrics stores no native histograms and what to change (exit 64). About 10 s.
    func testVictoriaMetricsWithANativeOnlyGatewaySaysSo() async throws {
        let pod = "agentgateway-native-0"
        let exporter = try await AgentgatewayExporter.start([
            .init(name: pod, gateway: "agentgateway-system/agentgateway", tag: "v1.5.0", histograms: .native)
        ])
        let config = """
            global: { scrape_interval: 1s, scrape_timeout: 900ms }
            scrape_configs:
              - job_name: agentgateway
                static_configs:
                  - targets: ['127.0.0.1:\(exporter.port(pod))']
                    labels: { namespace: agentgateway-system, pod: \(pod) }
            """
        let victoria: LiveScraper
        do {
            victoria = try await LiveScraper(.victoriaMetrics, scrapeConfig: config)
        } catch {
            await exporter.stop()
            throw error
        }
        defer { victoria.stop() }
        let start = TestClock.serverNow()
        for step in 0..<10 {
            exporter.serve(
                pod: pod, system: "anthropic", model: "claude-sonnet-4-5-20250929",
                route: "agentgateway-system/anthropic", tokens: ["input": Int64(100 + step), "output": 80])
        }
        try await Self.waitForScrape(victoria.url, targets: 1)
        await exporter.stop()
        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        let folder = TemporaryFolder("cb-native-vm")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let initRun = try SampleWorld.execute(binary, ["init", folder.file("config").path], environment: [:])
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        let from = DateText.utc(Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down) - 60))
        let to = DateText.utc(Date(timeIntervalSince1970: TestClock.serverNow().timeIntervalSince1970.rounded(.down)))
        let run = try SampleWorld.execute(
            binary,
            [
                "report", "--config", folder.file("config/chargeback.yaml").path, "--from", from, "--to", to,
                "--prometheus-url", victoria.url, "--output", folder.file("reports").path,
            ], environment: [:])
        XCTAssertEqual(run.status, 64, run.stderr)
        for part in [
            "is VictoriaMetrics, which does not store native histograms", "pod=\"\(pod)\"", "`classic`", "`both`",
        ] {
            XCTAssertTrue(run.stderr.contains(part), "names \(part): \(run.stderr)")
        }
    }

    /// Tokens per hour per `gateway token_type`.
    static func hourlyByGateway(_ report: Report) -> [String: [Int64]] {
        var rows: [String: [Int64]] = [:]
        for line in report.lines {
            let key = "\(line.key.gateway) \(line.key.tokenType)"
            rows[key] = zip(rows[key] ?? Array(repeating: 0, count: line.hourlyTokens.count), line.hourlyTokens).map(+)
        }
        return rows
    }

    /// Waits until the backend holds a sample of `targets` targets (their build info), at most 20 s.
    static func waitForScrape(_ url: String, targets: Int = 1) async throws {
        for _ in 0..<80 {
            if let seen = try await value(url, "count(agentgateway_build_info)"), Int(seen) >= targets { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        XCTFail("the backend did not scrape the exporter within 20 s")
    }

    /// The value of an instant query's only series, or `nil` when it returns none.
    static func value(_ url: String, _ promql: String) async throws -> Double? {
        let result = try await BackendReport.withClient(url) { try await $0.query(promql, at: TestClock.serverNow()) }
        return result.series.first?.samples.first?.1
    }
}
