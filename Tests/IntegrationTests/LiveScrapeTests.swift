import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// A real install in miniature: an agentgateway exposition scraped live, every second, by a real
/// Prometheus and a real VictoriaMetrics at once, through a container restart, scrapes failing for
/// a while, a replaced pod, a model appearing mid-run and a second scrape job on one target.
/// Real scrape timestamps, real staleness markers. A report over a sub-hour `--from`/`--to`
/// window must match the exporter's request log within what counters can see.
final class LiveScrapeTests: XCTestCase {
    static let gateway = "agentgateway-system/agentgateway"
    static let gatewayEU = "agentgateway-system/agentgateway-eu"

    /// The run's script, in seconds from the start of traffic.
    enum Script {
        static let windowStart = 12.0
        static let restart = 20.0  // agentgateway-eu's only pod: 2 s down, counters back to zero
        static let failing = 28.0..<36.0  // the first gateway's pod answers 503 while it keeps serving
        static let newModel = 34.0  // claude-3-5-haiku appears on the first gateway
        static let replaced = 44.0  // that pod is deleted; its replacement starts 1 s later
        static let windowEnd = 62.0
        static let trafficEnd = 68.0
    }

    func testReportOverALiveScrapeMatchesTheRequestLogOnBothBackends() async throws {
        let exporter = try await AgentgatewayExporter.start([
            .init(name: "agentgateway-7d9f-a", gateway: Self.gateway, tag: "v1.4.1"),
            .init(name: "agentgateway-7d9f-b", gateway: Self.gateway, tag: "v1.4.1", state: .absent),
            .init(name: "agentgateway-eu-55c1", gateway: Self.gatewayEU, tag: "v1.3.2"),
        ])
        var scrapers: [LiveScraper] = []
        defer {
            for scraper in scrapers { scraper.stop() }
        }
        do {
            scrapers.append(
                try await LiveScraper(.prometheus, scrapeConfig: Self.scrapeConfig(exporter, scraper: "prometheus")))
            scrapers.append(
                try await LiveScraper(.victoriaMetrics, scrapeConfig: Self.scrapeConfig(exporter, scraper: "victoria")))
        } catch {
            await exporter.stop()
            throw error
        }
        let start = TestClock.serverNow()
        try await Self.drive(exporter, from: start)
        // The last scrapes after the traffic, then stop serving so nothing changes meanwhile.
        try await Task.sleep(for: .seconds(3))
        await exporter.stop()

        let from = Date(timeIntervalSince1970: (start.timeIntervalSince1970 + Script.windowStart).rounded(.up))
        let to = Date(timeIntervalSince1970: (start.timeIntervalSince1970 + Script.windowEnd).rounded(.down))
        let period = try Period.range(from: DateText.utc(from), to: DateText.utc(to), in: TimeZone(identifier: "UTC")!)
        let truth = exporter.served(from: from, to: to)
        XCTAssertEqual(
            Set(truth.keys.map { $0.split(separator: " ").first.map(String.init) ?? "" }),
            [Self.gateway, Self.gatewayEU])
        for (scraper, name) in zip(scrapers, ["prometheus", "victoria"]) {
            // Reading one job, then every series: the EU pod's two jobs are one counter seen twice.
            for selector in [#"job="agentgateway""#, ""] {
                let report = try await BackendReport.build(url: scraper.url, period: period, now: TestClock.serverNow())
                {
                    $0.metrics.selector = selector
                }
                let run = "\(name) {\(selector)}"
                let ours = BackendReport.totals(report)
                // Either job's copy may be counted: the larger of their floors.
                let floor = exporter.visibleFloor(scraper: name, edges: [from, to])
                    .merging(exporter.visibleFloor(scraper: "\(name)-2", edges: [from, to]), uniquingKeysWith: max)
                var lines: [String] = []
                for key in Set(truth.keys).union(ours.keys).sorted() {
                    let expected = truth[key] ?? 0
                    let measured = ours[key] ?? 0
                    let allowed = floor[key] ?? 0
                    lines.append("\(key): ours \(measured), log \(expected), floor \(allowed)")
                    XCTAssertLessThanOrEqual(
                        abs(measured - expected), allowed, "\(run) \(key): ours \(measured), log \(expected)")
                    // The floor is a small part of what was served, or the comparison says nothing.
                    XCTAssertLessThan(
                        Double(allowed), 0.2 * Double(expected), "\(run) \(key): floor \(allowed) of \(expected)")
                }
                print("\(run) over [\(DateText.utc(from)), \(DateText.utc(to))):\n  " + lines.joined(separator: "\n  "))
                XCTAssertTrue(
                    report.coverage.resets.contains { $0.series.contains("agentgateway-eu-55c1") },
                    "\(run): the restart is a reset: \(report.coverage.resets)")
                let twice = report.diagnostics.filter { $0.message.contains("scraped more than once") }
                if selector.isEmpty {
                    XCTAssertEqual(twice.count, 1, "\(run): \(report.diagnostics)")
                    XCTAssertTrue(twice.first?.message.contains("differ only in job") == true, "\(run): \(twice)")
                } else {
                    XCTAssertEqual(twice, [], run)
                }
            }
        }
        try Self.validateStarterFiles(against: scrapers)
    }

    /// `chargeback init`'s files, unedited, and `validate --online` against the live backends: the
    /// gateways are found (the starter selector is empty), the versions and conventions printed.
    static func validateStarterFiles(against scrapers: [LiveScraper]) throws {
        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        let folder = TemporaryFolder("cb-live-init")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let initRun = try SampleWorld.execute(binary, ["init", folder.path], environment: [:])
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        for scraper in scrapers {
            let run = try SampleWorld.execute(
                binary,
                [
                    "validate", "--config", folder.file("chargeback.yaml").path, "--online",
                    "--prometheus-url", scraper.url, "--as-of", TestClock.serverNowArgument(),
                ], environment: [:])
            let name = scraper.kind.rawValue
            XCTAssertFalse(run.stderr.contains("has no series"), "\(name): \(run.stderr)")
            XCTAssertTrue(
                run.stdout.contains("agentgateway v1.4.1: 2 target(s) (agentgateway-7d9f-a, agentgateway-7d9f-b)"),
                "\(name): \(run.stdout)")
            XCTAssertTrue(
                run.stdout.contains("agentgateway v1.3.2: 1 target(s) (agentgateway-eu-55c1)"), "\(name): \(run.stdout)"
            )
            XCTAssertTrue(
                run.stdout.contains("cache convention: anthropic: input excludes cache tokens"),
                "\(name): \(run.stdout)")
            XCTAssertTrue(
                run.stdout.contains("cache convention: openai: input includes cache tokens"), "\(name): \(run.stdout)")
        }
    }

    /// The scrape config both servers use: every pod under one job as a ServiceMonitor would,
    /// with the pod's target labels; the EU pod scraped a second time by a second job, as a
    /// PodMonitor beside a ServiceMonitor does. `scraper` goes along as a URL parameter, so the
    /// exporter knows whose scrape it answered.
    static func scrapeConfig(_ exporter: AgentgatewayExporter, scraper: String) -> String {
        func target(_ pod: String) -> String {
            """
                  - targets: ['127.0.0.1:\(exporter.port(pod))']
                    labels: { namespace: agentgateway-system, pod: \(pod), container: agentgateway }

            """
        }
        return """
            global: { scrape_interval: 1s, scrape_timeout: 900ms }
            scrape_configs:
              - job_name: agentgateway
                params: { scraper: [\(scraper)] }
                static_configs:
            \(target("agentgateway-7d9f-a"))\(target("agentgateway-7d9f-b"))\(target("agentgateway-eu-55c1"))
              - job_name: agentgateway-pods
                params: { scraper: [\(scraper)-2] }
                static_configs:
            \(target("agentgateway-eu-55c1"))
            """
    }

    /// Runs the script in real time: a request every 40 ms, round robin over the live pods.
    static func drive(_ exporter: AgentgatewayExporter, from start: Date) async throws {
        var random = TestSupport.SeededRandom(state: 13)
        var restarted = false
        var replaced = false
        var failing = false
        var step = 0
        while true {
            let elapsed = TestClock.serverNow().timeIntervalSince(start)
            if elapsed >= Script.trafficEnd { return }
            if !restarted && elapsed >= Script.restart {
                restarted = true
                exporter.setState("agentgateway-eu-55c1", .failing)
                Task {
                    try await Task.sleep(for: .seconds(2))
                    exporter.resetCounters("agentgateway-eu-55c1")
                    exporter.setState("agentgateway-eu-55c1", .serving)
                }
            }
            if !failing && Script.failing.contains(elapsed) {
                failing = true
                exporter.setState("agentgateway-7d9f-a", .failing)
            }
            if failing && elapsed >= Script.failing.upperBound && !replaced {
                failing = false
                exporter.setState("agentgateway-7d9f-a", .serving)
            }
            if !replaced && elapsed >= Script.replaced {
                replaced = true
                exporter.setState("agentgateway-7d9f-a", .absent)
                exporter.resetCounters("agentgateway-7d9f-a")
                Task {
                    try await Task.sleep(for: .seconds(1))
                    exporter.setState("agentgateway-7d9f-b", .serving)
                }
            }
            let pod = ["agentgateway-7d9f-a", "agentgateway-7d9f-b", "agentgateway-eu-55c1"][step % 3]
            let anthropic = random.int(0...2) != 0
            let haiku = anthropic && elapsed >= Script.newModel && random.int(0...1) == 0
            let model =
                anthropic ? (haiku ? "claude-3-5-haiku-20241022" : "claude-sonnet-4-5-20250929") : "gpt-4o-2024-08-06"
            var tokens: [String: Int64] = [
                "input": Int64(random.int(50...4000)), "output": Int64(random.int(10...1500)),
            ]
            if anthropic {
                tokens["input_cache_read"] = Int64(random.int(0...3000))
                tokens["input_cache_write"] = Int64(random.int(0...1) == 0 ? 0 : random.int(100...800))
            }
            exporter.serve(
                pod: pod, system: anthropic ? "anthropic" : "openai", model: model,
                route: anthropic ? "agentgateway-system/anthropic" : "agentgateway-system/openai", tokens: tokens)
            step += 1
            try await Task.sleep(for: .milliseconds(40))
        }
    }
}
