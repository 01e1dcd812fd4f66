import ChargebackCore
import Foundation
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
                let points = (summarised.queries.reduce(0) { $0 + $1.samples }, raw.queries.reduce(0) { $0 + $1.samples })
                print("\(label): \(points.0) points with summaries, \(points.1) raw, "
                    + "\(summarised.queries.count) / \(raw.queries.count) queries")
                if item.period == "2026-10", item.now.hasPrefix("2026-11-22") {
                    XCTAssertLessThan(points.0 * 5, points.1, "\(label): summaries fetch far fewer points")
                }
            }
        }
    }
}
