import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Table-driven tests of the counter math: deltas, resets, first samples, gaps across boundaries.
final class CounterTrackerTests: XCTestCase {
    /// The UTC day 2026-10-01.
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var start: Int64 { buckets.startMillis }
    let minute: Int64 = 60_000
    let hour: Int64 = 3_600_000

    /// Runs samples through a tracker and returns hourly totals (only nonzero hours) and the tracker.
    func run(_ samples: [(Int64, Int64)], gapFactor: Double = 1.5) -> ([Int: Int64], CounterTracker) {
        var tracker = CounterTracker()
        var hours: [Int: Int64] = [:]
        for (millis, value) in samples {
            tracker.ingest(millis: millis, value: value, buckets: buckets, gapFactor: gapFactor) {
                hours[$0, default: 0] += $1
            }
        }
        return (hours, tracker)
    }

    /// A tracker continuing from a stored state: samples up to the state's are ignored, the next
    /// one is an interval after it (a reset when lower), and a long one a gap shared by time from it.
    func testATrackerContinuingFromAStoredStateCountsFromIt() {
        func continued(_ samples: [(Int64, Int64)]) -> [Int: Int64] {
            var tracker = CounterTracker(continuing: (start + 2 * hour - 30_000, 5_000))
            var hours: [Int: Int64] = [:]
            for (millis, value) in samples {
                tracker.ingest(millis: millis, value: value, buckets: buckets, gapFactor: 1.5) {
                    hours[$0, default: 0] += $1
                }
            }
            XCTAssertTrue(tracker.isSeeded)
            XCTAssertFalse(tracker.startedInPeriod, "not a series seen for the first time")
            return hours
        }
        // An earlier sample (already counted by the stored hours) changes nothing; then +120 and +30.
        XCTAssertEqual(
            continued([
                (start + 2 * hour - 60_000, 4_990), (start + 2 * hour, 5_120), (start + 2 * hour + 30_000, 5_150),
            ]),
            [1: 120, 2: 30])
        XCTAssertEqual(continued([(start + 2 * hour + 30_000, 70)]), [2: 70], "a reset: the new value")
        // 2 h 30 s later: a gap, 6,000 tokens shared by time over 01:59:30 to 04:00:00.
        XCTAssertEqual(
            continued([(start + 4 * hour, 11_000)]), [1: 25, 2: 2_988, 3: 2_987],
            "30 s, 3,600 s and 3,600 s of 7,230 s")
    }

    func testDeltasLandInTheHourTheirIntervalLiesIn() {
        let samples = (0..<10).map { (start - 2 * minute + Int64($0) * minute, Int64(1000 + $0 * 10)) }
        let (hours, tracker) = run(samples)
        // Samples at -2m … +7m: the -1m→0m interval lies before the period (the sample at the start
        // closes the day before); 0m→1m … 6m→7m land in hour 0.
        XCTAssertEqual(hours, [0: 70])
        XCTAssertFalse(tracker.startedInPeriod)
        XCTAssertEqual(tracker.samplesInPeriod, 7)
    }

    /// Samples exactly on the hour edges: each interval counts once, in the hour it lies in.
    func testSamplesOnTheHourCloseTheHourBefore() {
        let cases: [(name: String, samples: [(Int64, Int64)], hours: [Int: Int64])] = [
            (
                "last sample at 12:00", (0...60).map { (start + 11 * hour + Int64($0) * minute, Int64($0) * 600) },
                [11: 36_000]
            ),
            (
                "first sample at 12:00 (value 200)",
                (0...60).map { (start + 12 * hour + Int64($0) * minute, 200 + Int64($0) * 600) },
                [11: 200, 12: 36_000]
            ),
            (
                "15 s then 60 s at 12:00",
                (0...240).map { (start + 11 * hour + Int64($0) * 15_000, Int64($0) * 150) }
                    + (1...60).map { (start + 12 * hour + Int64($0) * minute, 36_000 + Int64($0) * 600) },
                [11: 36_000, 12: 36_000]
            ),
            (
                "a sample at the period end", [(buckets.endMillis - minute, 0), (buckets.endMillis, 600)],
                [buckets.hourCount - 1: 600]
            ),
        ]
        for item in cases {
            XCTAssertEqual(run(item.samples).0, item.hours, item.name)
        }
    }

    func testAResetAfterAGapLandsAtTheGapEnd() {
        // A minute scrape up to 09:00, a restart, the first sample at 12:00 shows 6000: made since the restart.
        var samples: [(Int64, Int64)] = (0...540).map { (start + Int64($0) * minute, 10_000 + Int64($0) * 600) }
        samples += (0...10).map { (start + 12 * hour + Int64($0) * minute, 6000 + Int64($0) * 600) }
        let (hours, tracker) = run(samples)
        XCTAssertEqual(hours[9], nil)
        XCTAssertEqual(hours[10], nil)
        XCTAssertEqual(hours[11], 6000)
        XCTAssertEqual(hours[12], 6000)
        XCTAssertEqual(tracker.resets, [start + 12 * hour])
        XCTAssertEqual(tracker.gaps, [.init(from: start + 9 * hour, to: start + 12 * hour, apportioned: false)])
    }

    func testAChangedScrapeIntervalIsLearnt() {
        // 15 s scrapes, then a minute: after a few intervals flagged as gaps the minute is the typical interval.
        var samples: [(Int64, Int64)] = (0...100).map { (start + Int64($0) * 15_000, Int64($0) * 150) }
        samples += (1...30).map { (start + 1500 * 1000 + Int64($0) * minute, 15_000 + Int64($0) * 600) }
        let (_, tracker) = run(samples)
        XCTAssertEqual(tracker.typicalInterval, minute)
        XCTAssertLessThanOrEqual(tracker.gaps.count, 8)
    }

    func testResetCountsTheNewValue() {
        let samples: [(Int64, Int64)] = [
            (start - minute, 500), (start, 600), (start + minute, 700),
            (start + 2 * minute, 30), (start + 3 * minute, 90),
        ]
        let (hours, tracker) = run(samples)
        XCTAssertEqual(
            hours, [0: 100 + 30 + 60], "the interval that ends at the period start belongs to the day before")
        XCTAssertEqual(tracker.resets, [start + 2 * minute])
    }

    func testSeriesFirstSeenInsideThePeriodCountsFromZero() {
        let samples: [(Int64, Int64)] = [(start + 5 * hour + 1000, 42), (start + 5 * hour + minute, 50)]
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
        let samples: [(Int64, Int64)] = [
            (start - minute, 0), (start, 10), (start, 10), (start - minute, 0), (start + minute, 20),
        ]
        let (hours, _) = run(samples)
        XCTAssertEqual(hours, [0: 10])
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
