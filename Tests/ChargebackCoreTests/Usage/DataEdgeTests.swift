import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The edges of the backend's data: a period that starts before the oldest sample (retention
/// deleted the rest) and hours at the end that no series covers.
final class DataEdgeTests: XCTestCase {
    /// The UTC day 2026-10-01; the read range starts 26 h before it.
    let buckets = Buckets(period: try! Period.parse("2026-10-01", in: TimeZone(identifier: "UTC")!))
    var start: Int64 { buckets.startMillis }
    var readFrom: Int64 { start - Int64(QueryPlan.edgeSeconds) * 1000 }
    let minute: Int64 = 60_000
    let hour: Int64 = 3_600_000
    let dimensions = UsageDimensions(labels: .init(), extraLabels: [])

    /// One series on `pod`, scraped each minute from `from` for `count` samples, starting at `value`
    /// and growing by 100 a minute.
    func series(_ pod: String, from: Int64, count: Int, value: Double) -> ([String: String], [(Int64, Double)]) {
        let labels = ["gateway": "gw", "gen_ai_request_model": "m", "gen_ai_token_type": "input", "pod": pod]
        return (labels, (0..<count).map { (from + Int64($0) * minute, value + Double($0) * 100) })
    }

    func accumulate(_ all: [([String: String], [(Int64, Double)])], dataEnd: Int64? = nil)
        -> (UsageAccumulator, Coverage)
    {
        var accumulator = UsageAccumulator(buckets: buckets, dimensions: dimensions, gapFactor: 1.5)
        for (labels, samples) in all { accumulator.ingest(series: labels, samples: samples) }
        accumulator.settleDataEdge(readFromMillis: readFrom)
        let coverage = accumulator.coverage(dataEnd: Date(millis: dataEnd ?? buckets.endMillis))
        return (accumulator, coverage)
    }

    func total(_ accumulator: UsageAccumulator) -> Int64 {
        accumulator.usage.values.reduce(0) { $0 + $1.reduce(0, +) }
    }

    /// Data starting at 05:17 inside the period: the running series' first values (their whole
    /// past, 5,000,000 and 7,000,000) are baselines; only the increases after them count, and a
    /// series born ten minutes later still counts from zero.
    func testFirstSamplesAtTheDataEdgeAreBaselines() {
        let edge = start + 5 * hour + 17 * minute
        let (accumulator, coverage) = accumulate([
            series("a", from: edge, count: 60, value: 5_000_000),
            series("b", from: edge + 20_000, count: 60, value: 7_000_000),
            series("c", from: edge + 10 * minute, count: 30, value: 300),
        ])
        // a and b: 59 increases of 100 each; c: its first value 300 plus 29 increases of 100.
        XCTAssertEqual(total(accumulator), 2 * 59 * 100 + 300 + 29 * 100)
        XCTAssertEqual(coverage.dataStart, Date(millis: edge))
        XCTAssertEqual(
            coverage.startedInPeriod.map(\.series),
            [UsageAccumulator.identity(series("c", from: 0, count: 0, value: 0).0)])
        XCTAssertTrue(coverage.periodStartsBeforeData)
        let head = coverage.uncovered[0]
        XCTAssertEqual(head.from, Date(millis: start))
        XCTAssertEqual(head.to, Date(millis: start + 5 * hour))
        XCTAssertEqual(head.hours, 5)
        XCTAssertFalse(head.bridged)
        XCTAssertTrue(head.beforeData)
    }

    /// Without the edge (data from before the read range) the same first sample of a new series
    /// inside the period counts from zero, as always.
    func testASeriesBornInsideCoveredDataCountsFromZero() {
        let (accumulator, coverage) = accumulate([
            series("old", from: readFrom, count: 3, value: 9_000),
            series("new", from: start + 5 * hour, count: 2, value: 400),
        ])
        XCTAssertEqual(total(accumulator), 400 + 100)
        XCTAssertNil(coverage.dataStart)
        XCTAssertFalse(coverage.periodStartsBeforeData)
        XCTAssertEqual(coverage.startedInPeriod.count, 1)
    }

    /// Data starting inside the lookback: nothing in the period changes, the edge is noted.
    func testAnEdgeInsideTheLookbackChangesNoFigure() {
        let edge = start - 3 * hour
        let (accumulator, coverage) = accumulate([series("a", from: edge, count: 300, value: 1_000_000)])
        // The samples from the period start on: the interval ending exactly at the start belongs to the day before.
        XCTAssertEqual(total(accumulator), (300 - 181) * 100)
        XCTAssertEqual(coverage.dataStart, Date(millis: edge))
        XCTAssertFalse(coverage.periodStartsBeforeData)
    }

    /// Summaries that saw samples at the start of the read range rule out an edge, even when the
    /// first raw sample fed is later (long-running series settled by the summaries).
    func testSummaryEvidenceAtTheReadStartRulesOutAnEdge() {
        var accumulator = UsageAccumulator(buckets: buckets, dimensions: dimensions, gapFactor: 1.5)
        accumulator.noteData(from: readFrom)
        let (labels, samples) = series("late", from: start + 2 * hour, count: 2, value: 250)
        accumulator.ingest(series: labels, samples: samples)
        accumulator.settleDataEdge(readFromMillis: readFrom)
        XCTAssertNil(accumulator.dataStartMillis)
        XCTAssertEqual(total(accumulator), 350)
    }

    /// A period whose last hours no series covers: coverage counts them and names them.
    func testHoursAfterEverySeriesStoppedAreUncovered() {
        // Data through 09:59 only; the period runs to midnight and now is later.
        let samples = series("a", from: readFrom, count: (26 + 10) * 60, value: 0)
        let (_, coverage) = accumulate([samples])
        XCTAssertEqual(coverage.expectedHours, 24)
        XCTAssertEqual(coverage.uncovered.count, 1)
        let tail = coverage.uncovered[0]
        XCTAssertEqual(tail.from, Date(millis: start + 10 * hour))
        XCTAssertEqual(tail.to, Date(millis: buckets.endMillis))
        XCTAssertEqual(tail.hours, 14)
        XCTAssertFalse(tail.bridged)
        XCTAssertEqual(coverage.ratio, 10.0 / 24.0, accuracy: 1e-9)
        let warning = UsageFetcher.edgeWarnings(coverage, period: buckets.period).map(\.message)
        XCTAssertEqual(warning.count, 1)
        XCTAssertTrue(warning[0].contains("14 hour(s)") && warning[0].contains("2026-10-01T10:00:00Z"), warning[0])
    }

    /// Hours inside a scrape outage that the series bridge are uncovered but not blind: the gap's
    /// increase was shared into them, and the missed samples already lower the coverage.
    func testHoursInsideAGapAreBridged() {
        let before = series("a", from: readFrom, count: (26 + 10) * 60, value: 0)
        let resume = start + 13 * hour + 30_000
        let after = series("a", from: resume, count: 11 * 60, value: 1_000_000).1
        var accumulator = UsageAccumulator(buckets: buckets, dimensions: dimensions, gapFactor: 1.5)
        accumulator.ingest(series: before.0, samples: before.1)
        accumulator.ingest(series: before.0, samples: after)
        accumulator.settleDataEdge(readFromMillis: readFrom)
        let coverage = accumulator.coverage(dataEnd: Date(millis: buckets.endMillis))
        XCTAssertEqual(coverage.uncovered.map(\.hours), [3])
        XCTAssertTrue(coverage.uncovered[0].bridged)
        XCTAssertEqual(UsageFetcher.edgeWarnings(coverage, period: buckets.period).count, 0)
    }
}

/// One gap is one event: per scrape target, the overlapping gaps of its series merge into one
/// stretch, and overlapping stretches count their time once.
final class GapEventTests: XCTestCase {
    func gap(_ series: String, _ target: String, _ from: Double, _ to: Double) -> Coverage.GapEvent {
        .init(
            series: series, target: target, from: Date(timeIntervalSince1970: from),
            to: Date(timeIntervalSince1970: to),
            apportioned: false)
    }

    func testOverlappingGapsOfOneTargetAreOneEvent() {
        var coverage = Coverage()
        coverage.gaps = [
            gap("a", "gw pod-1", 1000, 4000), gap("b", "gw pod-1", 1000, 4000), gap("c", "gw pod-1", 1500, 4600),
            gap("d", "gw pod-1", 9000, 9600),
            gap("e", "gw pod-2", 2000, 5000),
        ]
        let windows = coverage.gapWindows
        XCTAssertEqual(windows.map(\.target), ["gw pod-1", "gw pod-2", "gw pod-1"])
        XCTAssertEqual(windows.map(\.series), [3, 1, 1])
        XCTAssertEqual(windows[0].from, Date(timeIntervalSince1970: 1000))
        XCTAssertEqual(windows[0].to, Date(timeIntervalSince1970: 4600))
        // pod-1 1000…4600 and pod-2 2000…5000 overlap: 4000 s of gap time, plus pod-1's 600 s later.
        XCTAssertEqual(coverage.gapSeconds, 4000 + 600)
    }
}
