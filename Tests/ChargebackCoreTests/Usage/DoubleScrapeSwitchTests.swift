import TestSupport
import XCTest

@testable import ChargebackCore

/// A counter scraped by two jobs whose copy counted changes between hours: the hours chain from one
/// copy's last reading to the other's, so the total is the counter's increase to the token however
/// the two jobs' samples interleave (issue 29, item 4).
final class DoubleScrapeSwitchTests: XCTestCase {
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var start: Int64 { buckets.startMillis }
    let hour: Int64 = 3_600_000

    /// The counter: 7 tokens per 100 ms from an hour before the day (a copy read at its own moments
    /// sees a different value in the same second).
    func value(_ millis: Int64) -> Double { Double((millis - (start - hour)) / 100 * 7) }

    func total(_ copies: [([String: String], [Int64])]) -> (Int64, [DoubleScrape.Group]) {
        var accumulator = UsageAccumulator(
            buckets: buckets, dimensions: UsageDimensions(labels: .init(), extraLabels: []), gapFactor: 1.5)
        for (labels, times) in copies {
            let base = [
                "gateway": "ns/gw", "gen_ai_request_model": "m", "gen_ai_token_type": "input", "pod": "gw-0",
            ]
            accumulator.ingest(series: base.merging(labels) { $1 }, samples: times.map { ($0, value($0)) })
        }
        accumulator.settleDataEdge(readFromMillis: start - 26 * hour)
        return (accumulator.usage.values.reduce(0) { $0 + $1.reduce(0, +) }, accumulator.doubleScrapes)
    }

    /// Job a scrapes every second, job b every two, 1.4 s later; job a misses two scrapes in three
    /// in the last hour, so it is taken from b: one change of copy, where a's last reading of the
    /// hour before is 0.6 s later than b's (42 tokens counted twice without the stitch).
    func testAChangeOfCopyChainsTheHoursExactly() throws {
        let end = start + 24 * hour
        let a = stride(from: start - hour, through: end, by: 1000).filter {
            !($0 > end - hour && $0 % 3000 != 0)
        }
        let b = stride(from: start - hour + 1400, through: end, by: 2000).map { Int64($0) }
        let (counted, groups) = total([(["job": "a"], a.map { Int64($0) }), (["job": "b"], b)])
        let group = try XCTUnwrap(groups.first)
        XCTAssertEqual(group.chosen.indices.filter { group.chosen[$0] == 1 }, [23])
        // From a's reading at the start to b's last reading, at 600 ms before the end.
        XCTAssertEqual(counted, Int64(value(end - 600) - value(start)))
    }

    /// Both jobs late by a random 0–900 ms on each scrape and each missing random stretches (a busy
    /// machine), so the copy counted changes many times: still the counter's increase exactly. Both
    /// read the counter exactly at the period's edges, so its increase is known.
    func testRandomInterleavingsAndLateSamplesCountTheIncreaseExactly() throws {
        var random = SeededRandom(state: 29)
        for round in 0..<5 {
            var copies: [([String: String], [Int64])] = []
            for job in ["a", "b"] {
                var times: [Int64] = []
                var skipping = 0
                for t in stride(from: start - hour, to: start + 24 * hour, by: 1000) {
                    if skipping > 0 {
                        skipping -= 1
                    } else if random.next() % 2000 == 0 {
                        skipping = random.int(60...1200)
                    }
                    if t == start {
                        times.append(t)
                    } else if skipping == 0 {
                        times.append(t + Int64(random.next() % 900))
                    }
                }
                copies.append((["job": job], times + [start + 24 * hour]))
            }
            let (counted, groups) = total(copies)
            let group = try XCTUnwrap(groups.first)
            let changes = group.chosen.indices.dropFirst().filter { group.chosen[$0] != group.chosen[$0 - 1] }.count
            XCTAssertEqual(
                counted, Int64(value(start + 24 * hour) - value(start)), "round \(round), \(changes) changes")
            print("round \(round): \(changes) changes of copy, \(counted) tokens")
        }
    }
}
