import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Which hours the summaries settle and which runs are read raw, for hand-made summaries.
final class RunPlannerTests: XCTestCase {
    let buckets = DayGrid.buckets
    var grid: SummaryGrid { DayGrid.grid }

    /// A series scraped 120 times an hour, growing 100 an hour, with `change` applied.
    func series(_ change: (inout SeriesHours) -> Void = { _ in }) -> SeriesHours {
        var series = SeriesHours(labels: ["pod": "a"], hours: grid.hourCount)
        for hour in 0..<grid.hourCount {
            series.count[hour] = 120
            series.last[hour] = Double(1000 + 100 * hour)
            series.minimum[hour] = Double(1000 + 100 * hour - 99)
        }
        change(&series)
        return series
    }

    func testARegularSeriesIsSettledEntirelyByTheSummaries() {
        XCTAssertEqual(grid.hourCount, 30)
        let plan = RunPlanner(grid: grid).plan(series())
        XCTAssertEqual(plan.runs, [], "hour 0 never settles, but its run lies before the period")
        XCTAssertEqual(plan.settled, Array(3..<30), "the period and the hours after it")
    }

    func testAResetInsideAnHourIsReadRawStartingOneSettledHourEarly() {
        let plan = RunPlanner(grid: grid).plan(series { $0.resets[10] = 1 })
        // Hour 11 follows an irregular hour: it is read raw only if hour 10's samples end early.
        XCTAssertEqual(plan.runs, [.init(firstHour: 9, lastHour: 11, seed: 1800, lastSettles: true)])
        XCTAssertFalse(plan.settled.contains(9))
        XCTAssertFalse(plan.settled.contains(11))
        XCTAssertTrue(plan.settled.contains(12))
    }

    func testAResetBetweenTwoHoursShowsAsASmallestValueBelowThePreviousLast() {
        // Both hours hold their usual samples and no reset inside: only the drop gives it away.
        let plan = RunPlanner(grid: grid).plan(series { $0.minimum[12] = 5 })
        XCTAssertEqual(plan.runs, [.init(firstHour: 11, lastHour: 12, seed: 2000)], "the drop is read, always")
    }

    func testAMissedScrapeMakesBothTheHourAndTheNextOneRaw() {
        let plan = RunPlanner(grid: grid).plan(series { $0.count[15] = 119 })
        XCTAssertEqual(plan.runs, [.init(firstHour: 14, lastHour: 16, seed: 2300, lastSettles: true)])
    }

    func testASeriesStartingInThePeriodIsReadFromItsFirstHourWithoutSeed() {
        let plan = RunPlanner(grid: grid).plan(
            series {
                for hour in 0..<8 { $0.count[hour] = 0 }
                $0.count[8] = 40
            })
        XCTAssertEqual(plan.runs, [.init(firstHour: 0, lastHour: 9, seed: nil, lastSettles: true)])
        XCTAssertEqual(plan.settled.first, 10)
    }

    func testOnlyTheLastRunsLastHourMaySettle() {
        // The later run's samples are fed before the first one's could be looked at.
        let plan = RunPlanner(grid: grid).plan(
            series {
                $0.resets[10] = 1
                $0.resets[20] = 1
            })
        XCTAssertEqual(
            plan.runs,
            [
                .init(firstHour: 9, lastHour: 11, seed: 1800),
                .init(firstHour: 19, lastHour: 21, seed: 2800, lastSettles: true),
            ])
    }

    func testAnHourAfterAnEmptyOneIsReadAlways() {
        // Back after a silent hour: the interval into hour 9 is a gap, whatever the samples show.
        let plan = RunPlanner(grid: grid).plan(series { $0.count[8] = 0 })
        XCTAssertEqual(plan.runs, [.init(firstHour: 7, lastHour: 9, seed: 1600)])
    }

    func testALastHourThatMaySettleIsNotInTheRunsSpans() {
        let born = series {
            for hour in 0..<8 { $0.count[hour] = 0 }
            $0.count[8] = 40
        }
        let plan = RunPlanner(grid: grid).plan(born)
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: 1)
        spans.add(plan.runs[0], of: born, identity: "a", grid: grid)
        XCTAssertEqual(
            spans.wanted["a"]?.spans, [RawSpan(from: grid.hourStartMillis(8) + 1, to: grid.hourEndMillis(8) + 1)],
            "the birth hour only: hour 9 waits for what its samples show")
    }

    /// Whether an hour after fed samples starts with an ordinary interval: the samples' last one in
    /// the hour before, and the next scrape (one typical interval later) due in the hour itself.
    func testSamplesEndOnScheduleWhenTheNextScrapeFallsInTheNextHour() {
        let end = grid.hourEndMillis(8)
        func ends(_ lastBeforeEnd: Int64, samples: Int = 5) -> Bool {
            var accumulator = UsageAccumulator(
                buckets: buckets, dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []), gapFactor: 1.5)
            let times = (0..<samples).map { end - lastBeforeEnd - Int64(samples - 1 - $0) * 60_000 }
            accumulator.ingest(series: ["pod": "a"], samples: times.enumerated().map { ($1, Double($0)) })
            return accumulator.endsOnSchedule(series: ["pod": "a"], identity: #"{pod="a"}"#, before: end)
        }
        XCTAssertTrue(ends(30_000), "next scrape 30 s into the hour")
        XCTAssertTrue(ends(0), "a sample on the hour's end belongs to the hour before")
        XCTAssertFalse(ends(60_000), "the scrape due on the hour's end is missing")
        XCTAssertFalse(ends(90_000))
        XCTAssertFalse(ends(30_000, samples: 1), "one sample tells no interval")
        XCTAssertFalse(ends(-30_000), "the last sample is already in the hour")
        XCTAssertFalse(ends(Hour.millis + 30_000), "nothing in the hour before")
    }

    func testASeriesStoppingInThePeriodIsReadToTheEndOfTheGrid() {
        let plan = RunPlanner(grid: grid).plan(series { for hour in 20..<30 { $0.count[hour] = 0 } })
        XCTAssertEqual(plan.runs, [.init(firstHour: 19, lastHour: 29, seed: 2800)])
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: 1)
        spans.add(plan.runs[0], of: series { for hour in 20..<30 { $0.count[hour] = 0 } }, identity: "a", grid: grid)
        XCTAssertEqual(
            spans.wanted["a"]?.spans,
            [RawSpan(from: grid.hourStartMillis(19) + 1, to: grid.hourEndMillis(19) + 1, beginsRun: true, seed: 2800)],
            "empty hours are not fetched; an hour's samples are (start, end]")
    }

    func testRunsWhollyOutsideThePeriodAreNotRead() {
        let plan = RunPlanner(grid: grid).plan(
            series {
                $0.resets[1] = 1
                $0.resets[28] = 2
            })
        XCTAssertEqual(plan.runs, [], "hours 0–2 and 27–29 lie outside the period")
        XCTAssertFalse(plan.settled.contains(28))
    }

    func testThePartialHourOfAPeriodNotOverYetIsARunForEverySeries() {
        let now = buckets.period.start.addingTimeInterval(5 * 3600 + 1234)
        let partial = SummaryGrid(buckets: buckets, lookbackSeconds: 3 * 3600, rangeEnd: now)
        XCTAssertEqual(partial.hourCount, 8)
        XCTAssertTrue(partial.tailInPeriod)
        var regular = SeriesHours(labels: [:], hours: 8)
        for hour in 0..<8 {
            regular.count[hour] = 60
            regular.last[hour] = Double(10 * hour)
            regular.minimum[hour] = Double(10 * hour)
        }
        let plan = RunPlanner(grid: partial).plan(regular)
        XCTAssertEqual(plan.runs, [.init(firstHour: 7, lastHour: 8, seed: 60)])
        XCTAssertEqual(plan.settled, [3, 4, 5, 6])
    }

    func testTheUsualCountIsTheMostFrequentAndTheLargerOnATie() {
        var hours = SeriesHours(labels: [:], hours: 4)
        hours.count = [514, 515, 0, 0]
        XCTAssertEqual(hours.usualCount, 515)
        hours.count = [514, 515, 514, 0]
        XCTAssertEqual(hours.usualCount, 514)
    }
}
