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
    /// A one-day UTC period with 3 hours on each side, read in 6-hour chunks: grid hours 0…29.
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var grid: SummaryGrid {
        SummaryGrid(
            buckets: buckets, lookbackSeconds: 3 * 3600, rangeEnd: buckets.period.end.addingTimeInterval(3 * 3600))
    }

    func hours(pod: String) -> SeriesHours {
        var series = SeriesHours(labels: ["pod": pod], hours: grid.hourCount)
        for hour in 0..<grid.hourCount { series.count[hour] = 60 }
        return series
    }

    func testAFewSeriesAreReadByTheirTargetsAndMostTogether() {
        var spans = RawSpans(newSeriesFrom: nil, seriesCount: 41)
        // 3 of 40 series need hours 9–10 (chunk 1): one query for their pods; all 40 need hour 20
        // (chunk 3): one query for every series; a series without pod or instance label alone.
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
                #"m{ns="a"}[21600000ms]"#,
            ])
        // The samples of hours 9–10, (start, end]: from 1 ms after the start, evaluated at the end.
        XCTAssertEqual(windows[1].query.windowStart.millis, grid.hourStartMillis(9) + 1)
        XCTAssertEqual(windows[1].query.evaluationTime.millis, grid.hourEndMillis(10))
        XCTAssertEqual(windows.map(\.series), [UsageAccumulator.identity(loner.labels), nil, nil])
        XCTAssertEqual(
            RawSpans(newSeriesFrom: nil, seriesCount: 41)
                .windows(selector: "m", metric: "m", grid: grid, chunkSeconds: 6 * 3600).count, 0,
            "no runs, no raw queries")
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
