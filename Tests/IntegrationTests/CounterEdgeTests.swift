import ChargebackCore
import Foundation
import XCTest

/// The counter math at the edges, on synthetic histories at 10 tokens/s (36,000 an hour, 864,000 a
/// day) whose truth is known: samples exactly on the hour, a relabelled target, a scrape interval
/// that changes, a restart after a gap, outages shorter and longer than the far-edge look-back.
///
/// Every case is a gateway of its own in one history, served by one Prometheus and one
/// VictoriaMetrics for the whole class, and read for 2026-10-14 with both query plans. Hours the
/// samples pin must equal the truth; the others must stay inside their unknowable band; all four
/// readings must agree hour by hour.
final class CounterEdgeTests: XCTestCase {
    static let day = EdgeHistory.at("2026-10-14T00:00:00Z")
    static let hour: Int64 = 3600
    /// Most cases: Oct 12 to Oct 16; the outages start on Oct 1.
    static let from = day - 2 * 86400, to = day + 2 * 86400, october = EdgeHistory.at("2026-10-01T00:00:00Z")

    /// One case: its history, and how far each hour (and the day) may be from the truth.
    struct Expectation {
        let history: EdgeHistory.Case
        /// Allowed figure − truth per hour; hours not listed must equal the truth.
        var bands: [Int: ClosedRange<Int64>] = [:]
        /// Allowed figure − truth for the day.
        var day: ClosedRange<Int64> = 0...0
    }

    static func make(_ name: String, _ build: (inout EdgeHistory.Case) -> Void) -> EdgeHistory.Case {
        var history = EdgeHistory.Case(gateway: "edge/\(name)")
        build(&history)
        return history
    }

    static let cases: [Expectation] = {
        let (day, hour, from, to) = (
            CounterEdgeTests.day, CounterEdgeTests.hour, CounterEdgeTests.from, CounterEdgeTests.to
        )
        let steady = EdgeHistory.Process(start: from, end: to)
        func every(_ a: Int64, _ b: Int64, _ step: Int64) -> [Int64] { EdgeHistory.times(from: a, to: b, every: step) }
        return [
            // The control: scrapes every minute on the minute.
            Expectation(history: CounterEdgeTests.make("steady") { $0.scrape(steady, at: every(from, to, 60)) }),
            // The last sample at 12:00:00; the process served 10 s more, which no sample shows.
            Expectation(
                history: CounterEdgeTests.make("last-on-the-hour") {
                    $0.scrape(.init(start: from, end: day + 12 * hour + 10), at: every(from, day + 12 * hour, 60))
                }, bands: [12: -100...0], day: -100...0),
            // A new process from 11:59:40, first scraped at 12:00:00 (value 200): where in the hours
            // before its first sample a new series' first value was served is unknowable, the day is not.
            Expectation(
                history: CounterEdgeTests.make("first-on-the-hour") {
                    $0.scrape(.init(start: day + 12 * hour - 20, end: to), at: every(day + 12 * hour, to, 60))
                }, bands: [11: -200...0, 12: 0...200]),
            // 60 s → 15 s at 10:00 → 60 s at 16:00, every sample on a multiple of its interval.
            Expectation(
                history: CounterEdgeTests.make("interval-60-15-60") {
                    $0.scrape(
                        steady,
                        at: every(from, day + 10 * hour, 60) + every(day + 10 * hour + 15, day + 16 * hour, 15)
                            + every(day + 16 * hour + 60, to, 60))
                }),
            Expectation(
                history: CounterEdgeTests.make("interval-15-60-15") {
                    $0.scrape(
                        steady,
                        at: every(from, day + 10 * hour, 15) + every(day + 10 * hour + 60, day + 16 * hour, 60)
                            + every(day + 16 * hour + 15, to, 15))
                }),
            // The same process, its `instance` relabelled at 11:30 (the next scrape a minute later).
            Expectation(
                history: CounterEdgeTests.make("relabel-instance") {
                    $0.scrape(steady, at: every(from, day + 11 * hour + 1800, 60))
                    $0.scrape(steady, at: every(day + 11 * hour + 1860, to, 60), labels: ["instance": "10.1.0.7:15020"])
                }),
            // A ServiceMonitor replaced by a PodMonitor at 15:20: `job` changes and `endpoint` appears.
            Expectation(
                history: CounterEdgeTests.make("relabel-job") {
                    $0.scrape(steady, at: every(from, day + 15 * hour + 1200, 60))
                    $0.scrape(
                        steady, at: every(day + 15 * hour + 1260, to, 60),
                        labels: ["job": "kgateway-system/agentgateway-pods", "endpoint": "metrics"])
                }),
            // Scrapes stop at 09:00 when the pod dies; it restarts at 11:50 and is first scraped at 12:00.
            Expectation(
                history: CounterEdgeTests.make("reset-after-gap") {
                    $0.scrape(.init(start: from, end: day + 9 * hour), at: every(from, day + 9 * hour, 60))
                    $0.scrape(.init(start: day + 11 * hour + 3000, end: to), at: every(day + 12 * hour, to, 60))
                }),
            // The gateway serves throughout; scrapes stop for 6.5 and for 9.5 days (longer than the
            // 7-day far-edge look-back) and resume at 12:00. At a steady rate, sharing the increase
            // across the outage by time is the truth.
            Expectation(
                history: CounterEdgeTests.make("outage-6.5d") {
                    let process = EdgeHistory.Process(start: CounterEdgeTests.october, end: to)
                    $0.scrape(
                        process,
                        at: every(CounterEdgeTests.october, day + 12 * hour - 6 * 86400 - 12 * hour, 60)
                            + every(day + 12 * hour, to, 60))
                }),
            Expectation(
                history: CounterEdgeTests.make("outage-9.5d") {
                    let process = EdgeHistory.Process(start: CounterEdgeTests.october, end: to)
                    $0.scrape(
                        process,
                        at: every(CounterEdgeTests.october, day + 12 * hour - 9 * 86400 - 12 * hour, 60)
                            + every(day + 12 * hour, to, 60))
                }),
        ]
    }()

    nonisolated(unsafe) static var servers: Result<EdgeBackends, Error>?

    static func backends() throws -> EdgeBackends {
        if servers == nil {
            servers = Result { try EdgeBackends.start(name: "counter-edges", cases: cases.map(\.history)) }
        }
        return try servers!.get()
    }

    override class func tearDown() {
        if case .success(let backends)? = servers { backends.stop() }
        servers = nil
        super.tearDown()
    }

    func testEveryCaseIsExactWherePinnedInsideItsBandElsewhereAndTheSameOnBothPlansAndBackends() async throws {
        let backends = try Self.backends()
        var readings: [(label: String, hourly: [String: [Int64]], usage: MeasuredUsage)] = []
        for backend in backends.backends {
            for plan in [FetchPlan.summaries, .raw] {
                let (hourly, usage) = try await EdgeBackends.usage(url: backend.url, plan: plan, period: "2026-10-14")
                readings.append(("\(backend.name) \(plan)", hourly, usage))
            }
        }
        var table = [
            "case | truth | " + readings.map(\.label).joined(separator: " | ") + " | hours off (figure − truth)"
        ]
        for expectation in Self.cases {
            let gateway = expectation.history.gateway
            let truth = expectation.history.truth(from: Self.day, hours: 24)
            var row = "\(gateway) | \(truth.reduce(0, +))"
            var off: [String] = []
            for reading in readings {
                let hours = reading.hourly[gateway] ?? Array(repeating: 0, count: 24)
                let label = "\(gateway), \(reading.label)"
                row += " | \(hours.reduce(0, +))"
                XCTAssertEqual(hours.count, 24, label)
                for (index, (figure, expected)) in zip(hours, truth).enumerated() {
                    let band = expectation.bands[index] ?? 0...0
                    XCTAssertTrue(
                        band.contains(figure - expected),
                        "\(label): hour \(index) is \(figure), truth \(expected), allowed \(band)")
                    if figure != expected { off.append("\(reading.label) h\(index) \(figure - expected)") }
                }
                let dayOff = hours.reduce(0, +) - truth.reduce(0, +)
                XCTAssertTrue(
                    expectation.day.contains(dayOff),
                    "\(label): the day is off by \(dayOff), allowed \(expectation.day)")
                XCTAssertEqual(
                    hours, readings[0].hourly[gateway], "\(label) agrees with \(readings[0].label) hour by hour")
            }
            table.append(row + " | " + (off.isEmpty ? "none" : off.prefix(8).joined(separator: ", ")))
        }
        print(table.joined(separator: "\n"))
        for reading in readings {
            let coverage = reading.usage.coverage
            // A relabelled target is one counter continuing: neither a new series nor a stopped one.
            for name in ["relabel-instance", "relabel-job"] {
                XCTAssertFalse(
                    coverage.startedInPeriod.contains { $0.series.contains("edge/\(name)") }, "\(reading.label) \(name)"
                )
                XCTAssertFalse(
                    coverage.stoppedInPeriod.contains { $0.series.contains("edge/\(name)") }, "\(reading.label) \(name)"
                )
            }
            // Both outages are flagged as gaps shared by time.
            for name in ["outage-6.5d", "outage-9.5d"] {
                XCTAssertTrue(
                    coverage.gaps.contains { $0.series.contains("edge/\(name)") && $0.apportioned },
                    "\(reading.label): the \(name) gap is flagged")
            }
        }
    }
}
