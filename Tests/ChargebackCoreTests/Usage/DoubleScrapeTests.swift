import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// One counter of one target read as two series at once (two scrape jobs, an HA pair behind a
/// querier) is counted once; sequential copies and different targets are not merged.
final class DoubleScrapeTests: XCTestCase {
    /// The UTC day 2026-10-01, with data from well before it (no data edge).
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var start: Int64 { buckets.startMillis }
    let second: Int64 = 1000
    let hour: Int64 = 3_600_000

    /// The counter's true value at `millis`: 7 tokens a second from 2026-10-01 minus one hour.
    func value(_ millis: Int64) -> Double { Double((millis - (start - hour)) / second * 7) }

    /// A copy of the counter on `pod` scraped by `labels` every `every` ms (30 s) from `from`
    /// (offset by `phase`) to `to`, skipping `[skip.lowerBound, skip.upperBound)`.
    func copy(
        _ labels: [String: String], pod: String = "gw-a", phase: Int64, from: Int64, to: Int64,
        every: Int64 = 30_000, skip: Range<Int64>? = nil
    ) -> ([String: String], [(Int64, Double)]) {
        let base = [
            "gateway": "ns/gw", "gen_ai_request_model": "m", "gen_ai_token_type": "input", "pod": pod,
            "instance": "10.0.0.7:15020",
        ]
        let times = stride(from: from + phase, to: to, by: Int(every)).filter { !(skip?.contains($0) ?? false) }
        return (base.merging(labels) { $1 }, times.map { ($0, value($0)) })
    }

    func usage(_ copies: [([String: String], [(Int64, Double)])], dedupe: [String] = [])
        -> (total: Int64, groups: [DoubleScrape.Group])
    {
        let dimensions = UsageDimensions(labels: .init(), extraLabels: [], dedupeLabels: dedupe)
        var accumulator = UsageAccumulator(buckets: buckets, dimensions: dimensions, gapFactor: 1.5)
        for (labels, samples) in copies { accumulator.ingest(series: labels, samples: samples) }
        accumulator.settleDataEdge(readFromMillis: start - 26 * hour)
        return (accumulator.usage.values.reduce(0) { $0 + $1.reduce(0, +) }, accumulator.doubleScrapes)
    }

    /// What one copy scraped over the whole read range counts in the day: the truth to one interval.
    var single: Int64 { usage([copy(["job": "a"], phase: 0, from: start - hour, to: start + 25 * hour)]).total }

    func testTwoJobsOnOneTargetAreCountedOnce() throws {
        let truth = Int64(24 * 3600 * 7)
        XCTAssertLessThanOrEqual(abs(single - truth), 30 * 7)
        let cases:
            [(name: String, labels: ([String: String], [String: String]), dedupe: [String], differing: [String])] = [
                (
                    "ServiceMonitor and PodMonitor",
                    (
                        ["job": "agentgateway", "endpoint": "metrics", "service": "agentgateway"],
                        ["job": "agentgateway-pods", "endpoint": "http"]
                    ), [],
                    ["endpoint", "job", "service"]
                ),
                (
                    "HA replicas",
                    (
                        ["job": "agentgateway", "prometheus_replica": "prometheus-0"],
                        ["job": "agentgateway", "prometheus_replica": "prometheus-1"]
                    ), [], ["prometheus_replica"]
                ),
                (
                    "a label named in metrics.dedupe_labels",
                    (["job": "a", "scraper": "vmagent-0"], ["job": "a", "scraper": "vmagent-1"]),
                    ["scraper"], ["scraper"]
                ),
            ]
        for item in cases {
            let (total, groups) = usage(
                [
                    copy(item.labels.0, phase: 0, from: start - hour, to: start + 25 * hour),
                    copy(item.labels.1, phase: 17 * second, from: start - hour, to: start + 25 * hour),
                ], dedupe: item.dedupe)
            XCTAssertLessThanOrEqual(abs(total - truth), 2 * 30 * 7, "\(item.name): \(total) against \(truth)")
            XCTAssertEqual(groups.count, 1, item.name)
            XCTAssertEqual(groups.first?.differing, item.differing, item.name)
            let warning = try XCTUnwrap(DoubleScrape.warning(groups))
            XCTAssertTrue(warning.message.contains(item.differing.joined(separator: ", ")), warning.message)
        }
    }

    /// The best-covered copy (every 30 s) misses three hours; those hours come from the other
    /// copy (every 60 s), the rest from the first.
    func testAGapInOneCopyIsFilledFromTheOther() throws {
        let truth = Int64(24 * 3600 * 7)
        let (total, groups) = usage([
            copy(
                ["job": "a"], phase: 0, from: start - hour, to: start + 25 * hour,
                skip: (start + 5 * hour)..<(start + 8 * hour)),
            copy(["job": "b"], phase: 11 * second, from: start - hour, to: start + 25 * hour, every: 60 * second),
        ])
        XCTAssertLessThanOrEqual(abs(total - truth), 3 * 60 * 7, "\(total) against \(truth)")
        let group = try XCTUnwrap(groups.first)
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(group.chosen.indices.filter { group.chosen[$0] == 1 }, [5, 6, 7])
    }

    /// A label not named as a scrape label (a second replica label, another pod) is another counter.
    func testOtherDifferencesAreOtherCounters() {
        for labels in [(["job": "a", "scraper": "x"], ["job": "a", "scraper": "y"])] {
            let (total, groups) = usage([
                copy(labels.0, phase: 0, from: start - hour, to: start + 25 * hour),
                copy(labels.1, phase: 17 * second, from: start - hour, to: start + 25 * hour),
            ])
            XCTAssertTrue(groups.isEmpty)
            XCTAssertGreaterThan(total, 2 * single - 2 * 30 * 7)
        }
        let (total, groups) = usage([
            copy(["job": "a"], pod: "gw-a", phase: 0, from: start - hour, to: start + 25 * hour),
            copy(["job": "a"], pod: "gw-b", phase: 5 * second, from: start - hour, to: start + 25 * hour),
        ])
        XCTAssertTrue(groups.isEmpty)
        XCTAssertGreaterThan(total, 2 * single - 2 * 30 * 7)
    }

    /// A copy that begins after the other stopped is the counter continuing (not a double scrape).
    func testSequentialCopiesAreAContinuationNotADoubleScrape() {
        let switchover = start + 9 * hour
        let (total, groups) = usage([
            copy(["job": "servicemonitor"], phase: 0, from: start - hour, to: switchover),
            copy(["job": "podmonitor"], phase: 20 * second, from: switchover, to: start + 25 * hour),
        ])
        XCTAssertTrue(groups.isEmpty)
        XCTAssertLessThanOrEqual(abs(total - single), 2 * 30 * 7)
    }
}
