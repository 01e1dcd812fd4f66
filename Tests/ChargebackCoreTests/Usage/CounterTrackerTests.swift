import XCTest
@testable import ChargebackCore

/// Table-driven tests of the counter math: deltas, resets, first samples, gaps across boundaries.
final class CounterTrackerTests: XCTestCase {
    /// A two-day UTC period starting 2026-10-01.
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var start: Int64 { buckets.startMillis }
    let minute: Int64 = 60_000
    let hour: Int64 = 3_600_000

    /// Runs samples through a tracker and returns hourly totals (only nonzero hours) and the tracker.
    func run(_ samples: [(Int64, Int64)], gapFactor: Double = 1.5) -> ([Int: Int64], CounterTracker) {
        var tracker = CounterTracker()
        var hours: [Int: Int64] = [:]
        for (millis, value) in samples {
            tracker.ingest(millis: millis, value: value, buckets: buckets, gapFactor: gapFactor) { hours[$0, default: 0] += $1 }
        }
        return (hours, tracker)
    }

    func testDeltasLandInTheHourOfTheLaterSample() {
        let samples = (0..<10).map { (start - 2 * minute + Int64($0) * minute, Int64(1000 + $0 * 10)) }
        let (hours, tracker) = run(samples)
        // Samples at -2m, -1m are before the period: the -1m→0m delta (10) lands in hour 0.
        XCTAssertEqual(hours, [0: 80])
        XCTAssertFalse(tracker.startedInPeriod)
        XCTAssertEqual(tracker.samplesInPeriod, 8)
    }

    func testResetCountsTheNewValue() {
        let samples: [(Int64, Int64)] = [(start - minute, 500), (start, 600), (start + minute, 700),
                                         (start + 2 * minute, 30), (start + 3 * minute, 90)]
        let (hours, tracker) = run(samples)
        XCTAssertEqual(hours, [0: 100 + 100 + 30 + 60])
        XCTAssertEqual(tracker.resets, [start + 2 * minute])
    }

    func testSeriesFirstSeenInsideThePeriodCountsFromZero() {
        let samples: [(Int64, Int64)] = [(start + 5 * hour, 42), (start + 5 * hour + minute, 50)]
        let (hours, tracker) = run(samples)
        XCTAssertEqual(hours, [5: 50])
        XCTAssertTrue(tracker.startedInPeriod)
    }

    func testIncreaseBeforeThePeriodIsNotCounted() {
        let samples: [(Int64, Int64)] = [(start - 3 * minute, 10), (start - 2 * minute, 20), (start - minute, 35)]
        let (hours, _) = run(samples)
        XCTAssertEqual(hours, [:])
    }

    func testGapAcrossAnHourBoundaryIsSharedByTime() {
        // 1-minute scrapes, then a 60-minute gap from 00:45 to 01:45 with an increase of 600.
        var samples: [(Int64, Int64)] = (0...45).map { (start + Int64($0) * minute, Int64($0)) }
        samples.append((start + 105 * minute, 45 + 600))
        let (hours, tracker) = run(samples)
        XCTAssertEqual(hours[0], 45 + 150)  // 15 of the 60 minutes are in hour 0
        XCTAssertEqual(hours[1], 450)
        XCTAssertEqual(tracker.gaps.count, 1)
        XCTAssertTrue(tracker.gaps[0].apportioned)
    }

    func testGapAcrossThePeriodStartKeepsOnlyTheInsideShare() {
        var samples: [(Int64, Int64)] = (0...10).map { (start - 40 * minute + Int64($0) * minute, 0) }
        // Last sample before: -30m, value 0. Next sample: +30m, value 1000: half belongs to the previous period.
        samples.append((start + 30 * minute, 1000))
        let (hours, _) = run(samples)
        XCTAssertEqual(hours, [0: 500])
    }

    func testApportionedSharesAreWholeAndAddUp() {
        let shares = Apportion.split(delta: 1001, from: start - hour / 3, to: start + 2 * hour + 7, buckets: buckets)
        let inside = shares.reduce(0) { $0 + $1.1 }
        // 1/7 of the interval is outside; the inside shares are integers and never exceed the delta.
        XCTAssertEqual(inside, 1001 - 143)
        XCTAssertEqual(shares.map(\.0), [0, 1, 2])
    }

    func testDuplicateAndOutOfOrderSamplesAreIgnored() {
        let samples: [(Int64, Int64)] = [(start - minute, 0), (start, 10), (start, 10), (start - minute, 0), (start + minute, 20)]
        let (hours, _) = run(samples)
        XCTAssertEqual(hours, [0: 20])
    }

    func testSamplesAfterTheEndOnlyServeToShareAGap() {
        let end = buckets.endMillis
        var samples: [(Int64, Int64)] = (0...10).map { (end - 10 * minute + Int64($0) * minute - minute, Int64($0)) }
        samples.append((end + 29 * minute, 10 + 300))  // a 30-minute gap, 1 minute of it inside the period
        samples.append((end + 30 * minute, 400))
        let (hours, tracker) = run(samples)
        XCTAssertEqual(hours.values.reduce(0, +), 10 + 10)
        XCTAssertTrue(tracker.seenAfterEnd)
    }
}
