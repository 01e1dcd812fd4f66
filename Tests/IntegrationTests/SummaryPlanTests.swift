import ChargebackCore
import Foundation
import Logging
import TestSupport
import XCTest

/// The default plan (hourly summaries computed by the server, raw samples only for the hours they
/// cannot settle) gives exactly what reading every raw sample gives, on both backends: the same
/// tokens hour by hour, the same gateway cost, the same coverage, with a fraction of the points.
final class SummaryPlanTests: XCTestCase {
    /// October in UTC and in Berlin (a 25-hour day), the day a gap crosses the start of, and a
    /// period not over yet (the partial hour at "now" is read raw for every series).
    static let cases: [(period: String, zone: String, now: String)] = [
        ("2026-10", "UTC", "2026-11-22T00:00:00Z"),
        ("2026-10", "Europe/Berlin", "2026-11-22T00:00:00Z"),
        ("2026-10-22", "UTC", "2026-11-22T00:00:00Z"),
        ("2026-10", "UTC", "2026-10-17T13:25:41.5Z"),
        ("2026-10", "UTC", "2026-11-01T00:42:00Z"),
    ]

    func testSummariesGiveExactlyWhatRawSamplesGiveOnBothBackends() async throws {
        let backends = [("Prometheus", try SampleWorld.get().url), ("VictoriaMetrics", try VictoriaWorld.get().url)]
        for (backend, url) in backends {
            for item in Self.cases {
                let zone = try XCTUnwrap(TimeZone(identifier: item.zone))
                let now = try XCTUnwrap(DateText.parseInstant(item.now))
                let label = "\(backend) \(item.period) \(item.zone) now \(item.now)"
                let raw = try await BackendReport.build(url: url, period: item.period, zone: zone, now: now) {
                    $0.prometheus.plan = .raw
                }
                let summarised = try await BackendReport.build(url: url, period: item.period, zone: zone, now: now) {
                    $0.prometheus.plan = .summaries
                }
                XCTAssertGreaterThan(raw.totalTokens, 0, label)
                XCTAssertEqual(BackendReport.hourly(summarised), BackendReport.hourly(raw), label)
                XCTAssertEqual(summarised.reconciliation.gatewayCost, raw.reconciliation.gatewayCost, label)
                let (a, b) = (summarised.coverage, raw.coverage)
                XCTAssertEqual(a.series, b.series, label)
                XCTAssertEqual(a.samples, b.samples, label)
                XCTAssertEqual(a.missedSamples, b.missedSamples, label)
                XCTAssertEqual(a.resets, b.resets, label)
                XCTAssertEqual(a.gaps, b.gaps, label)
                XCTAssertEqual(a.startedInPeriod, b.startedInPeriod, label)
                XCTAssertEqual(a.stoppedInPeriod, b.stoppedInPeriod, label)
                XCTAssertFalse(summarised.diagnostics.contains { $0.message.contains("off the hour grid") }, label)
                XCTAssertTrue(summarised.queries.contains { $0.endpoint == "/api/v1/query_range" }, label)
                let points = (
                    summarised.queries.reduce(0) { $0 + $1.samples }, raw.queries.reduce(0) { $0 + $1.samples }
                )
                print(
                    "\(label): \(points.0) points with summaries, \(points.1) raw, "
                        + "\(summarised.queries.count) / \(raw.queries.count) queries")
                if item.period == "2026-10", item.now.hasPrefix("2026-11-22") {
                    XCTAssertLessThan(points.0 * 5, points.1, "\(label): summaries fetch far fewer points")
                }
            }
        }
    }

    /// 2026-10-22 starts inside a scrape gap of agentgateway2 longer than an hour. With the lookback
    /// cut to one hour, the far-edge probe still finds each silent series' last sample before it, so
    /// the day comes out exactly as with the 26-hour lookback, under both plans (without the probe
    /// the series counted from zero: 17.47 M tokens instead of 3.51 M).
    func testAGapAcrossTheWholeLookbackContinuesFromTheSampleBeforeIt() async throws {
        let url = try SampleWorld.get().url
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        config.prometheus.url = try PrometheusURLRules.parse(url)
        let period = try Period.parse("2026-10-22", in: TimeZone(identifier: "UTC")!, now: BackendReport.now)
        for plan in [FetchPlan.summaries, .raw] {
            config.prometheus.plan = plan
            let settings = config.prometheus
            func usage(lookback: Int) async throws -> MeasuredUsage {
                let queries = QueryPlan(
                    config: config, period: period, now: BackendReport.now, lookbackSeconds: lookback)
                return try await PrometheusClient.using(settings: settings, logger: Logger(label: "test")) { client in
                    try await UsageFetcher(client: client, logger: Logger(label: "test"))
                        .fetch(plan: queries, config: config, now: BackendReport.now)
                }
            }
            let short = try await usage(lookback: 3600)
            let long = try await usage(lookback: QueryPlan.edgeSeconds)
            XCTAssertEqual(short.tokens, long.tokens, "\(plan)")
            XCTAssertEqual(short.coverage.gaps, long.coverage.gaps, "\(plan)")
            XCTAssertEqual(short.coverage.startedInPeriod, long.coverage.startedInPeriod, "\(plan)")
            let probed = short.queries.filter { $0.promql.hasPrefix("agentgateway_gen_ai_client_token_usage_sum{") }
            XCTAssertFalse(probed.isEmpty, "\(plan): some series were silent through the short lookback")
            let agentgateway2 = short.tokens.filter { $0.key.gateway.hasSuffix("agentgateway2") }.values
                .reduce(Int64(0)) { $0 + $1.reduce(0, +) }
            XCTAssertLessThan(agentgateway2, 5_000_000, "\(plan): not counted from zero")
            XCTAssertGreaterThan(agentgateway2, 2_000_000, "\(plan)")
        }
    }
}
