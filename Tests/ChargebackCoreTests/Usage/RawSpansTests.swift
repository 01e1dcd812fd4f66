import XCTest
@testable import ChargebackCore

/// Which queries fetch the runs' raw samples, and how their answers are fed.
final class RawSpansTests: XCTestCase {
    /// A one-day UTC period with 3 hours on each side, read in 6-hour chunks: grid hours 0…29.
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var grid: SummaryGrid {
        SummaryGrid(buckets: buckets, lookbackSeconds: 3 * 3600, rangeEnd: buckets.period.end.addingTimeInterval(3 * 3600))
    }

    func hours(pod: String) -> SeriesHours {
        var series = SeriesHours(labels: ["pod": pod], hours: grid.hourCount)
        for hour in 0..<grid.hourCount { series.count[hour] = 60 }
        return series
    }

    func testAFewSeriesAreReadOneByOneAndManyTogether() {
        var spans = RawSpans(newSeriesFrom: nil)
        // 3 of 40 series need hours 9–10 (chunk 1): one query each; all 40 need hour 20 (chunk 3): one query.
        for index in 0..<40 {
            let series = hours(pod: "p\(index)")
            let identity = UsageAccumulator.identity(series.labels)
            if index < 3 { spans.add(.init(firstHour: 9, lastHour: 10, seed: 5), of: series, identity: identity, grid: grid) }
            spans.add(.init(firstHour: 20, lastHour: 20, seed: 7), of: series, identity: identity, grid: grid)
        }
        let windows = spans.windows(selector: "m", metric: "m", grid: grid, chunkSeconds: 6 * 3600)
        XCTAssertEqual(windows.count, 4)
        XCTAssertEqual(windows.prefix(3).map(\.query.promql), (0..<3).map { #"m{pod="p\#($0)"}[7200000ms]"# })
        XCTAssertEqual(windows[0].query.windowStart.timeIntervalSince1970 * 1000, Double(grid.hourStartMillis(9)))
        XCTAssertNil(windows[3].series, "one query for every series")
        XCTAssertEqual(windows[3].query.promql, "m[21600000ms]")
    }

    func testOnlySamplesInsideTheSpansAreFedAndASeededRunStartsAfresh() {
        var spans = RawSpans(newSeriesFrom: nil)
        let series = hours(pod: "a")
        let identity = UsageAccumulator.identity(series.labels)
        spans.add(.init(firstHour: 5, lastHour: 5, seed: 1000), of: series, identity: identity, grid: grid)
        var accumulator = UsageAccumulator(buckets: buckets, dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
                                           gapFactor: 1.5)
        // A sample the previous run left before the period (900), then hour 5 (period hour 2): 1010, 1030, and
        // samples before and after the span that must not count.
        accumulator.ingest(series: ["pod": "a"], samples: [(grid.hourStartMillis(2) + 1000, 900)])
        let start = grid.hourStartMillis(5)
        let samples: [(Int64, Double)] = [(start - 30_000, 999), (start + 10_000, 1010), (start + 40_000, 1030),
                                          (grid.hourEndMillis(5) + 5_000, 5000)]
        let window = RawSpans.Window(query: QueryPlan.rawQueries("m", from: Date(), to: Date().addingTimeInterval(60),
                                                                 chunkSeconds: 60)[0], series: nil)
        spans.feed(window, QueryResult(series: [SeriesSamples(labels: ["pod": "a"], samples: samples)], warnings: [], bytes: 0),
                   into: &accumulator)
        let usage = accumulator.usage.values.first ?? []
        XCTAssertEqual(usage[2], 30, "from the seed 1000: +10 and +20, nothing from 900 or 999 or 5000")
        XCTAssertEqual(usage.reduce(0, +), 30)
    }
}
