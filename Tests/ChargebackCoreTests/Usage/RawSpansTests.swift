import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Which queries fetch the runs' raw samples, and how their answers are fed.
final class RawSpansTests: XCTestCase {
    let buckets = DayGrid.buckets
    var grid: SummaryGrid { DayGrid.grid }

    func hours(pod: String) -> SeriesHours {
        var series = SeriesHours(labels: ["pod": pod], hours: grid.hourCount)
        for hour in 0..<grid.hourCount { series.count[hour] = 60 }
        return series
    }

    func testAFewSeriesAreReadByTheirTargetsAndMostTogether() {
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: 41)
        // 3 of 40 series need hours 9–10 (chunk 1): one query for their pods; all 40 need hour 20
        // (chunk 3): one query for every series, over that hour only; a series without pod or
        // instance label alone.
        for index in 0..<40 {
            let series = hours(pod: "p\(index)")
            let identity = UsageAccumulator.identity(series.labels)
            if index < 3 {
                spans.add(.init(firstHour: 9, lastHour: 10, seed: 5), of: series, identity: identity, grid: grid)
            }
            spans.add(.init(firstHour: 20, lastHour: 20, seed: 7), of: series, identity: identity, grid: grid)
        }
        var loner = SeriesHours(labels: ["job": "x"], hours: grid.hourCount)
        loner.count[9] = 60
        spans.add(
            .init(firstHour: 9, lastHour: 9, seed: 1), of: loner, identity: UsageAccumulator.identity(loner.labels),
            grid: grid)
        let windows = spans.windows(selector: #"m{ns="a"}"#, metric: "m", grid: grid, chunkSeconds: 6 * 3600)
        XCTAssertEqual(
            windows.map(\.query.promql),
            [
                #"m{job="x"}[3600000ms]"#, #"m{ns="a",pod=~"p0|p1|p2"}[7200000ms]"#,
                #"m{ns="a"}[3600000ms]"#,
            ])
        // The samples of hours 9–10, (start, end]: from 1 ms after the start, evaluated at the end.
        XCTAssertEqual(windows[1].query.windowStart.millis, grid.hourStartMillis(9) + 1)
        XCTAssertEqual(windows[1].query.evaluationTime.millis, grid.hourEndMillis(10))
        XCTAssertEqual(windows.map(\.series), [UsageAccumulator.identity(loner.labels), nil, nil])
        XCTAssertEqual(
            RawSpans(newSeriesFrom: nil, seriesCount: 41)
                .windows(selector: "m", metric: "m", grid: grid, chunkSeconds: 6 * 3600).count, 0,
            "no runs, no raw queries")
        XCTAssertEqual(windows[2].query.evaluationTime.millis, grid.hourEndMillis(20))
        XCTAssertEqual(RawSpans.adding(#"pod=~"a""#, to: "m"), #"m{pod=~"a"}"#)
        XCTAssertEqual(RawSpans.adding(#"pod=~"a""#, to: "m{}"), #"m{pod=~"a"}"#)
    }

    func testOnlySamplesInsideTheSpansAreFedAndASeededRunStartsAfresh() {
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: 41)
        let series = hours(pod: "a")
        let identity = UsageAccumulator.identity(series.labels)
        spans.add(.init(firstHour: 5, lastHour: 5, seed: 1000), of: series, identity: identity, grid: grid)
        var accumulator = UsageAccumulator(
            buckets: buckets, dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            gapFactor: 1.5)
        // A sample the previous run left before the period (900), then hour 5 (period hour 2): 1010, 1030, and
        // samples before and after the span that must not count.
        accumulator.ingest(series: ["pod": "a"], samples: [(grid.hourStartMillis(2) + 1000, 900)])
        let start = grid.hourStartMillis(5)
        let samples: [(Int64, Double)] = [
            (start - 30_000, 999), (start + 10_000, 1010), (start + 40_000, 1030),
            (grid.hourEndMillis(5) + 5_000, 5000),
        ]
        let window = RawSpans.Window(
            query: QueryPlan.rawQueries(
                "m", from: Date(), to: Date().addingTimeInterval(60),
                chunkSeconds: 60)[0], series: nil)
        spans.feed(
            window,
            QueryResult(series: [SeriesSamples(labels: ["pod": "a"], samples: samples)], warnings: [], bytes: 0),
            into: &accumulator)
        let usage = accumulator.usage.values.first ?? []
        XCTAssertEqual(usage[2], 30, "from the seed 1000: +10 and +20, nothing from 900 or 999 or 5000")
        XCTAssertEqual(usage.reduce(0, +), 30)
    }
}

/// The raw reads of the summaries plan are bounded by construction: never more samples than the
/// query for every series would read, and no query above a backend's per-query sample limit.
final class RawSpansBoundTests: XCTestCase {
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var grid: SummaryGrid {
        SummaryGrid(
            buckets: buckets, lookbackSeconds: 3 * 3600, rangeEnd: buckets.period.end.addingTimeInterval(3 * 3600))
    }

    /// Series of two pods, `perPod` each, 60 samples an hour, one user per series.
    func world(perPod: Int) -> [SeriesHours] {
        (0..<2).flatMap { pod in
            (0..<perPod).map { user in
                var series = SeriesHours(labels: ["pod": "p\(pod)", "user_id": "u\(user)"], hours: grid.hourCount)
                for hour in 0..<grid.hourCount { series.count[hour] = 60 }
                return series
            }
        }
    }

    func points(_ windows: [RawSpans.Window], _ all: [SeriesHours]) -> Int {
        // What each query would return: the samples of the series its matchers select.
        windows.reduce(0) { total, window in
            let promql = window.query.promql
            let selected = all.filter { series in
                series.labels.allSatisfy { name, value in
                    guard let range = promql.range(of: name + "=~\"") else { return true }
                    let rest = promql[range.upperBound...]
                    let values = rest[..<rest.firstIndex(of: "\"")!].split(separator: "|").map(String.init)
                    return values.contains(value)
                }
            }
            return total
                + selected.reduce(0) {
                    $0
                        + RawSpans.samples(
                            of: $1, from: window.query.windowStart.millis, to: window.query.windowEnd.millis,
                            grid: grid)
                }
        }
    }

    func testTargetQueriesNeverReadMoreThanTheRawPlan() {
        // 2 pods × 3 users; u0 and u1 of each pod need hours 9 and 11 (no narrowing helps: two
        // of three users), u0 of p0 also hours 15 and 27 (narrowed to it): each pod is read once
        // per chunk over the stretch its series need, never more than the raw plan's query of the chunk.
        let all = world(perPod: 3)
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: all.count * 2)
        for series in all where series.labels["user_id"] != "u2" {
            let identity = UsageAccumulator.identity(series.labels)
            spans.add(.init(firstHour: 9, lastHour: 9, seed: 5), of: series, identity: identity, grid: grid)
            spans.add(.init(firstHour: 11, lastHour: 11, seed: 5), of: series, identity: identity, grid: grid)
            if series.labels == ["pod": "p0", "user_id": "u0"] {
                spans.add(.init(firstHour: 15, lastHour: 15, seed: 5), of: series, identity: identity, grid: grid)
                spans.add(.init(firstHour: 27, lastHour: 27, seed: 5), of: series, identity: identity, grid: grid)
            }
        }
        let windows = spans.windows(selector: "m", metric: "m", grid: grid, chunkSeconds: 6 * 3600, allSeries: all)
        let everySeries = QueryPlan.rawQueries(
            "m", from: Date(millis: grid.startMillis + 1), to: Date(millis: grid.endMillis + 1), chunkSeconds: 6 * 3600)
        let rawPlan = points(everySeries.map { RawSpans.Window(query: $0, series: nil) }, all)
        XCTAssertEqual(rawPlan, 6 * 60 * grid.hourCount)
        XCTAssertEqual(
            windows.map(\.query.promql),
            [
                #"m{pod=~"p0|p1"}[10800000ms]"#, #"m{pod=~"p0",user_id=~"u0"}[3600000ms]"#,
                #"m{pod=~"p0",user_id=~"u0"}[3600000ms]"#,
            ])
        XCTAssertEqual(points(windows, all), 6 * 60 * 3 + 60 + 60)
        for (chunk, query) in everySeries.enumerated() {
            let inChunk = windows.filter {
                $0.query.windowStart >= query.windowStart && $0.query.windowEnd <= query.windowEnd
            }
            XCTAssertLessThanOrEqual(points(inChunk, all), points([.init(query: query, series: nil)], all), "\(chunk)")
        }
    }

    func testAQueryAboveTheSampleLimitIsSplitInTimeWithinIt() {
        let all = world(perPod: 50)
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: all.count)
        for series in all {
            spans.add(
                .init(firstHour: 0, lastHour: grid.hourCount - 1, seed: nil), of: series,
                identity: UsageAccumulator.identity(series.labels), grid: grid)
        }
        let limit = 100 * 60 * 2  // two hours of every series
        let windows = spans.windows(
            selector: "m", metric: "m", grid: grid, chunkSeconds: 6 * 3600, allSeries: all, maxSamples: limit)
        let whole = spans.windows(selector: "m", metric: "m", grid: grid, chunkSeconds: 6 * 3600, allSeries: all)
        XCTAssertEqual(whole.count, 5, "30 hours in 6-hour chunks")
        XCTAssertEqual(windows.count, 15, "each chunk in three parts of two hours")
        for window in windows { XCTAssertLessThanOrEqual(points([window], all), limit, window.query.promql) }
        XCTAssertEqual(points(windows, all), points(whole, all), "the parts hold the same samples")
        // The parts tile each chunk: every one starts where the one before ended.
        for (previous, next) in zip(windows, windows.dropFirst()) {
            XCTAssertEqual(previous.query.windowEnd, next.query.windowStart)
        }
        XCTAssertEqual(windows.first?.query.windowStart, whole.first?.query.windowStart)
        XCTAssertEqual(windows.last?.query.windowEnd, whole.last?.query.windowEnd)
    }

    func testSummariesAreReadOnlyWhereTheyCostLessThanHalfTheSamples() {
        let full = Array(repeating: 26, count: 10)  // series present through the 26 h lookback
        // 1-minute scrapes: 60 samples per series-hour against 4 summary points.
        XCTAssertTrue(PlanChoice.summariesPay(lookbackCounts: full.map { $0 * 60 }, lookbackHours: 26))
        // 15-minute scrapes: 4 samples per series-hour, as many as the summaries.
        XCTAssertFalse(PlanChoice.summariesPay(lookbackCounts: full.map { $0 * 4 }, lookbackHours: 26))
        // 7.5-minute scrapes: 8 per hour, the edge.
        XCTAssertTrue(PlanChoice.summariesPay(lookbackCounts: full.map { $0 * 8 }, lookbackHours: 26))
        XCTAssertFalse(PlanChoice.summariesPay(lookbackCounts: full.map { $0 * 7 }, lookbackHours: 26))
        // 5-minute scrapes with half the series born in the lookback's last 2 hours (the mean, 6.5
        // samples per series-hour, would say raw): their few samples say nothing of the scrape interval.
        XCTAssertTrue(
            PlanChoice.summariesPay(
                lookbackCounts: full.map { $0 * 12 } + Array(repeating: 24, count: 10), lookbackHours: 26))
        XCTAssertTrue(PlanChoice.summariesPay(lookbackCounts: [], lookbackHours: 26), "nothing known")
    }

    /// Series of one target born in different hours of a chunk are read hour by hour, each for the
    /// hours it needs: no series-hour is read twice, and none that no series needs.
    func testSeriesOfOneTargetNeedingDifferentHoursAreReadHourByHour() {
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: 40)
        for index in 0..<40 {
            var series = SeriesHours(labels: ["pod": "p", "user": "u\(index)"], hours: grid.hourCount)
            for hour in 0..<grid.hourCount { series.count[hour] = 60 }
            let identity = UsageAccumulator.identity(series.labels)
            // u0 needs hour 7, u1 hours 7–8, u2 hour 10; the other 37 none.
            switch index {
            case 0: spans.add(.init(firstHour: 7, lastHour: 7, seed: 1), of: series, identity: identity, grid: grid)
            case 1: spans.add(.init(firstHour: 7, lastHour: 8, seed: 1), of: series, identity: identity, grid: grid)
            case 2: spans.add(.init(firstHour: 10, lastHour: 10, seed: 1), of: series, identity: identity, grid: grid)
            default: break
            }
        }
        let all = (0..<40).map { index in
            var series = SeriesHours(labels: ["pod": "p", "user": "u\(index)"], hours: grid.hourCount)
            for hour in 0..<grid.hourCount { series.count[hour] = 60 }
            return series
        }
        let windows = spans.windows(selector: "m", metric: "m", grid: grid, chunkSeconds: 6 * 3600, allSeries: all)
        XCTAssertEqual(
            windows.map(\.query.promql),
            [
                #"m{pod=~"p",user=~"u0|u1"}[3600000ms]"#, #"m{pod=~"p",user=~"u1"}[3600000ms]"#,
                #"m{pod=~"p",user=~"u2"}[3600000ms]"#,
            ])
        XCTAssertEqual(
            windows.map(\.query.evaluationTime.millis),
            [grid.hourEndMillis(7), grid.hourEndMillis(8), grid.hourEndMillis(10)])
    }
}
