import ChargebackCore
import Foundation
import Logging
import XCTest

/// The same history in Prometheus 2.42 and VictoriaMetrics 1.79 gives the same report.
final class BackendParityTests: XCTestCase {
    func testVictoriaMetricsGivesTheSameUsageAsPrometheusAndTheTruth() async throws {
        let victoria = try VictoriaWorld.get()
        let prometheus = try SampleWorld.get()
        let fromVictoria = try await BackendReport.build(url: victoria.url)
        let fromPrometheus = try await BackendReport.build(url: prometheus.url)
        let period = fromVictoria.period
        let truth = prometheus.truth.totals(from: period.start, to: period.end) { "\($0.gateway) \($0.tokenType)" }
        let ours = BackendReport.totals(fromVictoria)
        let theirs = BackendReport.totals(fromPrometheus)
        XCTAssertEqual(truth.count, 12, "3 gateways × 4 token types")
        XCTAssertEqual(Set(ours.keys), Set(truth.keys))
        var table = ["gateway token_type | truth | VictoriaMetrics | Prometheus | VM error"]
        for (key, expected) in truth.sorted(by: { $0.key < $1.key }) {
            let error = abs(Double(ours[key] ?? 0) - Double(expected)) / Double(expected)
            XCTAssertLessThanOrEqual(error, 0.0005, "\(key): VictoriaMetrics \(ours[key] ?? 0), truth \(expected)")
            table.append(
                "\(key) | \(expected) | \(ours[key] ?? 0) | \(theirs[key] ?? 0) | \(String(format: "%.5f %%", error * 100))"
            )
        }
        print(table.joined(separator: "\n"))
        for (label, report) in [("VictoriaMetrics", fromVictoria), ("Prometheus", fromPrometheus)] {
            print(
                "\(label) increase(): "
                    + report.reconciliation.dashboard.map { "\($0.gateway) \($0.tokenType) \($0.increase)" }
                    .joined(separator: "; "))
        }
        // Same raw samples, same counter math: identical to the token, hour by hour.
        XCTAssertEqual(BackendReport.hourly(fromVictoria), BackendReport.hourly(fromPrometheus))
        XCTAssertEqual(fromVictoria.roundedTotal, fromPrometheus.roundedTotal)
        let (a, b) = (fromVictoria.coverage, fromPrometheus.coverage)
        XCTAssertEqual(a.series, b.series)
        XCTAssertEqual(a.samples, b.samples)
        XCTAssertEqual(a.resets, b.resets)
        XCTAssertEqual(a.gaps, b.gaps)
        XCTAssertEqual(a.startedInPeriod, b.startedInPeriod)
        XCTAssertEqual(a.stoppedInPeriod, b.stoppedInPeriod)
        // The gateway's own cost counter (nano-USD per gateway) comes through both the same way.
        XCTAssertEqual(fromVictoria.reconciliation.gatewayCost, fromPrometheus.reconciliation.gatewayCost)
        XCTAssertFalse(fromVictoria.reconciliation.gatewayCost.isEmpty)
    }

    /// The raw-sample query the plan is built on behaves alike on both: a range selector in an
    /// instant query returns the stored samples with their millisecond timestamps, closed on the
    /// right. On the left Prometheus 2.42 is closed (`[t − range, t]`, until Prometheus 3.0) and
    /// VictoriaMetrics open (`(t − range, t]`): the plan's windows, evaluated at their end − 1 ms,
    /// therefore lose no sample at a chunk edge on either, and put a sample on the edge in the later chunk.
    func testARangeSelectorReturnsRawSamplesAndChunkEdgesLoseNothingOnBoth() async throws {
        let backends = [("Prometheus", try SampleWorld.get().url), ("VictoriaMetrics", try VictoriaWorld.get().url)]
        let selector = #"agentgateway_gen_ai_client_token_usage_sum{gateway="kgateway-system/agentgateway1"}"#
        let hourEnd = try XCTUnwrap(DateText.parseInstant("2026-10-14T12:00:00Z"))
        var answers: [[String]] = []
        for (name, url) in backends {
            let answer = try await BackendReport.withClient(url) { client -> [String] in
                let hour = try await client.query("\(selector)[3600000ms]", at: hourEnd.addingTimeInterval(-0.001))
                XCTAssertFalse(hour.series.isEmpty, name)
                let millis = hour.series.flatMap { $0.samples.map(\.0) }
                XCTAssertTrue(millis.contains { $0 % 1000 != 0 }, "\(name) keeps milliseconds")
                // A window ending exactly on a sample includes it; one starting exactly on it does not.
                let first = try XCTUnwrap(hour.series.first)
                let sample = try XCTUnwrap(first.samples.dropFirst(10).first)
                let at = Date(timeIntervalSince1970: Double(sample.0) / 1000)
                let ending = try await client.query("\(selector)[60000ms]", at: at)
                let starting = try await client.query("\(selector)[60000ms]", at: at.addingTimeInterval(60))
                let endingSamples = ending.series.first { $0.labels == first.labels }?.samples.map(\.0) ?? []
                let startingSamples = starting.series.first { $0.labels == first.labels }?.samples.map(\.0) ?? []
                XCTAssertEqual(endingSamples.last, sample.0, "\(name): closed on the right")
                XCTAssertEqual(
                    startingSamples.contains(sample.0), name == "Prometheus",
                    "\(name): the left edge is \(name == "Prometheus" ? "closed (before 3.0)" : "open")")
                // The hour cut into two plan windows at that sample: [hour start, sample), [sample, hour end).
                func window(_ from: Date, _ to: Date) async throws -> [Int64] {
                    let milliseconds = Int64((to.timeIntervalSince(from) * 1000).rounded())
                    let answer = try await client.query(
                        "\(selector)[\(milliseconds)ms]", at: to.addingTimeInterval(-0.001))
                    return answer.series.first { $0.labels == first.labels }?.samples.map(\.0) ?? []
                }
                let before = try await window(hourEnd.addingTimeInterval(-3600), at)
                let after = try await window(at, hourEnd)
                XCTAssertFalse(before.contains(sample.0), "\(name): the edge sample is not in the earlier window")
                XCTAssertEqual(after.first, sample.0, "\(name): the edge sample opens the later window")
                XCTAssertEqual(Array(Set(before + after)).sorted(), first.samples.map(\.0), "\(name): nothing lost")
                return hour.series.map { series in
                    let labels = series.labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
                    return "\(labels) \(series.samples.map { "\($0.0)=\($0.1)" })"
                }.sorted()
            }
            answers.append(answer)
        }
        XCTAssertEqual(answers[0], answers[1], "both return the same samples")
    }
}
