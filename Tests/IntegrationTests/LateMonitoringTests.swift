import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// Monitoring added to a running gateway (issue 29, ``LateHistory``): the first sample's 13.5 days
/// of usage are shared back to the counter's start, from `kube_pod_created` where kube-state-metrics
/// knows the pod and from the series' own rate where nothing does, so the day, the week and the
/// month each read their part, a day or week that ends before the first sample included; a lazy
/// series on a target scraped all along stays exact.
final class LateMonitoringTests: XCTestCase {
    func testAFirstSampleHoldingDaysOfUsageIsSharedBackToTheCountersStart() async throws {
        let prometheus = try await LiveScraper(
            .prometheus, scrapeConfig: "scrape_configs: []\n",
            extraFlags: ["--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=10y"])
        defer { prometheus.stop() }
        try await LateHistory.write(to: prometheus.url)

        // Oct 13 and week 41 end before the first sample: their part is found after them.
        let cases: [(period: String, truth: Int64, tolerance: Double)] = [
            ("2026-10-14", 864_000, 0.01), ("2026-W42", 5_184_000, 0.01), ("2026-10", 14_688_000, 0.0005),
            ("2026-10-13", 864_000, 0.01), ("2026-W41", 6_048_000, 0.01),
        ]
        for plan in [FetchPlan.summaries, .raw] {
            for item in cases {
                let report = try await BackendReport.build(url: prometheus.url, period: item.period) {
                    $0.prometheus.plan = plan
                }
                let totals = BackendReport.totals(report)
                for gateway in [LateHistory.known, LateHistory.unknown, LateHistory.startTime] {
                    let tokens = totals["\(gateway) input"] ?? 0
                    let error = Double(tokens - item.truth) / Double(item.truth)
                    print(
                        "\(plan) \(item.period) \(gateway): \(tokens) tokens against \(item.truth) (\(error * 100) %)")
                    XCTAssertLessThanOrEqual(abs(error), item.tolerance, "\(plan) \(item.period) \(gateway): \(tokens)")
                }
                let warning = report.diagnostics.map(\.message).first {
                    $0.contains("ran before they were first scraped")
                }
                XCTAssertNotNil(warning, "\(plan) \(item.period)")
                for part in [
                    "pod=\"known-0\"", "pod=\"unknown-0\"", "holding 11664300 tokens", "2026-10-14T12:00:30Z",
                    "shared from 2026-09-30T23:59:50Z (kube_pod_created)",
                    "shared from 2026-10-01T00:00:00Z (estimated from the series' rate after its first sample)",
                    "pod=\"start-time-0\"", "shared from 2026-10-01T00:00:00Z (kube_pod_start_time)",
                ] {
                    XCTAssertTrue(
                        warning?.contains(part) == true, "\(plan) \(item.period) names \(part): \(warning ?? "")")
                }
                XCTAssertFalse(warning?.contains("old-0") ?? false, "the lazy series is not a late start")
                let old = (totals["\(LateHistory.old) input"] ?? 0)
                let oldTruth = try Self.oldTruth(item.period)
                XCTAssertEqual(
                    old, oldTruth, "\(plan) \(item.period): the gateway scraped all along, lazy series included")
            }
        }
        // The files mark what rests on an estimated start: the unknown pod's tokens, not the known ones'.
        let day = try await BackendReport.build(url: prometheus.url, period: "2026-10-13")
        try Self.assertMarks(day)
        // The lazy series' first request lands in the hour of its first sample, as before.
        let lazyDay = try await BackendReport.build(url: prometheus.url, period: "2026-10-15")
        let lazy = lazyDay.lines.filter { $0.key.model == LateHistory.haiku }
        XCTAssertEqual(lazy.reduce(Array(repeating: Int64(0), count: 24)) { zip($0, $1.hourlyTokens).map(+) }[9], 3000)
    }

    /// `-usage.csv`'s `estimated_tokens` holds the unknown gateway's tokens and none of the others';
    /// `-chargeback.csv`'s `estimated` and FOCUS's `x_Estimated` are true on its rows only.
    static func assertMarks(_ report: Report) throws {
        let usage = try CSVParser.rows(CSVReports.usage(report, hourly: false))
        XCTAssertEqual(usage.first?.last, "estimated_tokens")
        for row in usage.dropFirst() {
            let estimated = row[2] == LateHistory.unknown ? row[5] : "0"
            XCTAssertEqual(row[7], estimated, "usage row \(row)")
        }
        XCTAssertTrue(usage.contains { $0[2] == LateHistory.unknown && Int64($0[7]) ?? 0 > 800_000 })
        for (text, column) in [
            (CSVReports.chargeback(report), "estimated"), (FOCUSRenderer.render(report), "x_Estimated"),
        ] {
            let rows = try CSVParser.rows(text)
            let header = try XCTUnwrap(rows.first)
            let mark = try XCTUnwrap(header.firstIndex(of: column), "\(column) in \(header)")
            let gateway = try XCTUnwrap(header.firstIndex(of: column == "estimated" ? "gateway" : "x_Gateway"))
            for row in rows.dropFirst() where !row[gateway].isEmpty {
                XCTAssertEqual(row[mark], String(row[gateway] == LateHistory.unknown), "\(column): \(row)")
            }
        }
    }

    /// The old gateway's exact tokens in a period: its steady counter (2 a second, sampled at
    /// :15 of every minute until 2026-10-17 23:59:15) between the last samples at or before the
    /// period's edges, plus the lazy series' requests, each seen at the next minute's sample.
    static func oldTruth(_ text: String) throws -> Int64 {
        let period = try Period.parse(text, in: TimeZone(identifier: "UTC")!, now: BackendReport.now)
        let first = LateHistory.oldStart.addingTimeInterval(15)
        let last = LateHistory.end.addingTimeInterval(-45)
        func value(_ t: Date) -> Int64 {
            let sample = min(t, last)
            guard sample >= first else { return 0 }
            let minutes = (sample.timeIntervalSince(first) / 60).rounded(.down)
            return Int64(first.addingTimeInterval(minutes * 60).timeIntervalSince(LateHistory.oldStart)) * 2
        }
        let lazy = LateHistory.lazyRequests.filter {
            let seen = $0.0.addingTimeInterval(60)
            return seen > period.start && seen <= min(period.end, last)
        }.reduce(0) { $0 + $1.1 }
        return value(period.end) - value(period.start) + lazy
    }
}
